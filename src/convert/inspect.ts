import { detectFormat, type ModelFormat } from '../core/model-format.js';
import { convert } from './index.js';
import { readTflite } from '../tflite/reader.js';
import { graphFlops } from '../ir/flops.js';
import type { Graph } from '../ir/graph.js';
import { opLabel } from '../ir/op-label.js';
import { gpuVerdict } from './gpu/verdict.js';
import { GPU_TARGETS, type GpuTarget } from './gpu/targets.js';
import { inputError, isMaiError, type NodeDiagnostic } from '../core/errors.js';
import { decodeModel } from './onnx/decode.js';
import { normalizeGraph } from './onnx/normalize.js';
import { selectOnnxOutputs } from './onnx/select-outputs.js';
import { onnxDType } from './onnx/tensor-data.js';
import { num, type ValueInfoProto } from './onnx/proto.js';
import { opsetVersions, DEFAULT_DOMAIN } from './onnx/opset.js';
import { loadTfModel } from './tf/load.js';
import { summarizeTfGraph } from './tf/inspect.js';

export interface TensorInfo {
  name: string;
  dtype: string;
  /** numbers for static dims; strings for symbolic ONNX dims ('?' when unnamed) */
  shape: Array<number | string>;
  layout?: string;
}

/** What the TFLite file (given, or the one `mai convert` would write) contains. */
export interface TfliteSummary {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  ops: Record<string, number>;
  nodeCount: number;
  tensorCount: number;
  weightBytes: number;
  flops: number;
  /** What the target's GPU delegate would do with this graph. */
  gpu: GpuInspect;
}

/** Per-op GPU verdicts and the partitions the delegate would create. */
export interface GpuInspect {
  target: string;
  /** Partitions the delegate would create (≤ its max). */
  delegatePartitions: number;
  maxDelegatedPartitions: number;
  /** Subsets of supported ops in the graph; more than the max means supported ops left on the CPU. */
  supportedSubsets: number;
  fullyDelegated: boolean;
  delegatedOps: number;
  cpuOps: number;
  ops: Array<{ index: number; node: string; op: string; verdict: 'delegated' | 'cpu'; partition?: number; rule?: string; message?: string; rules?: string[] }>;
}

function inspectGpu(g: Graph, target: GpuTarget): GpuInspect {
  const v = gpuVerdict(g, { ...target.options, target: target.id });
  return {
    target: target.id,
    delegatePartitions: v.delegatePartitions,
    maxDelegatedPartitions: v.maxDelegatedPartitions,
    supportedSubsets: v.supportedSubsets,
    fullyDelegated: v.fullyDelegated,
    delegatedOps: v.delegatedOps,
    cpuOps: v.cpuOps.length,
    ops: v.ops.map((o) => ({
      index: o.index,
      node: o.node,
      op: o.op,
      verdict: o.delegated ? 'delegated' : 'cpu',
      ...(o.partition !== undefined ? { partition: o.partition } : {}),
      ...(o.delegated ? {} : { rule: o.rules[0]!.rule, message: o.rules[0]!.message, rules: o.rules.map((r) => r.rule) }),
    })),
  };
}

export interface ModelInfo extends Omit<TfliteSummary, 'gpu'> {
  /** .tflite: the GPU verdict of the file; ONNX: absent (see conversion.tflite.gpu). */
  gpu?: GpuInspect;
  file: string;
  format: ModelFormat;
  fileBytes: number;
  /** TF graphs: which of the three formats (tfjs, graphdef, saved-model). */
  sourceFormat?: string;
  /** ONNX: the default-domain opset */
  opset?: number;
  /**
   * ONNX and TF graphs: the conversion `mai convert` would do, with default options — its result,
   * or why it is not possible (every unsupported node).
   */
  conversion?: { ok: true; tflite: TfliteSummary } | { ok: false; error: string; message: string; diagnostics: NodeDiagnostic[] };
}

export { opLabel };

export function summarizeGraph(g: Graph, target: GpuTarget = GPU_TARGETS[0]!): TfliteSummary {
  const info = (name: string): TensorInfo => {
    const t = g.tensor(name);
    return { name, dtype: t.dtype, shape: t.shape, layout: t.layout };
  };
  const ops: Record<string, number> = {};
  for (const n of g.nodes) ops[opLabel(n)] = (ops[opLabel(n)] ?? 0) + 1;
  let weightBytes = 0;
  for (const t of g.tensors.values()) if (t.data) weightBytes += t.data.byteLength;
  return {
    inputs: g.inputs.map(info),
    outputs: g.outputs.map(info),
    ops,
    nodeCount: g.nodes.length,
    tensorCount: g.tensors.size,
    weightBytes,
    flops: graphFlops(g),
    gpu: inspectGpu(g, target),
  };
}

/** ONNX element type name: mai's dtypes, plus bfloat16 (which mai does not convert). */
function onnxElemName(code: number): string {
  return onnxDType(code) ?? (code === 16 ? 'bfloat16' : `onnx-type-${code}`);
}

function onnxValueInfo(v: ValueInfoProto): TensorInfo {
  const tt = v.type?.tensorType;
  const dims = tt?.shape?.dim ?? [];
  return {
    name: v.name ?? '',
    dtype: onnxElemName(tt?.elemType ?? 0),
    shape: dims.map((d) => (d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? num(d.dimValue) : '?')),
  };
}

function inspectOnnx(bytes: Uint8Array, file: string, inputShapes: Record<string, number[]> | undefined, target: GpuTarget, outputs?: readonly string[]): ModelInfo {
  const model = decodeModel(bytes, file);
  const g = model.graph!;
  if (outputs?.length) {
    // described as the selection: its outputs and the nodes they need (an unknown name is exit 2)
    normalizeGraph(g, file);
    selectOnnxOutputs(g, outputs, file);
  }
  const inits = new Set((g.initializer ?? []).map((t) => t.name));
  const ops: Record<string, number> = {};
  for (const n of g.node ?? []) {
    const label = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : (n.opType ?? '?');
    ops[label] = (ops[label] ?? 0) + 1;
  }
  let weightBytes = 0;
  for (const t of g.initializer ?? []) {
    if (t.rawData?.byteLength) weightBytes += t.rawData.byteLength;
    else if (t.floatData?.length) weightBytes += 4 * t.floatData.length;
    else if (t.int64Data?.length) weightBytes += 8 * t.int64Data.length;
    else if (t.int32Data?.length) weightBytes += 4 * t.int32Data.length;
    else if (t.doubleData?.length) weightBytes += 8 * t.doubleData.length;
    else for (const e of t.externalData ?? []) if (e.key === 'length') weightBytes += Number(e.value);
  }
  const conversion = wouldConvert(bytes, file, inputShapes, target, outputs);
  const flops = conversion?.ok ? conversion.tflite.flops : 0;
  return {
    file,
    format: 'onnx',
    fileBytes: bytes.byteLength,
    opset: opsetVersions(model).get(DEFAULT_DOMAIN),
    inputs: (g.input ?? []).filter((v) => !inits.has(v.name ?? '')).map(onnxValueInfo),
    outputs: (g.output ?? []).map(onnxValueInfo),
    ops,
    nodeCount: g.node?.length ?? 0,
    tensorCount: new Set([...(g.node ?? []).flatMap((n) => [...(n.input ?? []), ...(n.output ?? [])]), ...inits].filter(Boolean)).size,
    weightBytes,
    flops,
    conversion,
  };
}

/** The conversion `mai convert` would do with default options, or why it cannot (every unsupported node). */
function wouldConvert(bytes: Uint8Array, file: string, inputShapes: Record<string, number[]> | undefined, target: GpuTarget, outputs?: readonly string[]): ModelInfo['conversion'] {
  try {
    const { graph } = convert({ bytes, file, inputShapes, outputs, verifyPasses: false });
    return { ok: true, tflite: summarizeGraph(graph, target) };
  } catch (e) {
    if (!isMaiError(e) || e.exit !== 2) throw e;
    return { ok: false, error: e.code, message: e.message, diagnostics: e.diagnostics };
  }
}

function inspectTf(bytes: Uint8Array, file: string, inputShapes: Record<string, number[]> | undefined, target: GpuTarget, outputs?: readonly string[]): ModelInfo {
  const model = loadTfModel(bytes, file);
  const conversion = wouldConvert(bytes, file, inputShapes, target, outputs);
  return {
    file,
    format: 'tf-graph',
    sourceFormat: model.format,
    fileBytes: bytes.byteLength,
    ...summarizeTfGraph(model),
    flops: conversion?.ok ? conversion.tflite.flops : 0,
    conversion,
  };
}

/**
 * Inspect any supported format. A .tflite is read as is; an ONNX model is described as it
 * is (its own I/O, ops and weights) plus what `mai convert` would make of it.
 */
export function inspectModel(bytes: Uint8Array, file: string, inputShapes?: Record<string, number[]>, target: GpuTarget = GPU_TARGETS[0]!, outputs?: readonly string[]): ModelInfo {
  const format = detectFormat(bytes, file);
  if (format === 'tflite' && outputs?.length) throw inputError('bad-option', `--outputs selects outputs of a source model; ${file} is already a .tflite`, { file });
  if (format === 'tflite') return { file, format, fileBytes: bytes.byteLength, ...summarizeGraph(readTflite(bytes, file), target) };
  if (format === 'onnx') return inspectOnnx(bytes, file, inputShapes, target, outputs);
  if (format === 'tf-graph') return inspectTf(bytes, file, inputShapes, target, outputs);
  throw inputError('unknown-format', `${file} is not a model mai recognises (expected .onnx, .tflite, a TensorFlow.js model.json, a frozen GraphDef .pb or a SavedModel directory)`, { file });
}
