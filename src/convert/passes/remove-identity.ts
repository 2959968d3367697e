/**
 * remove-identity: drops nodes that return their input unchanged — RESHAPE /
 * SQUEEZE / EXPAND_DIMS to the same shape, TRANSPOSE with the identity perm,
 * CAST to the same dtype, PAD / MIRROR_PAD with all-zero pads, a
 * single-input CONCATENATION, and ADD of constant zeros / MUL or DIV by constant
 * ones that neither broadcast nor fuse an activation.
 */
import type { Graph } from '../../ir/graph.js';
import type { Node } from '../../ir/node.js';
import { GraphIndex } from '../../ir/graph-index.js';
import { bypassNode, constInts, constTensor, sameQuant, sameShape } from './graph-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';
import { isIdentityPerm } from '../../ir/ndarray.js';

const SAME_SHAPE_OPS = new Set(['RESHAPE', 'SQUEEZE', 'EXPAND_DIMS']);

function constantAll(g: Graph, name: string | undefined, value: number): boolean {
  const t = constTensor(g, name);
  if (!t?.data || t.dtype === 'float16' || t.quant) return false;
  for (let i = 0; i < t.data.length; i++) if (Number(t.data[i]) !== value) return false;
  return true;
}

const isDynamic = (t: { shapeSignature?: number[] }) => t.shapeSignature?.some((d) => d < 0) ?? false;

/** The data input of `n` when `n` is an identity, else undefined. */
function identityInput(g: Graph, n: Node): string | undefined {
  const [x, y] = n.inputs;
  const out = n.outputs[0];
  if (!x || !out || n.outputs.length !== 1) return undefined;
  const tin = g.tensors.get(x);
  const tout = g.tensors.get(out);
  if (!tin || !tout || tin.dtype !== tout.dtype || !sameShape(tin.shape, tout.shape) || !sameQuant(tin, tout)) return undefined;
  // a dynamically shaped input (RANGE's result) made static is not an identity: LiteRT returns a dynamic output unwritten
  if (isDynamic(tin) && !isDynamic(tout)) return undefined;
  if (SAME_SHAPE_OPS.has(n.op)) return x;
  if (n.op === 'TRANSPOSE') {
    const perm = constInts(g, y);
    return perm && isIdentityPerm(perm) ? x : undefined;
  }
  if (n.op === 'CAST') return x;
  if (n.op === 'PAD' || n.op === 'PADV2' || n.op === 'MIRROR_PAD') return constantAll(g, y, 0) ? x : undefined;
  if (n.op === 'CONCATENATION' && n.inputs.length === 1 && (n.attrs.activation ?? 'NONE') === 'NONE') return x;
  if ((n.attrs.activation ?? 'NONE') !== 'NONE' || !y) return undefined;
  if (n.op === 'ADD' && constantAll(g, y, 0)) return x;
  if (n.op === 'SUB' && constantAll(g, y, 0)) return x;
  if ((n.op === 'MUL' || n.op === 'DIV') && constantAll(g, y, 1)) return x;
  if ((n.op === 'ADD' || n.op === 'MUL') && constantAll(g, x, n.op === 'ADD' ? 0 : 1)) {
    const ty = g.tensors.get(y);
    return ty && sameShape(ty.shape, tout.shape) ? y : undefined;
  }
  return undefined;
}

export const removeIdentity: PassSpec = {
  id: 'remove-identity',
  phase: 'cleanup',
  summary: 'drop RESHAPE/TRANSPOSE/CAST/PAD/… nodes that return their input unchanged',
  run(g: Graph): PassResult {
    let removed = 0;
    const declines: string[] = [];
    const index = new GraphIndex(g);
    for (const n of [...g.nodes]) {
      const x = identityInput(g, n);
      if (!x) continue;
      const why = bypassNode(g, index, n, x, n.outputs[0]!);
      if (why) declines.push(`${n.op} '${n.name}': ${why}`);
      else removed++;
    }
    return summarize('identity nodes removed', removed, declines, { removed });
  },
};
