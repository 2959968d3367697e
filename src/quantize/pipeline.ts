/**
 * `mai quantize` as one library call: load (or convert) the float model, read
 * the calibration data, calibrate, quantize (with the budget loop when asked),
 * measure the per-layer report on held-out samples, return the bytes to write.
 * Pure apart from reading its inputs: the CLI writes and prints.
 */
import { inputError } from '../core/errors.js';
import { uniformFloat32 } from '../core/random.js';
import { detectFormat } from '../core/model-format.js';
import type { Graph } from '../ir/graph.js';
import { numElements } from '../ir/tensor.js';
import type { HostTensor } from '../runtime/types.js';
import { readTflite } from '../tflite/reader.js';
import { runPasses } from '../convert/passes/manager.js';
import { fuseActivation } from '../convert/passes/fuse-activation.js';
import { writeTflite } from '../tflite/writer.js';
import { openCalibSource, splitSamples, type CalibSample, type CalibSourceKind } from './calib-data/source.js';
import { DEFAULT_PREPROCESS, type Preprocess } from './calib-data/preprocess-config.js';
import { activationTensors, calibrate, type CalibrationStats } from './calibrate.js';
import { DEFAULT_EXPOSE_BUDGET_MB, exposeGroups } from './expose-groups.js';
import { quantizeInt8 } from './int8.js';
import { quantizeFp16 } from './fp16.js';
import { quantizeDynamicRange } from './dynamic-range.js';
import type { ObserverOptions } from './observers/types.js';
import type { Int8Result, IoType } from './types.js';
import { measureErrors, weightErrors, type QuantReport } from './report.js';
import { METRICS } from '../validate/metrics/index.js';
import { QUALITY_THRESHOLDS, qualityWarnings, quantLabel } from './quality.js';
import { mixedPrecision, type MixedPrecisionResult, type OutputBudget } from './mixed-precision.js';
import { loadTargets, taskDropScorer, type TaskScoreOptions } from './task-budget.js';
import { imageSpecFor } from './calib-data/image-tensor.js';

export type QuantMode = 'int8' | 'fp16' | 'dynamic';

export type QuantPhase = 'calibrate' | 'sensitivity' | 'search' | 'report';

export interface QuantizeModelOptions {
  /** path of the model (named in errors) and its bytes */
  file: string;
  bytes: Uint8Array;
  mode: QuantMode;
  /** ONNX inputs with symbolic dims (passed to convert) */
  inputShapes?: Record<string, number[]>;
  io?: IoType;
  calib?: string;
  preprocess?: Preprocess;
  calibSamples?: number;
  evalSamples?: number;
  observer?: ObserverOptions;
  maxDrop?: OutputBudget;
  /** how a task-metric budget reads outputs and scores them (as mai validate: region, unknownKernel, outputIndex) */
  task?: Omit<TaskScoreOptions, 'layout'>;
  /** MiB of activations one LiteRT model exposes at most during calibration and the report */
  exposeBudgetMB?: number;
  /** false: calibrate in this thread only (default: every other sample in the calibration worker where it fits; the statistics are the same) */
  calibWorker?: boolean;
  /** random inputs for the report when there is no calibration data (fp16 / dynamic) */
  randomSamples?: number;
  onProgress?(phase: QuantPhase, done: number, total: number): void;
}

export interface QuantizeModelResult {
  floatGraph: Graph;
  /** the float model as loaded (.tflite) or converted (ONNX) */
  floatBytes: Uint8Array;
  converted: boolean;
  graph: Graph;
  bytes: Uint8Array;
  report: QuantReport;
  mixed?: MixedPrecisionResult;
  /** plain int8 size when the budget kept layers float */
  int8Bytes?: number;
  data?: { root: string; kind: CalibSourceKind; total: number };
  stats?: CalibrationStats;
  /** calibration; the quantization itself (incl. the budget search and writing the bytes); the error report */
  timings: { calibrateMs?: number; calibSamplesPerSec?: number; quantizeMs?: number; reportMs?: number };
  /** what was done to the float graph before int8 (e.g. RELUs fused into their producers) */
  notes: string[];
  /** a task-metric budget's metric, mean over the evaluation samples, float vs chosen model */
  taskMetric?: { metric: string; task: string; float: number; quantized: number; drop: number };
}

/** A float TFLite file as is, or anything `mai convert` accepts converted first. */
export async function loadFloatModel(bytes: Uint8Array, file: string, inputShapes?: Record<string, number[]>): Promise<{ graph: Graph; bytes: Uint8Array; converted: boolean }> {
  if (detectFormat(bytes, file) === 'tflite') return { graph: readTflite(bytes, file), bytes, converted: false };
  const { convert } = await import('../convert/index.js');
  const r = convert({ bytes, file, inputShapes });
  return { graph: r.graph, bytes: r.tflite, converted: true };
}

async function loadAll(samples: readonly CalibSample[]): Promise<HostTensor[][]> {
  const out: HostTensor[][] = [];
  for (const s of samples) out.push(await s.load());
  return out;
}

export async function quantizeModel(o: QuantizeModelOptions): Promise<QuantizeModelResult> {
  const { graph: floatGraph, bytes: floatBytes, converted } = await loadFloatModel(o.bytes, o.file, o.inputShapes);
  const notes: string[] = [];
  const alreadyQuantized = [...floatGraph.tensors.values()].filter((t) => !t.data && (t.dtype === 'int8' || t.dtype === 'uint8') && t.quant).length;
  if (alreadyQuantized > 0) notes.push(`${o.file} is already quantized (${alreadyQuantized} int8/uint8 activation tensors); those parts are left as they are and compared as they run`);
  if (o.mode === 'int8' && !converted) {
    // A RELU left as its own op after a conv makes the conv's int8 output span the negative
    // range the RELU then drops, wasting most levels on it (selfie_segmentation: −16.7…2.7 → 35
    // levels for what survives). Fused, the conv output is quantized over [0, max] — what
    // TFLite's converter does. (ONNX inputs went through the convert passes already.)
    const [fused] = runPasses(floatGraph, [fuseActivation], { verify: false });
    const n = (fused?.stats as { fused?: number } | undefined)?.fused ?? 0;
    if (n > 0) notes.push(`fused ${n} activation op(s) into their producers before int8 (numerically the same float model)`);
  }
  for (const name of floatGraph.inputs) {
    const t = floatGraph.tensor(name);
    if (t.dtype !== 'float32') throw inputError('not-a-float-model', `${o.file}: input '${name}' is ${t.dtype}; mai quantize takes a float model`, { file: o.file });
  }
  if (o.mode === 'int8' && !o.calib) {
    throw inputError('calib-required', `int8 quantization needs calibration data (--calib) for ${o.file}`, {
      file: o.file,
      hint: 'give --calib DIR (CelebAMat img/, EBB! original/, a folder of images or .npy tensors), or use --mode fp16 / dynamic, which need none',
    });
  }
  const inputs = floatGraph.inputs.map((name) => ({ name, shape: [...floatGraph.tensor(name).shape] }));
  let calib: CalibSample[] = [];
  let held: CalibSample[] = [];
  let data: QuantizeModelResult['data'];
  if (o.calib) {
    const src = await openCalibSource(o.calib, inputs, o.preprocess ?? DEFAULT_PREPROCESS);
    ({ calib, eval: held } = splitSamples(src.samples, { calibSamples: o.calibSamples, evalSamples: o.evalSamples }));
    data = { root: src.root, kind: src.kind, total: src.samples.length };
  }
  const timings: QuantizeModelResult['timings'] = {};
  const result: Partial<QuantizeModelResult> = { floatGraph, floatBytes, converted, data, timings, notes };

  // evaluation samples: held-out; else (tiny data) the calibration samples; else (no data) seeded uniform [0, 1]
  let evalTensors: HostTensor[][];
  let evaluatedOn: QuantReport['evaluatedOn'];
  let evalNames: string[];
  let evalSamples: CalibSample[] = [];
  if (held.length) {
    evalSamples = held;
    evalTensors = await loadAll(held);
    evaluatedOn = 'held-out';
    evalNames = held.map((s) => s.name);
  } else if (calib.length) {
    const few = calib.slice(0, 8);
    evalSamples = few;
    evalTensors = await loadAll(few);
    evaluatedOn = 'calibration';
    evalNames = few.map((s) => s.name);
  } else {
    const n = o.randomSamples ?? 2;
    evalTensors = Array.from({ length: n }, (_, k) =>
      inputs.map((i, j) => ({ name: i.name, dtype: 'float32' as const, shape: i.shape, data: uniformFloat32(numElements(i.shape), 1000 + k * 17 + j, 0, 1) })),
    );
    evaluatedOn = 'random';
    evalNames = evalTensors.map((_, k) => `uniform[0,1] seed ${1000 + k * 17}`);
  }

  let graph: Graph;
  let reportGraph: Graph;
  let tq = performance.now();
  let int8: Int8Result | undefined;
  let stats: CalibrationStats | undefined;
  if (o.mode === 'int8') {
    const t0 = performance.now();
    async function* stream() {
      for (const s of calib) yield await s.load();
    }
    stats = await calibrate(floatGraph, stream, {
      ...(o.observer ?? { kind: 'percentile' }),
      exposeBudgetMB: o.exposeBudgetMB,
      ...(o.calibWorker === false ? { worker: false } : {}),
      sampleCount: calib.length,
      onProgress: (d, t) => o.onProgress?.('calibrate', d, t ?? calib.length),
    });
    const ms = performance.now() - t0;
    timings.calibrateMs = ms;
    tq = performance.now();
    timings.calibSamplesPerSec = calib.length / (ms / 1000);
    const s = stats;
    const q = (keepFloat: ReadonlySet<string>) => quantizeInt8(floatGraph, s, { io: 'float', keepFloat });
    if (o.maxDrop) {
      let score: ReturnType<typeof taskDropScorer> | undefined;
      const task = o.maxDrop.task;
      if (task) {
        const targets = await loadTargets(evalSamples, task, o.calib ?? o.file);
        const layout = imageSpecFor(inputs[0]!.shape, `model input '${inputs[0]!.name}'`, o.preprocess ?? DEFAULT_PREPROCESS).layout;
        score = taskDropScorer(task, o.maxDrop.metric as Parameters<typeof taskDropScorer>[1], targets, { ...o.task, layout });
      }
      const mixed = await mixedPrecision({ floatGraph, budget: o.maxDrop, quantize: q, samples: evalTensors, score, onProgress: (p, d, t) => o.onProgress?.(p, d, t) });
      if (task && score) {
        const float = score.reference()!;
        const quantized = float + (METRICS[o.maxDrop.metric].higherIsBetter ? -mixed.value : mixed.value);
        result.taskMetric = { metric: o.maxDrop.metric, task, float, quantized, drop: mixed.value };
      }
      result.mixed = mixed;
      int8 = mixed.result;
      if (mixed.keptFloat.length) result.int8Bytes = writeTflite(q(new Set()).graph).byteLength;
    } else int8 = q(new Set());
    reportGraph = int8.graph;
    const io = o.io ?? 'float';
    graph = io === 'float' ? int8.graph : quantizeInt8(floatGraph, s, { io, keepFloat: new Set(result.mixed?.keptFloat ?? []) }).graph;
  } else {
    graph = o.mode === 'fp16' ? quantizeFp16(floatGraph) : quantizeDynamicRange(floatGraph);
    reportGraph = graph;
  }
  const keptFloat = int8?.keptFloat ?? [];
  const int8Layers = new Set((int8?.tensors ?? []).filter((t) => t.kind === 'activation' && t.node).map((t) => t.node!));
  const label = quantLabel(o.mode, int8Layers.size + keptFloat.length, keptFloat.length);
  // the file says what it is (mai inspect and netron show the description)
  graph.description = `${floatGraph.description ? `${floatGraph.description}; ` : ''}quantized by mai: ${label}`;
  const bytes = writeTflite(graph);
  timings.quantizeMs = performance.now() - tq;
  const tr = performance.now();
  // fp16 / dynamic need no calibration: on a model whose activations do not fit one exposed
  // model, their report compares the final outputs only (a per-layer pass per group would cost
  // more than the quantization itself)
  const groups = exposeGroups(floatGraph, activationTensors(floatGraph), o.exposeBudgetMB).length;
  const layers = o.mode === 'int8' || groups === 1;
  if (!layers) notes.push(`per-layer errors not measured: the activations need ${groups} exposed models (budget ${o.exposeBudgetMB ?? DEFAULT_EXPOSE_BUDGET_MB} MiB each); final outputs compared`);
  const measured = await measureErrors({
    layers,
    exposeBudgetMB: o.exposeBudgetMB,
    floatGraph,
    quantGraph: reportGraph,
    tensors: int8?.tensors,
    stats,
    samples: evalTensors,
    onSample: (() => {
      let d = 0;
      const total = evalTensors.length * (layers ? groups : 1);
      return () => o.onProgress?.('report', ++d, total);
    })(),
  });
  timings.reportMs = performance.now() - tr;
  const quality = {
    mode: o.mode,
    calibSamples: calib.length,
    evaluatedOn,
    outputs: measured.outputs,
    layers: measured.layers,
  };
  const report: QuantReport = {
    mode: o.mode,
    label,
    warnings: qualityWarnings(quality),
    thresholds: QUALITY_THRESHOLDS,
    evalSamples: evalNames,
    evaluatedOn,
    calibSamples: calib.map((s) => s.name),
    sizes: { floatBytes: floatBytes.byteLength, quantizedBytes: bytes.byteLength, ratio: bytes.byteLength / floatBytes.byteLength },
    outputs: measured.outputs,
    layers: measured.layers,
    weights: int8 ? weightErrors(floatGraph, reportGraph, int8.tensors) : [],
    keptFloat,
  };
  return { ...(result as QuantizeModelResult), graph, bytes, report, stats };
}
