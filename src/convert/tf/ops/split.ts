/** Split (axis, value; num_split equal parts) and SplitV (value, sizes with one -1, axis) → the ONNX Split lowering. */
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';

function split(t: TfContext, node: TfNode, x: string, axis: number, sizes: number[]): void {
  const rank = t.rank(x);
  const outs = sizes.map((_, k) => node.output(k));
  t.onnx('Split', [x, t.int64Value('split', sizes)], outs, { axis: t.axis(axis, rank) });
}

export function importSplit(t: TfContext, node: TfNode): void {
  const x = node.input(1);
  let axis = t.requireConst(0, 'axis')[0]!;
  const s = t.shape(x);
  if (axis < 0) axis += s.length;
  const n = node.int('num_split', 1);
  if (s[axis]! % n !== 0) t.fail('shape-mismatch', `axis ${axis} of size ${s[axis]} does not split into ${n} equal parts`);
  split(t, node, x, axis, new Array<number>(n).fill(s[axis]! / n));
}

export function importSplitV(t: TfContext, node: TfNode): void {
  const x = node.input(0);
  const s = t.shape(x);
  let axis = t.requireConst(2, 'axis')[0]!;
  if (axis < 0) axis += s.length;
  const sizes = t.requireConst(1, 'size_splits');
  const known = sizes.filter((v) => v >= 0).reduce((a, b) => a + b, 0);
  split(t, node, x, axis, sizes.map((v) => (v < 0 ? s[axis]! - known : v)));
}
