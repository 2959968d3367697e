/**
 * Constant index arithmetic of GatherND / GatherElements / ScatterND: which row of the data, viewed as
 * [rows, inner], each index addresses (negative indices wrapped, out-of-range ones reported). Shared
 * by their constant folds (fold/indexing.ts) and their importers, which turn the rows into one GATHER.
 */
import { numElements } from '../../../ir/tensor.js';
import { strides } from '../../../ir/ndarray.js';

export type IndexFail = (message: string) => never;

/** Wraps index `i` into [0, dim), or fails. */
function wrap(i: number, dim: number, fail: IndexFail, what: string): number {
  const w = i < 0 ? i + dim : i;
  if (!Number.isInteger(w) || w < 0 || w >= dim) fail(`${what} index ${i} is out of range for a dimension of ${dim}`);
  return w;
}

/**
 * GatherND / ScatterND: indices [..., m] address slices of data over its axes [b, b + m) (b = batch_dims,
 * whose coordinates the indices share). Returns, per index tuple, its row in data viewed as
 * [∏ data.shape[0 : b+m], ∏ data.shape[b+m :]], and that view's inner size.
 */
export function ndRows(dataShape: readonly number[], indicesShape: readonly number[], indices: readonly number[], batchDims: number, fail: IndexFail): { rows: number[]; inner: number } {
  const m = indicesShape.at(-1) ?? 0;
  const b = batchDims;
  if (indicesShape.length < 1 || m < 1 || b + m > dataShape.length) fail(`indices [${indicesShape}] cannot index data [${dataShape}] with batch_dims ${b}`);
  for (let a = 0; a < b; a++) if (indicesShape[a] !== dataShape[a]) fail(`batch dim ${a} differs: indices [${indicesShape}], data [${dataShape}]`);
  const indexed = dataShape.slice(b, b + m);
  const st = strides(indexed);
  const perBatch = numElements(indexed);
  const tuplesPerBatch = numElements(indicesShape.slice(b, -1));
  const tuples = numElements(indicesShape.slice(0, -1));
  const rows = new Array<number>(tuples);
  for (let t = 0; t < tuples; t++) {
    let row = Math.floor(t / tuplesPerBatch) * perBatch;
    for (let j = 0; j < m; j++) row += wrap(indices[t * m + j]!, indexed[j]!, fail, 'ND') * st[j]!;
    rows[t] = row;
  }
  return { rows, inner: numElements(dataShape.slice(b + m)) };
}

/** GatherElements along `axis`: the flat data element each output element (shaped like the indices) reads. */
export function elementRows(dataShape: readonly number[], indicesShape: readonly number[], indices: readonly number[], axis: number, fail: IndexFail): number[] {
  if (indicesShape.length !== dataShape.length) fail(`indices [${indicesShape}] and data [${dataShape}] must have the same rank`);
  const ds = strides(dataShape);
  const is = strides(indicesShape);
  const rows = new Array<number>(indices.length);
  for (let i = 0; i < indices.length; i++) {
    let rem = i;
    let flat = 0;
    for (let a = 0; a < indicesShape.length; a++) {
      const c = Math.floor(rem / is[a]!);
      rem -= c * is[a]!;
      if (a !== axis && c >= dataShape[a]!) fail(`indices [${indicesShape}] exceed data [${dataShape}] on axis ${a}`);
      flat += (a === axis ? wrap(indices[i]!, dataShape[a]!, fail, 'GatherElements') : c) * ds[a]!;
    }
    rows[i] = flat;
  }
  return rows;
}
