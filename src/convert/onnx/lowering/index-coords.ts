/**
 * Run-time indices of Gather / GatherND / GatherElements / ScatterND / ScatterElements turned into
 * what TFLite's GATHER / GATHER_ND / SCATTER_ND read:
 * - wrapNegative: entries wrapped as ONNX defines them, i + dim where i < 0 (LESS + ADD + SELECT_V2,
 *   in the indices' own int32 / int64). An index outside [-dim, dim) stays outside [0, dim), and the
 *   TFLite kernel fails the run on it, as onnxruntime does.
 * - joinCoords: coordinate tuples along a new last axis, run-time indices joined with constant iota
 *   grids (the positions GatherND's batch dims and the Elements ops' other axes share with the output).
 * - int32Indices: SCATTER_ND takes int32 indices only; int64 ones are clamped into [-1, 2^31 − 1]
 *   first, so that an out-of-range index stays out of range instead of wrapping into it.
 */
import { strides } from '../../../ir/ndarray.js';
import { numElements } from '../../../ir/tensor.js';
import type { ImportContext } from '../context.js';
import type { IndexFail } from './index-rows.js';

type IndexDType = 'int32' | 'int64';

/** Shape-independent: run-time indices must be int32 / int64 (ONNX allows nothing else). */
export function checkIndexDType(ctx: ImportContext, opType: string, name: string): void {
  if (ctx.isRuntime(name) && !['int32', 'int64'].includes(ctx.dtype(name))) ctx.fail('invalid-model', `${opType} indices '${name}' are ${ctx.dtype(name)}; ONNX takes int32 or int64`);
}

/** `values` as a constant of the index dtype. */
function indexConst(ctx: ImportContext, base: string, dtype: IndexDType, shape: number[], values: ArrayLike<number>): string {
  const data = dtype === 'int64' ? BigInt64Array.from(Array.from(values, (v) => BigInt(v))) : Int32Array.from(values);
  return ctx.constTensor(base, dtype, shape, data);
}

/**
 * IR tensor `idx` (int32 / int64 indices) with negative entries wrapped: by `dims[0]` everywhere when
 * `dims` has one entry, else entry j of the last axis by `dims[j]`.
 */
export function wrapNegative(ctx: ImportContext, idx: string, dims: readonly number[], base: string): string {
  const t = ctx.g.tensor(idx);
  const dtype = t.dtype as IndexDType;
  const negative = ctx.newTensor(`${base}_negative`, 'bool', t.shape, 'plain');
  ctx.emit('LESS', [idx, ctx.scalarConst(`${base}_zero`, dtype, 0)], [negative]);
  const dim = dims.length === 1 ? ctx.scalarConst(`${base}_dim`, dtype, dims[0]!) : indexConst(ctx, `${base}_dims`, dtype, [dims.length], dims);
  const shifted = ctx.newTensor(`${base}_shifted`, dtype, t.shape, 'plain');
  ctx.emit('ADD', [idx, dim], [shifted], { activation: 'NONE' });
  const out = ctx.newTensor(`${base}_positions`, dtype, t.shape, 'plain');
  ctx.emit('SELECT_V2', [negative, shifted, idx], [out]);
  return out;
}

/** [...shape, axes.length]: each element's coordinate along each of `axes` of `shape`. */
function iotaGrid(shape: readonly number[], axes: readonly number[]): number[] {
  const st = strides(shape);
  const n = numElements(shape);
  const out = new Array<number>(n * axes.length);
  for (let e = 0; e < n; e++) axes.forEach((a, k) => (out[e * axes.length + k] = Math.floor(e / st[a]!) % shape[a]!));
  return out;
}

/** A run-time [...shape, k] tensor, or the axes of `shape` whose positions fill a constant grid. */
export type CoordPart = { tensor: string } | { axes: readonly number[] };

/** The parts concatenated along a new last axis: [...shape, Σ k] coordinates in `dtype`. */
export function joinCoords(ctx: ImportContext, shape: readonly number[], parts: readonly CoordPart[], dtype: IndexDType, base: string): string {
  const tensors = parts
    .filter((p) => !('axes' in p) || p.axes.length)
    .map((p, k) => ('tensor' in p ? p.tensor : indexConst(ctx, `${base}_grid${k}`, dtype, [...shape, p.axes.length], iotaGrid(shape, p.axes))));
  if (tensors.length === 1) return tensors[0]!;
  const width = tensors.reduce((n, t) => n + ctx.g.tensor(t).shape.at(-1)!, 0);
  const out = ctx.newTensor(`${base}_coords`, dtype, [...shape, width], 'plain');
  ctx.emit('CONCATENATION', tensors, [out], { axis: shape.length, activation: 'NONE' });
  return out;
}

/** IR tensor `idx` as int32 (SCATTER_ND's only index type); int64 values clamped into int32 first. */
export function int32Indices(ctx: ImportContext, idx: string, base: string): string {
  const t = ctx.g.tensor(idx);
  if (t.dtype === 'int32') return idx;
  const low = ctx.newTensor(`${base}_at_least_minus1`, 'int64', t.shape, 'plain');
  ctx.emit('MAXIMUM', [idx, ctx.scalarConst(`${base}_minus1`, 'int64', -1)], [low]);
  const both = ctx.newTensor(`${base}_clamped`, 'int64', t.shape, 'plain');
  ctx.emit('MINIMUM', [low, ctx.scalarConst(`${base}_int32_max`, 'int64', 2 ** 31 - 1)], [both]);
  const out = ctx.newTensor(`${base}_int32`, 'int32', t.shape, 'plain');
  ctx.emit('CAST', [both], [out], { inDataType: 'int64', outDataType: 'int32' });
  return out;
}

/**
 * GatherElements / ScatterElements along `axis` with run-time indices `name` into data [dataShape]:
 * [...indices.shape, rank] coordinates, each element's own position on every axis but `axis`, where
 * its wrapped index stands. In the indices' dtype.
 */
export function elementCoords(ctx: ImportContext, dataShape: readonly number[], name: string, axis: number, fail: IndexFail, base: string): string {
  const is = ctx.shape(name);
  const r = dataShape.length;
  if (is.length !== r) fail(`indices [${is}] and data [${dataShape}] must have the same rank`);
  is.forEach((d, a) => { if (a !== axis && d > dataShape[a]!) fail(`indices [${is}] exceed data [${dataShape}] on axis ${a}`); });
  const idx = ctx.nchw(name);
  const dtype = ctx.g.tensor(idx).dtype as IndexDType;
  const wrapped = wrapNegative(ctx, idx, [dataShape[axis]!], `${base}_indices`);
  const column = ctx.reshape(wrapped, [...is, 1], 'plain', `${base}_index_column`);
  const axes = Array.from({ length: r }, (_, a) => a);
  return joinCoords(ctx, is, [{ axes: axes.slice(0, axis) }, { tensor: column }, { axes: axes.slice(axis + 1) }], dtype, base);
}
