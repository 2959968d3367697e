/**
 * hoist-transposes-over-ops: TRANSPOSE(op(x)) → op'(x') for a single-input op (unary, PAD, SLICE,
 * STRIDED_SLICE, TILE, SOFTMAX keeping its axis) when that makes the TRANSPOSE free: x' is x with
 * only size-1 axes moved (a RESHAPE), or the input of a TRANSPOSE producing x that this one undoes.
 * Catches what sinking cannot: e.g. a TILE of an [N,C] vector expanded to a 4-D NCHW graph output.
 */
import type { Graph } from '../../ir/graph.js';
import type { GraphIndex } from '../../ir/graph-index.js';
import type { Node } from '../../ir/node.js';
import { inversePerm, isReshapeOnly } from '../../ir/ndarray.js';
import { constInts } from './graph-util.js';
import type { PassSpec } from './pass.js';
import { PADS, PER_AXIS_ARGS, UNARY, intsConst, isPerAxis, layoutFor, rewriteArgs, transposePass } from './shared/transpose-rewrite.js';

/** Single-input ops a TRANSPOSE below them can be hoisted over (their per-axis arguments permuted). */
function isHoistable(n: Node): boolean {
  return UNARY.has(n.op) || PADS.has(n.op) || n.op in PER_AXIS_ARGS || n.op === 'SOFTMAX';
}

/** Hoists every such TRANSPOSE; returns how many. Leaves new nodes at the end (the caller sorts). */
export function hoistOverOps(g: Graph, index: GraphIndex): number {
  let hoisted = 0;
  for (const t of [...g.nodes]) {
    if (t.op !== 'TRANSPOSE' || !index.has(t)) continue;
    const y0 = t.inputs[0]!;
    const n = index.producer(y0);
    const q = constInts(g, t.inputs[1]);
    if (!n || !q || !isHoistable(n) || n.outputs.length !== 1 || g.outputs.includes(y0) || index.consumers(y0).length !== 1) continue;
    if (n.op === 'SOFTMAX' && q[q.length - 1] !== q.length - 1) continue;
    const x = g.tensor(n.inputs[0]!);
    const y = g.tensor(t.outputs[0]!);
    if (x.data || isPerAxis(x) || isPerAxis(y) || x.shape.length !== q.length) continue;
    const up = index.producer(x.name);
    const p1 = up?.op === 'TRANSPOSE' ? constInts(g, up.inputs[1]) : undefined;
    const undoes = !!p1 && q.every((a, i) => p1[a] === i);
    if (!undoes && !isReshapeOnly(x.shape, q)) continue;
    const inputs = [...n.inputs];
    const attrs = n.attrs;
    const outs = rewriteArgs(g, index, n, inversePerm(q), x, inputs);
    if (typeof outs === 'string') {
      n.attrs = attrs;
      continue;
    }
    let src = undoes ? up!.inputs[0]! : '';
    if (!undoes) {
      src = index.fresh(`${x.name}_moved`);
      const shape = q.map((a) => x.shape[a]!);
      g.addTensor({ name: src, dtype: x.dtype, shape, layout: layoutFor(shape.length, y), quant: x.quant });
      index.addNode({ name: index.fresh(`${t.name}_as_reshape`), op: 'RESHAPE', inputs: [x.name, intsConst(g, index, `${t.name}_shape`, shape)], outputs: [src], attrs: { newShape: shape }, sourceNode: t.sourceNode });
    }
    index.removeNode(t);
    index.remove(n);
    n.inputs = [src, ...inputs.slice(1)];
    n.outputs = [y.name];
    index.add(n);
    if (undoes && !g.outputs.includes(x.name) && !index.consumers(x.name).length) index.removeNode(up!);
    hoisted++;
  }
  return hoisted;
}

export const hoistTransposesOverOps: PassSpec = transposePass(
  {
    id: 'hoist-transposes-over-ops',
    phase: 'layout',
    summary: 'move a TRANSPOSE above the single-input op it reads where it then undoes the TRANSPOSE before it or becomes a RESHAPE',
  },
  'transposes hoisted over ops',
  'hoisted',
  hoistOverOps,
);
