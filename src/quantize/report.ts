/**
 * The per-layer error report of a quantized model: for every activation
 * tensor, its quantization parameters, the calibrated range and clipping rate,
 * and how far the quantized model's value of it strays from the float model's
 * on held-out samples (both models run in LiteRT with the tensors exposed as
 * outputs). Worst layers (lowest SQNR) first; plus the final outputs and sizes.
 */
import type { Graph } from '../ir/graph.js';
import type { HostTensor } from '../runtime/types.js';
import { liteRtRuntime } from '../runtime/litert.js';
import { writeTflite } from '../tflite/writer.js';
import { agreementMetrics } from '../validate/metrics/index.js';
import { exposeTensors } from './expose.js';
import { exposeGroups } from './expose-groups.js';
import { activationTensors, type CalibrationStats } from './calibrate.js';
import type { QuantizedTensorInfo } from './types.js';
import { realValues } from './fold-dequantize.js';
import { internalError } from '../core/errors.js';
import { foregroundAgreement, type ForegroundAgreement, type QualityThresholds, type QualityWarning } from './quality.js';

/** Σ over samples of the quantities the error metrics need, so several samples combine exactly. */
export class ErrorAccumulator {
  count = 0;
  signal = 0;
  noise = 0;
  dot = 0;
  candEnergy = 0;

  add(ref: ArrayLike<number>, cand: ArrayLike<number>): void {
    if (ref.length !== cand.length) throw internalError(`error accumulator: ${ref.length} reference values vs ${cand.length} candidate values`);
    for (let i = 0; i < ref.length; i++) {
      const r = ref[i]!;
      const c = cand[i]!;
      const d = c - r;
      this.signal += r * r;
      this.noise += d * d;
      this.dot += r * c;
      this.candEnergy += c * c;
    }
    this.count += ref.length;
  }

  get rmse(): number {
    return this.count ? Math.sqrt(this.noise / this.count) : 0;
  }
  /** 10·log10(Σref² / Σ(cand − ref)²) dB; Infinity when identical (as validate's sqnr) */
  get sqnrDb(): number {
    return this.noise === 0 ? Infinity : 10 * Math.log10(this.signal / this.noise);
  }
  /** ⟨ref, cand⟩ / (‖ref‖·‖cand‖); 1 when both are all-zero, 0 when one is (as validate's cosine) */
  get cosine(): number {
    if (this.signal === 0 && this.candEnergy === 0) return 1;
    if (this.signal === 0 || this.candEnergy === 0) return 0;
    return this.dot / Math.sqrt(this.signal * this.candEnergy);
  }
}

export interface LayerError {
  /** float tensor name (the float model's) */
  tensor: string;
  /** the tensor standing for it in the quantized model */
  quantTensor: string;
  /** the node writing it in the float model, and its op ('input' for a graph input) */
  node: string;
  op: string;
  /** int8 parameters (per-tensor activations); absent when the tensor stays float */
  scale?: number;
  zeroPoint?: number;
  /** observed range and the chosen (clipping) range, from calibration */
  min?: number;
  max?: number;
  lo?: number;
  hi?: number;
  clipRate?: number;
  rmse: number;
  /** RMSE in quantization steps; undefined without a scale */
  rmseOverScale?: number;
  sqnrDb: number;
  cosine: number;
  /**
   * SQNR this layer loses against the worst of its data inputs (dB, > 0 = it adds noise):
   * accumulated SQNR ranks the victims, this names the culprit. Undefined for graph inputs.
   */
  addedDb?: number;
}

/** A weight tensor's int8 rounding error (exact: the float values against their dequantized int8 values). */
export interface WeightError {
  tensor: string;
  node: string;
  /** quantized dimension and channel count (per-channel weights) */
  axis?: number;
  channels: number;
  scaleMin: number;
  scaleMax: number;
  rmse: number;
  sqnrDb: number;
}

export interface OutputError {
  name: string;
  rmse: number;
  maxAbs: number;
  sqnrDb: number;
  cosine: number;
  /** for an output whose float values all lie in [0, 1] (mask, alpha): agreement of the two masks */
  foreground?: ForegroundAgreement;
}

export interface QuantReport {
  mode: 'int8' | 'fp16' | 'dynamic';
  /** what the file is: the mode, with the share of layers kept float (`int8 (12 of 113 layers float)`) */
  label: string;
  /** what the numbers below say out loud (few calibration samples, poor SQNR, near-zero output …) */
  warnings: QualityWarning[];
  thresholds: QualityThresholds;
  /** the samples the errors were measured on */
  evalSamples: string[];
  /** 'held-out' normally; 'calibration' when there were too few samples to hold any out; 'random' (seeded uniform [0, 1] inputs) without data */
  evaluatedOn: 'held-out' | 'calibration' | 'random';
  calibSamples: string[];
  sizes: { floatBytes: number; quantizedBytes: number; ratio: number };
  outputs: OutputError[];
  /** worst (lowest SQNR) first */
  layers: LayerError[];
  /** int8 weights, worst (lowest SQNR) first; empty for fp16 */
  weights: WeightError[];
  keptFloat: Array<{ node: string; op: string; reason: string }>;
}

/** One float tensor compared across the two models. */
export interface TensorPair {
  source: string;
  quant: string;
  scale?: number;
  zeroPoint?: number;
}

/**
 * The tensors to compare: int8 activations (from the quantizer's list, one per float
 * source) or, for fp16 / dynamic range, every float activation present in both graphs.
 */
export function tensorPairs(floatGraph: Graph, quantGraph: Graph, tensors?: readonly QuantizedTensorInfo[]): TensorPair[] {
  const pairs = new Map<string, TensorPair>();
  for (const t of tensors ?? []) {
    if (t.kind !== 'activation' || pairs.has(t.source) || !floatGraph.hasTensor(t.source) || !quantGraph.hasTensor(t.name)) continue;
    pairs.set(t.source, { source: t.source, quant: t.name, scale: t.scale[0], zeroPoint: t.zeroPoint[0] });
  }
  // everything still float in the quantized model under its own name (fp16 / dynamic range, kept-float layers)
  for (const name of activationTensors(floatGraph)) {
    if (pairs.has(name) || !quantGraph.hasTensor(name)) continue;
    const q = quantGraph.tensor(name);
    if (q.dtype === 'float32' && !q.quant) pairs.set(name, { source: name, quant: name });
  }
  return [...pairs.values()];
}

/** Runs `graph` in LiteRT on every sample; outputs per sample. */
export async function runAll(graph: Graph, samples: readonly HostTensor[][], onSample?: () => void): Promise<HostTensor[][]> {
  const model = await liteRtRuntime.load(writeTflite(graph));
  try {
    const out: HostTensor[][] = [];
    for (const s of samples) {
      out.push(await model.run(s));
      onSample?.();
    }
    return out;
  } finally {
    await model.dispose();
  }
}

export interface MeasureOptions {
  floatGraph: Graph;
  quantGraph: Graph;
  tensors?: readonly QuantizedTensorInfo[];
  stats?: CalibrationStats;
  samples: readonly HostTensor[][];
  /** false: final outputs only (no per-layer comparison) */
  layers?: boolean;
  /** MiB of activations one LiteRT model exposes at most */
  exposeBudgetMB?: number;
  /** called after each sample of each group */
  onSample?(): void;
}

/**
 * Per-layer and final-output errors of `quantGraph` against `floatGraph` on `samples` (both in
 * LiteRT). The compared tensors are exposed in groups that fit `exposeBudgetMB` (both models
 * loaded once per group); `layers: false` compares the final outputs only.
 */
export async function measureErrors(o: MeasureOptions): Promise<{ layers: LayerError[]; outputs: OutputError[] }> {
  const pairs = o.layers === false ? [] : tensorPairs(o.floatGraph, o.quantGraph, o.tensors);
  const nOut = o.floatGraph.outputs.length;
  if (o.quantGraph.outputs.length !== nOut) throw internalError(`quantized model has ${o.quantGraph.outputs.length} outputs, the float model ${nOut}`);
  const bySource = new Map(pairs.map((p, i) => [p.source, i] as const));
  const groups = exposeGroups(o.floatGraph, pairs.map((p) => p.source), o.exposeBudgetMB).map((g) => g.map((s) => bySource.get(s)!));
  const acc = pairs.map(() => new ErrorAccumulator());
  const refOut: number[][] = Array.from({ length: nOut }, () => []);
  const candOut: number[][] = Array.from({ length: nOut }, () => []);
  for (const [gi, group] of groups.entries()) {
    const fModel = await liteRtRuntime.load(writeTflite(exposeTensors(o.floatGraph, group.map((i) => pairs[i]!.source))));
    const qModel = await liteRtRuntime.load(writeTflite(exposeTensors(o.quantGraph, group.map((i) => pairs[i]!.quant)))).catch(async (e: unknown) => {
      await fModel.dispose();
      throw e;
    });
    try {
      for (const s of o.samples) {
        const f = await fModel.run(s);
        const q = await qModel.run(s);
        if (gi === 0) {
          for (let k = 0; k < nOut; k++) {
            for (const v of f[k]!.data as Float32Array) refOut[k]!.push(v);
            for (const v of q[k]!.data as Float32Array) candOut[k]!.push(v);
          }
        }
        group.forEach((p, j) => acc[p]!.add(f[nOut + j]!.data as Float32Array, q[nOut + j]!.data as Float32Array));
        o.onSample?.();
      }
    } finally {
      await fModel.dispose();
      await qModel.dispose();
    }
  }
  const producers = o.floatGraph.producers();
  const inputs = new Set(o.floatGraph.inputs);
  const layers: LayerError[] = pairs.map((p, i) => {
    const a = acc[i]!;
    const st = o.stats?.get(p.source);
    const n = producers.get(p.source);
    return {
      tensor: p.source,
      quantTensor: p.quant,
      node: n?.name ?? (inputs.has(p.source) ? p.source : ''),
      op: n?.op ?? (inputs.has(p.source) ? 'input' : ''),
      ...(p.scale !== undefined ? { scale: p.scale, zeroPoint: p.zeroPoint } : {}),
      ...(st ? { min: st.min, max: st.max, lo: st.lo, hi: st.hi, clipRate: st.clipRate } : {}),
      rmse: a.rmse,
      ...(p.scale ? { rmseOverScale: a.rmse / p.scale } : {}),
      sqnrDb: a.sqnrDb,
      cosine: a.cosine,
    };
  });
  // noise added here: the worst input SQNR minus this tensor's (inputs not compared count as exact)
  const sqnrOf = new Map(layers.map((l) => [l.tensor, l.sqnrDb] as const));
  for (const l of layers) {
    const n = producers.get(l.tensor);
    if (!n) continue;
    const ins = n.inputs.filter((i) => i && sqnrOf.has(i)).map((i) => sqnrOf.get(i)!);
    const worstIn = ins.length ? Math.min(...ins) : Infinity;
    const added = worstIn - l.sqnrDb;
    l.addedDb = Number.isNaN(added) ? 0 : added;
  }
  layers.sort((x, y) => x.sqnrDb - y.sqnrDb || y.rmse - x.rmse);
  const outputs = o.floatGraph.outputs.map((name, k) => {
    const m = agreementMetrics(refOut[k]!, candOut[k]!);
    const foreground = foregroundAgreement(refOut[k]!, candOut[k]!);
    return { name, rmse: m.rmse, maxAbs: m.max_abs, sqnrDb: m.sqnr, cosine: m.cosine, ...(foreground ? { foreground } : {}) };
  });
  return { layers, outputs };
}

/** Float values of a constant of the float graph: its data, or what the DEQUANTIZE producing it reads (fp16 / int8 weights). */
function floatConstant(g: Graph, name: string): Float32Array | undefined {
  const t = g.tensors.get(name);
  if (!t) return undefined;
  if (t.data) return realValues(t);
  const p = g.producerOf(name);
  const src = p?.op === 'DEQUANTIZE' ? g.tensors.get(p.inputs[0] ?? '') : undefined;
  return src?.data ? realValues(src) : undefined;
}

/** Weight rounding errors of an int8 model (no runtime needed: both sides are constants). */
export function weightErrors(floatGraph: Graph, quantGraph: Graph, tensors: readonly QuantizedTensorInfo[]): WeightError[] {
  const out: WeightError[] = [];
  for (const t of tensors) {
    if (t.kind !== 'weight') continue;
    const q = quantGraph.tensors.get(t.name);
    const f = floatConstant(floatGraph, t.source);
    if (!q?.data || !f) continue;
    const deq = realValues(q);
    if (deq.length !== f.length) continue;
    const acc = new ErrorAccumulator();
    acc.add(f, deq);
    out.push({
      tensor: t.source,
      node: t.node ?? '',
      ...(t.axis !== undefined ? { axis: t.axis } : {}),
      channels: t.scale.length,
      scaleMin: Math.min(...t.scale),
      scaleMax: Math.max(...t.scale),
      rmse: acc.rmse,
      sqnrDb: acc.sqnrDb,
    });
  }
  return out.sort((a, b) => a.sqnrDb - b.sqnrDb);
}
