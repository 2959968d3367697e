/**
 * MatMul (transpose_a / transpose_b), _FusedMatMul (+ BiasAdd + activation) and BatchMatMul(V2/V3)
 * (adj_x / adj_y) on the ONNX MatMul lowering; a transposed operand is an ONNX Transpose of its last two
 * axes (folded for weights). 4-D batch matmuls run as BATCH_MATMUL in TF order.
 */
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';
import { applyFused } from './conv.js';

function transposed(t: TfContext, x: string): string {
  const r = t.rank(x);
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
  const out = t.temp('transposed');
  t.onnx('Transpose', [x], [out], { perm });
  return out;
}

function matmul(t: TfContext, node: TfNode, ta: boolean, tb: boolean, out: string): void {
  let [a, b] = [node.input(0), node.input(1)];
  if (t.rank(a) === 4 || t.rank(b) === 4) {
    const [sa, sb] = [t.shape(a), t.shape(b)];
    if (sa.length !== 4 || sb.length !== 4) t.fail('unsupported-attribute', `batch matmul of ranks ${sa.length} and ${sb.length}`);
    const m = sa[ta ? 3 : 2]!;
    const n = sb[tb ? 2 : 3]!;
    const o = t.define(out, 'float32', [Math.max(sa[0]!, sb[0]!), Math.max(sa[1]!, sb[1]!), m, n]);
    return t.emit('BATCH_MATMUL', [t.tensor(a), t.tensor(b)], [o], { adjX: ta, adjY: tb });
  }
  if (ta) a = transposed(t, a);
  if (tb) b = transposed(t, b);
  t.onnx('MatMul', [a, b], [out]);
}

export function importMatMul(t: TfContext, node: TfNode): void {
  const ta = node.bool('transpose_a', false) || node.bool('adj_x', false);
  const tb = node.bool('transpose_b', false) || node.bool('adj_y', false);
  const fused = node.strings('fused_ops') ?? [];
  applyFused(t, node, fused, node.inputs.slice(2), (out) => matmul(t, node, ta, tb, out));
}
