/**
 * ScatterND / ScatterElements with constant indices on runtime data (or updates): the rows each index
 * writes are known at import, so every reduction is a few GATHERs (gather-rows.ts) on [·, inner] views:
 *   none:     one GATHER over CONCATENATION(data, updates): row r reads data row r, or the last update
 *             written to r (onnxruntime applies them in order)
 *   add, mul: per round j (the j-th update written to each row), data ⊕= GATHER(CONCATENATION(updates,
 *             identity row 0 / 1)), rows without a j-th update reading the identity
 *   max, min: per round, data = MAXIMUM / MINIMUM(data, GATHER(CONCATENATION(data, updates))), rows
 *             without a j-th update reading themselves
 */
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import { allocTyped, type DType } from '../../../ir/dtype.js';
import { numElements } from '../../../ir/tensor.js';
import type { ImportContext } from '../context.js';
import { defineFromRows, pickRows, rowView } from './gather-rows.js';

/** The reductions besides none, and the TFLite op each combines with. */
export const COMBINE: Record<string, BuiltinOpName | undefined> = { add: 'ADD', mul: 'MUL', max: 'MAXIMUM', min: 'MINIMUM' };

/** A [1, inner] row of `value` in `dtype`. */
function identityRow(ctx: ImportContext, base: string, dtype: DType, inner: number, value: number): string {
  const data = allocTyped(dtype, inner);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) data.fill(BigInt(value));
  else data.fill(value);
  return ctx.constTensor(base, dtype, [1, inner], data);
}

/**
 * Defines ONNX value `outName`: ONNX value `x` [xs] with the [·, inner] rows of ONNX value `u` written
 * to its rows `rows` (data viewed as [·, inner]), combined by `reduction`.
 */
export function scatterRows(ctx: ImportContext, x: string, u: string, rows: readonly number[], inner: number, reduction: string, outName: string, base: string): void {
  const xs = ctx.shape(x);
  const dataRows = numElements(xs) / inner;
  const data = rowView(ctx, x, inner, `${base}_data_rows`);
  const updates = rowView(ctx, u, inner, `${base}_update_rows`);
  const dtype = ctx.g.tensor(data).dtype;
  const concat = (a: string, b: string, n: number, tag: string): string => {
    const both = ctx.newTensor(`${base}_${tag}`, dtype, [n, inner], 'plain');
    ctx.emit('CONCATENATION', [a, b], [both], { axis: 0, activation: 'NONE' });
    return both;
  };
  const op = COMBINE[reduction];
  if (!op) {
    const src = Array.from({ length: dataRows }, (_, r) => r);
    rows.forEach((r, t) => (src[r] = dataRows + t));
    return defineFromRows(ctx, pickRows(ctx, concat(data, updates, dataRows + rows.length, 'data_and_updates'), src, inner, outName), outName, [...xs]);
  }
  // rounds[j][r]: the update row of the j-th write to data row r (-1: none)
  const rounds: number[][] = [];
  const seen = new Array<number>(dataRows).fill(0);
  rows.forEach((r, t) => {
    const j = seen[r]!++;
    rounds[j] ??= new Array<number>(dataRows).fill(-1);
    rounds[j]![r] = t;
  });
  const elementwise = op === 'MAXIMUM' || op === 'MINIMUM';
  const source = elementwise ? undefined : concat(updates, identityRow(ctx, `${base}_identity`, dtype, inner, op === 'MUL' ? 1 : 0), rows.length + 1, 'updates_and_identity');
  let acc = data;
  rounds.forEach((round, j) => {
    const pool = source ?? concat(acc, updates, dataRows + rows.length, `round${j}_data_and_updates`);
    const ids = round.map((t, r) => (t < 0 ? (elementwise ? r : rows.length) : elementwise ? dataRows + t : t));
    const picked = pickRows(ctx, pool, ids, inner, `${base}_round${j}`);
    const next = ctx.newTensor(`${base}_round${j}_${reduction}`, dtype, [dataRows, inner], 'plain');
    ctx.emit(op, [acc, picked], [next], op === 'ADD' || op === 'MUL' ? { activation: 'NONE' } : {});
    acc = next;
  });
  defineFromRows(ctx, acc, outName, [...xs]);
}
