/**
 * ScatterND with constant indices on runtime data (or updates): the rows each index writes are known at
 * import, so every reduction is a few GATHERs (lowering/gather-rows.ts) on [·, inner] views:
 *   none:     one GATHER over CONCATENATION(data, updates): row r reads data row r, or the last update
 *             written to r (onnxruntime applies them in order)
 *   add, mul: per round j (the j-th update written to each row), data ⊕= GATHER(CONCATENATION(updates,
 *             identity row 0 / 1)), rows without a j-th update reading the identity
 *   max, min: per round, data = MAXIMUM / MINIMUM(data, GATHER(CONCATENATION(data, updates))), rows
 *             without a j-th update reading themselves
 * Runtime indices (reduction none / add): SCATTER_ND (lowering/scatter-coords.ts) at the indices wrapped
 * per coordinate (lowering/index-coords.ts); mul / max / min with runtime indices are refused.
 * An all-constant ScatterND (swin_t's masks) folds at import.
 */
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import { allocTyped, type DType } from '../../../ir/dtype.js';
import { numElements } from '../../../ir/tensor.js';
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { ndRows } from '../lowering/index-rows.js';
import { defineFromRows, pickRows, rowView } from '../lowering/gather-rows.js';
import { checkIndexDType, int32Indices, wrapNegative } from '../lowering/index-coords.js';
import { scatterAt, type RuntimeScatter } from '../lowering/scatter-coords.js';

const COMBINE: Record<string, BuiltinOpName | undefined> = { add: 'ADD', mul: 'MUL', max: 'MAXIMUM', min: 'MINIMUM' };

export function checkScatterNd(ctx: ImportContext, node: OnnxNode): void {
  const r = node.string('reduction', 'none')!;
  const i = node.input(1);
  if (r !== 'none' && !COMBINE[r]) ctx.fail('unsupported-attribute', `${node.opType} reduction '${r}' is not one of none, add, mul, max, min`);
  checkIndexDType(ctx, node.opType, i);
  if (ctx.isRuntime(i) && r !== 'none' && r !== 'add') ctx.fail('requires-constant-input', `${node.opType} reduction '${r}' needs constant indices (input '${i}'): TFLite's SCATTER_ND only sums, so run-time indices lower for reduction none and add`);
}

/** A [1, inner] row of `value` in `dtype`. */
function identityRow(ctx: ImportContext, base: string, dtype: DType, inner: number, value: number): string {
  const data = allocTyped(dtype, inner);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) data.fill(BigInt(value));
  else data.fill(value);
  return ctx.constTensor(base, dtype, [1, inner], data);
}

/** Runtime indices [..., k]: SCATTER_ND at them, wrapped by data's dims [0, k). */
function scatterRuntime(ctx: ImportContext, node: OnnxNode, xs: number[]): void {
  const [x, i, u] = [node.input(0), node.input(1), node.input(2)];
  const is = ctx.shape(i);
  const k = is.at(-1) ?? 0;
  const us = [...is.slice(0, -1), ...xs.slice(k)];
  if (is.length < 1 || k < 1 || k > xs.length) ctx.fail('invalid-model', `ScatterND indices [${is}] cannot index data [${xs}]`);
  if (ctx.shape(u).join() !== us.join()) ctx.fail('invalid-model', `ScatterND updates [${ctx.shape(u)}] should be [${us}] for indices [${is}] into data [${xs}]`);
  const coords = int32Indices(ctx, wrapNegative(ctx, ctx.nchw(i), xs.slice(0, k), `${node.name}_indices`), `${node.name}_indices`);
  scatterAt(ctx, x, coords, ctx.nchw(u), node.string('reduction', 'none') as RuntimeScatter, node.outputs[0]!);
}

export function importScatterNd(ctx: ImportContext, node: OnnxNode): void {
  const [x, i, u] = [node.input(0), node.input(1), node.input(2)];
  const xs = ctx.shape(x);
  if (ctx.isRuntime(i)) return scatterRuntime(ctx, node, xs);
  const { rows, inner } = ndRows(xs, ctx.shape(i), ctx.requireConst(i, 'ScatterND indices'), 0, (m) => ctx.fail('invalid-model', `ScatterND: ${m}`));
  if (numElements(ctx.shape(u)) !== rows.length * inner) ctx.fail('invalid-model', `ScatterND updates [${ctx.shape(u)}] do not match indices [${ctx.shape(i)}] into data [${xs}]`);
  const dataRows = numElements(xs) / inner;
  const data = rowView(ctx, x, inner, `${node.name}_data_rows`);
  const updates = rowView(ctx, u, inner, `${node.name}_update_rows`);
  const dtype = ctx.g.tensor(data).dtype;
  const concat = (a: string, b: string, n: number, tag: string): string => {
    const both = ctx.newTensor(`${node.name}_${tag}`, dtype, [n, inner], 'plain');
    ctx.emit('CONCATENATION', [a, b], [both], { axis: 0, activation: 'NONE' });
    return both;
  };
  const reduction = node.string('reduction', 'none')!;
  const op = COMBINE[reduction];
  if (!op) {
    const src = Array.from({ length: dataRows }, (_, r) => r);
    rows.forEach((r, t) => (src[r] = dataRows + t));
    return defineFromRows(ctx, pickRows(ctx, concat(data, updates, dataRows + rows.length, 'data_and_updates'), src, inner, node.outputs[0]!), node.outputs[0]!, [...xs]);
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
  const source = elementwise ? undefined : concat(updates, identityRow(ctx, `${node.name}_identity`, dtype, inner, op === 'MUL' ? 1 : 0), rows.length + 1, 'updates_and_identity');
  let acc = data;
  rounds.forEach((round, j) => {
    const pool = source ?? concat(acc, updates, dataRows + rows.length, `round${j}_data_and_updates`);
    const ids = round.map((t, r) => (t < 0 ? (elementwise ? r : rows.length) : elementwise ? dataRows + t : t));
    const picked = pickRows(ctx, pool, ids, inner, `${node.name}_round${j}`);
    const next = ctx.newTensor(`${node.name}_round${j}_${reduction}`, dtype, [dataRows, inner], 'plain');
    ctx.emit(op, [acc, picked], [next], op === 'ADD' || op === 'MUL' ? { activation: 'NONE' } : {});
    acc = next;
  });
  defineFromRows(ctx, acc, node.outputs[0]!, [...xs]);
}
