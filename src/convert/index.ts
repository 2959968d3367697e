import type { Graph } from '../ir/graph.js';
import { inputError, internalError } from '../core/errors.js';
import { detectFormat } from '../core/model-format.js';
import { importOnnx } from './onnx/import.js';
import { runPasses } from './passes/manager.js';
import { DEFAULT_PIPELINE } from './passes/registry.js';
import type { Pass } from './passes/pass.js';
import type { PassResult } from './passes/pass.js';
import { writeTflite } from '../tflite/writer.js';

export interface ConvertRequest {
  bytes: Uint8Array;
  /** Source path, for messages and for external-data files next to an ONNX model. */
  file?: string;
  inputShapes?: Record<string, number[]>;
  keepIoLayout?: boolean;
  /** Verify the IR after every pass (tests; cheap enough to keep on). */
  verifyPasses?: boolean;
  /** The passes to run instead of DEFAULT_PIPELINE (`mai convert --passes`). */
  passes?: readonly Pass[];
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
      return importOnnx(req.bytes, { file: req.file, inputShapes: req.inputShapes, keepIoLayout: req.keepIoLayout });
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

/** ONNX → IR → passes: the graph `writeTflite` (or `writeTfliteWithHoles`) serializes. */
export function convertGraph(req: ConvertRequest): Omit<ConvertResult, 'tflite'> {
  const graph = importModel(req);
  const passes = runPasses(graph, req.passes ?? DEFAULT_PIPELINE, { verify: req.verifyPasses ?? true });
  const invalid = passes.find((p) => p.status === 'invalid' && !p.rolledBack);
  if (invalid) throw internalError(`pass ${invalid.id} left the graph invalid: ${invalid.message}`);
  return { graph, passes };
}

/** ONNX → IR → passes → TFLite bytes. Pure: the caller writes files and prints. */
export function convert(req: ConvertRequest): ConvertResult {
  const { graph, passes } = convertGraph(req);
  return { graph, tflite: writeTflite(graph), passes };
}
