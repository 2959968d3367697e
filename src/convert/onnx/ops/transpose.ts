/**
 * Transpose: one TRANSPOSE composed with the input's layout. A 4-D result is produced in NHWC (so a
 * following conv needs nothing); a permutation that cancels the layout change emits no op at all.
 */
import { TO_NCHW, TO_NHWC } from '../layout.js';
import { type ImportContext, heldNhwc } from '../context.js';
import type { OnnxNode } from '../node.js';
import { isIdentityPerm, permuteData } from '../../../ir/ndarray.js';

export function importTranspose(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const rank = xs.length;
  const perm = node.ints('perm') ?? xs.map((_, i) => rank - 1 - i);
  if (perm.length !== rank) ctx.fail('shape-mismatch', `perm [${perm}] does not match rank ${rank}`);
  const outShape = perm.map((p) => xs[p]!);
  const c = ctx.constant(x);
  if (c?.data) {
    ctx.defineConst(node.outputs[0]!, { dtype: c.dtype, shape: outShape, data: permuteData(c.dtype, c.data, xs, perm) });
    return;
  }
  const fromNhwc = heldNhwc(ctx, x);
  const src = fromNhwc ? ctx.nhwc(x) : ctx.nchw(x);
  // IR axis of ONNX axis a in the source tensor
  const srcAxis = (a: number) => (fromNhwc ? TO_NCHW[a]! : a);
  // out IR axis j holds ONNX output axis o(j); try both output forms and prefer one that needs no op
  const irPermFor = (form: 'NHWC' | 'ONNX') => outShape.map((_, j) => srcAxis(perm[form === 'NHWC' ? TO_NHWC[j]! : j]!));
  const forms: Array<'NHWC' | 'ONNX'> = rank === 4 ? ['NHWC', 'ONNX'] : ['ONNX'];
  const free = forms.find((f) => isIdentityPerm(irPermFor(f)));
  if (free) {
    ctx.bind(node.outputs[0]!, src, ctx.dtype(x), outShape, free);
    return;
  }
  const outForm = forms[0]!;
  const irPerm = irPermFor(outForm);
  const t = ctx.permute(src, irPerm, rank === 4 ? 'NHWC' : 'plain', node.outputs[0]!);
  ctx.bind(node.outputs[0]!, t, ctx.dtype(x), outShape, outForm);
}
