import type { Graph } from '../ir/graph.js';
import { inputError } from '../core/errors.js';
import { detectFormat } from './detect.js';
import { importOnnx } from './onnx/import.js';
import { runPasses } from './passes/manager.js';
import { DEFAULT_PIPELINE } from './passes/registry.js';
import type { PassResult } from './passes/pass.js';
import { writeTflite } from '../tflite/writer.js';

export interface ConvertRequest {
  bytes: Uint8Array;
  /** Source path, for messages and for external-data files next to an ONNX model. */
  file?: string;
  inputShapes?: Record<string, number[]>;
  keepIoLayout?: boolean;
  /** Keep only these outputs (graph outputs or intermediate values) and what they need. */
  outputs?: readonly string[];
  /** Verify the IR after every pass (tests; cheap enough to keep on). */
  verifyPasses?: boolean;
}

export interface ConvertResult {
  graph: Graph;
  tflite: Uint8Array;
  passes: Array<{ id: string } & PassResult>;
}

/** Imports a source model into the IR (ONNX today; TF graphs are a later issue). */
export function importModel(req: ConvertRequest): Graph {
  const format = detectFormat(req.bytes, req.file);
  const name = req.file ?? 'model';
  switch (format) {
    case 'onnx':
      return importOnnx(req.bytes, { file: req.file, inputShapes: req.inputShapes, keepIoLayout: req.keepIoLayout, outputs: req.outputs });
    case 'tflite':
      throw inputError('already-tflite', `${name} is already a TFLite flatbuffer (identifier TFL3); mai convert takes an ONNX model`, {
        file: req.file,
        hint: 'use `mai inspect` to look at a .tflite file',
      });
    case 'tf-graph':
      throw inputError('unsupported-format', `${name}: TensorFlow graphs are not supported yet; mai convert takes an ONNX model`, { file: req.file });
    default:
      throw inputError('unknown-format', `${name} is not a model mai recognises (expected ONNX protobuf)`, { file: req.file });
  }
}

/** ONNX → IR → passes → TFLite bytes. Pure: the caller writes files and prints. */
export function convert(req: ConvertRequest): ConvertResult {
  const graph = importModel(req);
  const passes = runPasses(graph, DEFAULT_PIPELINE, { verify: req.verifyPasses ?? true });
  const invalid = passes.find((p) => p.status === 'invalid');
  if (invalid) throw new Error(`pass ${invalid.id} left the graph invalid: ${invalid.message}`);
  const tflite = writeTflite(graph);
  return { graph, tflite, passes };
}
