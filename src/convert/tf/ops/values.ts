/**
 * Value plumbing shared by the TF op files: reshaping a value in TF element order (the one rank
 * change TF ops need, folded for constants), and aligning operand ranks for TF's right-aligned
 * broadcasting before an ONNX elementwise lowering (which sees 4-D values as logical NCHW).
 */
import { numElements } from '../../../ir/tensor.js';
import { TO_NCHW, TO_NHWC } from '../../onnx/layout.js';
import type { TfContext } from '../context.js';

/** `out` = `x` reshaped to TF shape `shape` (a constant stays constant). */
export function reshapeValue(t: TfContext, x: string, shape: number[], out: string): void {
  const c = t.constData(x);
  if (c) return t.defineConst(out, { dtype: c.dtype, shape, data: c.data });
  const from = t.shape(x);
  if (from.length === shape.length && from.every((d, i) => d === shape[i])) return t.alias(out, x);
  const tensor = t.ctx.reshape(t.tensor(x), shape, shape.length === 4 ? 'NHWC' : 'plain', `${out}_reshaped`);
  t.bind(out, tensor, t.dtype(x), shape);
}

/** Resolves a TF Reshape shape: one -1 inferred, 0 a literal 0. */
export function resolveShape(t: TfContext, spec: number[], count: number): number[] {
  const known = spec.filter((d) => d !== -1);
  const minus = spec.length - known.length;
  if (minus > 1) t.fail('unsupported-attribute', `shape [${spec}] has more than one -1`);
  const prod = numElements(known);
  if (minus === 1) {
    if (prod === 0 || count % prod !== 0) t.fail('shape-mismatch', `cannot reshape ${count} elements to [${spec}]`);
    return spec.map((d) => (d === -1 ? count / prod : d));
  }
  if (prod !== count) t.fail('shape-mismatch', `cannot reshape ${count} elements to [${spec}]`);
  return spec;
}

/**
 * Operands brought to one rank for TF broadcasting: a lower-rank operand gets leading 1s (right
 * alignment, as TF broadcasts) when the result is 4-D, where ONNX's view of the values is permuted.
 */
export function alignRanks(t: TfContext, names: string[]): string[] {
  const rank = Math.max(...names.map((n) => t.rank(n)));
  if (rank !== 4) return names;
  return names.map((n) => {
    const s = t.shape(n);
    if (s.length === 4) return n;
    const out = t.temp('rank4');
    reshapeValue(t, n, [...new Array<number>(4 - s.length).fill(1), ...s], out);
    return out;
  });
}

/** A float32 scalar constant value. */
export function floatScalar(t: TfContext, what: string, v: number): string {
  return t.constValue(what, 'float32', [], Float32Array.of(v));
}

/** `out` = `x` transposed by TF permutation `perm` (the ONNX Transpose lowering; a 4-D perm carried onto the value's logical axes). */
export function transposeValue(t: TfContext, x: string, perm: readonly number[], out: string): void {
  if (perm.length !== t.rank(x)) t.fail('shape-mismatch', `perm [${perm}] does not match rank ${t.rank(x)}`);
  const logical = perm.length === 4 ? TO_NCHW.map((m) => TO_NHWC[perm[m]!]!) : [...perm];
  t.onnx('Transpose', [x], [out], { perm: logical });
}
