/**
 * Empty (zero-element) tensors. An empty tensor carries no data, so everything computed from it is
 * known at conversion time: an empty graph input becomes an empty constant (the fold rules and the
 * importers then evaluate what reads it: a reduction over it is the reduction's identity), an op
 * whose every output is empty computes nothing (ImportContext.emit skips it and its outputs become
 * empty constants), and an empty graph output is known without running anything.
 *
 * LiteRT cannot feed or return a zero-size tensor (its TensorBuffer refuses zero bytes: a model with
 * one cannot be run at all), so empty graph inputs and outputs are left out of the .tflite. They are
 * listed, with their ONNX dtype and shape, in the model's metadata under EMPTY_IO_KEY (`emptyIo()`
 * reads it back) and in a conversion note.
 */
import { allocTyped, type DType } from '../../ir/dtype.js';
import type { Graph } from '../../ir/graph.js';
import { numElements } from '../../ir/tensor.js';
import { EMPTY_IO_NOTE_KEY, type ImportContext } from './context.js';

/** Graph metadata key: JSON `EmptyIo` of the ONNX graph inputs / outputs left out because they have no elements. */
export const EMPTY_IO_KEY = 'mai_empty_io';

export interface EmptyTensor {
  name: string;
  /** The ONNX element type. */
  dtype: DType;
  /** ONNX shape (at least one dim is 0). */
  shape: number[];
}

export interface EmptyIo {
  inputs: EmptyTensor[];
  outputs: EmptyTensor[];
}

export const isEmptyShape = (shape: readonly number[]): boolean => numElements(shape) === 0;

/** The ONNX graph inputs / outputs a converted model left out because they have no elements (none when absent). */
export function emptyIo(g: Graph): EmptyIo {
  const raw = g.metadata.get(EMPTY_IO_KEY);
  if (!raw) return { inputs: [], outputs: [] };
  const v = JSON.parse(raw) as Partial<EmptyIo>;
  return { inputs: v.inputs ?? [], outputs: v.outputs ?? [] };
}

function record(g: Graph, side: keyof EmptyIo, t: EmptyTensor): void {
  const io = emptyIo(g);
  io[side].push({ name: t.name, dtype: t.dtype, shape: [...t.shape] });
  g.metadata.set(EMPTY_IO_KEY, JSON.stringify(io));
  const list = (ts: EmptyTensor[], what: string) => (ts.length ? [`${what} ${ts.map((x) => `'${x.name}' [${x.shape.join(',')}]`).join(', ')}`] : []);
  const which = [...list(io.inputs, io.inputs.length > 1 ? 'inputs' : 'input'), ...list(io.outputs, io.outputs.length > 1 ? 'outputs' : 'output')].join(' and ');
  g.metadata.set(
    EMPTY_IO_NOTE_KEY,
    `${which} of the ONNX model ${io.inputs.length + io.outputs.length > 1 ? 'have' : 'has'} no elements: LiteRT cannot feed or return empty tensors, so the .tflite leaves them out (listed in its metadata '${EMPTY_IO_KEY}'); what is computed from an empty input was folded to constants`,
  );
}

/** An empty graph input: an empty constant (not a .tflite input), recorded in the metadata. */
export function defineEmptyInput(ctx: ImportContext, name: string, dtype: DType, shape: number[]): void {
  ctx.defineConst(name, { dtype, shape: [...shape], data: allocTyped(dtype, 0) });
  record(ctx.g, 'inputs', { name, dtype, shape });
}

/** True (and recorded) when graph output `name` has no elements: the .tflite leaves it out. */
export function dropEmptyOutput(ctx: ImportContext, name: string, dtype: DType): boolean {
  const v = ctx.value(name);
  if (!isEmptyShape(v.shape)) return false;
  record(ctx.g, 'outputs', { name, dtype, shape: v.shape });
  return true;
}

/** ONNX value `name` is an empty result (nothing to compute): an empty constant of `shape`. */
export function defineEmptyResult(ctx: ImportContext, name: string, dtype: DType, shape: number[]): void {
  ctx.defineConst(name, { dtype, shape: [...shape], data: allocTyped(dtype, 0) });
}

/**
 * After an importer ran: its outputs with no elements (their ops were skipped by `emit`) become
 * empty constants, so what reads them folds instead of running on an empty tensor.
 */
export function settleEmptyValues(ctx: ImportContext, names: readonly string[]): void {
  for (const name of names) {
    if (!name || !ctx.has(name)) continue;
    const v = ctx.value(name);
    if (v.constant || !isEmptyShape(v.shape)) continue;
    v.constant = { dtype: v.dtype, shape: [...v.shape], data: allocTyped(v.dtype, 0) };
    v.primary = undefined;
  }
}
