/** Transpose (constant perm) → the ONNX Transpose lowering; a 4-D perm is carried onto the value's logical axes. */
import { TO_NCHW, TO_NHWC } from '../../onnx/layout.js';
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';

export function importTranspose(t: TfContext, node: TfNode): void {
  const x = node.input(0);
  const p = t.requireConst(1, 'perm');
  if (p.length !== t.rank(x)) t.fail('shape-mismatch', `perm [${p}] does not match rank ${t.rank(x)}`);
  const perm = p.length === 4 ? TO_NCHW.map((m) => TO_NHWC[p[m]!]!) : p;
  t.onnx('Transpose', [x], [node.output()], { perm });
}
