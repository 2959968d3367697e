import type { Graph } from '../ir/graph.js';
import { inputError, internalError } from '../core/errors.js';
import { detectFormat } from '../core/model-format.js';
import { importOnnx } from './onnx/import.js';
import { importTf } from './tf/import.js';
import { loadTfModel } from './tf/load.js';
import { runPasses } from './passes/manager.js';
import { DEFAULT_PIPELINE } from './passes/registry.js';
import type { Pass } from './passes/pass.js';
import type { PassResult } from './passes/pass.js';
import { writeTflite } from '../tflite/writer.js';
import { channelsLastOutputs } from './channels-last-outputs.js';

export interface ConvertRequest {
  bytes: Uint8Array;
  /** Source path, for messages and for external-data files next to an ONNX model. */
  file?: string;
  inputShapes?: Record<string, number[]>;
  keepIoLayout?: boolean;
  /** ONNX: return rank-3 outputs the graph computes channels-last as [N, L, C] (no final TRANSPOSE); channels-last-outputs.ts. */
  channelsLastOutputs?: boolean;
  /** TF SavedModel: the signature to convert (default serving_default). */
  signature?: string;
  /** Keep only these outputs (graph outputs or intermediate values; TF tensors) and what they need (`--outputs`). */
  outputs?: readonly string[];
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

/** Imports a source model into the IR (ONNX, or a TF graph: tfjs model.json, frozen GraphDef, SavedModel). */
export function importModel(req: ConvertRequest): Graph {
  const format = detectFormat(req.bytes, req.file);
  const name = req.file ?? 'model';
  if (format === 'tf-graph' && req.keepIoLayout) throw inputError('bad-option', `--keep-io-layout applies to ONNX models; ${name} is a TF graph, NHWC already`, { file: req.file });
  if (format === 'tf-graph' && req.channelsLastOutputs) throw inputError('bad-option', `--channels-last-outputs applies to ONNX models; ${name} is a TF graph, its outputs are the graph's own`, { file: req.file });
  if (req.channelsLastOutputs && req.keepIoLayout) throw inputError('bad-option', '--channels-last-outputs and --keep-io-layout ask for opposite output layouts; pass one of them', { file: req.file });
  if (format === 'onnx' && req.signature !== undefined) throw inputError('bad-option', `--signature applies to TF SavedModels; ${name} is an ONNX model`, { file: req.file });
  switch (format) {
    case 'onnx':
      return importOnnx(req.bytes, { file: req.file, inputShapes: req.inputShapes, keepIoLayout: req.keepIoLayout, outputs: req.outputs });
    case 'tflite':
      throw inputError('already-tflite', `${name} is already a TFLite flatbuffer (identifier TFL3); mai convert takes an ONNX model or a TF graph`, {
        file: req.file,
        hint: 'use `mai inspect` to look at a .tflite file',
      });
    case 'tf-graph':
      return importTf(loadTfModel(req.bytes, name, { signature: req.signature }), { inputShapes: req.inputShapes, outputs: req.outputs });
    default:
      throw inputError('unknown-format', `${name} is not a model mai recognises (expected ONNX protobuf, a TensorFlow.js model.json, a frozen GraphDef .pb or a SavedModel directory)`, { file: req.file });
  }
}

/** Source model (ONNX or TF) → IR → passes: the graph `writeTflite` (or `writeTfliteWithHoles`) serializes. */
export function convertGraph(req: ConvertRequest): Omit<ConvertResult, 'tflite'> {
  const graph = importModel(req);
  const passes = runPasses(graph, req.passes ?? DEFAULT_PIPELINE, { verify: req.verifyPasses ?? true });
  const invalid = passes.find((p) => p.status === 'invalid' && !p.rolledBack);
  if (invalid) throw internalError(`pass ${invalid.id} left the graph invalid: ${invalid.message}`);
  if (req.channelsLastOutputs) channelsLastOutputs(graph);
  return { graph, passes };
}

/** Source model → IR → passes → TFLite bytes. Pure: the caller writes files and prints. */
export function convert(req: ConvertRequest): ConvertResult {
  const { graph, passes } = convertGraph(req);
  return { graph, tflite: writeTflite(graph), passes };
}
