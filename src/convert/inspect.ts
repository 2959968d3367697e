import { detectFormat, type ModelFormat } from './detect.js';
import { importModel } from './index.js';
import { readTflite } from '../tflite/reader.js';
import { graphFlops } from '../ir/flops.js';
import type { Graph } from '../ir/graph.js';
import { inputError } from '../core/errors.js';

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  layout: string;
}

export interface ModelInfo {
  file: string;
  format: ModelFormat;
  fileBytes: number;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** op histogram (TFLite-level ops; for ONNX after import into the IR) */
  ops: Record<string, number>;
  nodeCount: number;
  tensorCount: number;
  weightBytes: number;
  flops: number;
}

export function describeGraph(g: Graph, file: string, format: ModelFormat, fileBytes: number): ModelInfo {
  const info = (name: string): TensorInfo => {
    const t = g.tensor(name);
    return { name, dtype: t.dtype, shape: t.shape, layout: t.layout };
  };
  const ops: Record<string, number> = {};
  for (const n of g.nodes) ops[n.op] = (ops[n.op] ?? 0) + 1;
  let weightBytes = 0;
  for (const t of g.tensors.values()) if (t.data) weightBytes += t.data.byteLength;
  return {
    file,
    format,
    fileBytes,
    inputs: g.inputs.map(info),
    outputs: g.outputs.map(info),
    ops,
    nodeCount: g.nodes.length,
    tensorCount: g.tensors.size,
    weightBytes,
    flops: graphFlops(g),
  };
}

/** Inspect any supported format: .tflite is read as is, ONNX is imported into the IR. */
export function inspectModel(bytes: Uint8Array, file: string, inputShapes?: Record<string, number[]>): ModelInfo {
  const format = detectFormat(bytes, file);
  let g: Graph;
  if (format === 'tflite') g = readTflite(bytes, file);
  else if (format === 'onnx') g = importModel({ bytes, file, inputShapes });
  else throw inputError('unknown-format', `${file} is not a model mai recognises (expected .onnx or .tflite)`, { file });
  return describeGraph(g, file, format, bytes.byteLength);
}
