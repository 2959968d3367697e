/** Transpose (constant perm) → the ONNX Transpose lowering; a 4-D perm is carried onto the value's logical axes. */
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';
import { transposeValue } from './values.js';

export function importTranspose(t: TfContext, node: TfNode): void {
  transposeValue(t, node.input(0), t.requireConst(1, 'perm'), node.output());
}
