/**
 * Calibration: run the float model in LiteRT (a copy with the activations
 * exposed as outputs, in groups that fit a memory budget), stream the samples
 * through it and feed each activation into its observer. The graph inputs are
 * observed from the samples; activations whose statistics follow from another's
 * (derived-stats.ts) are neither exposed nor observed: their statistics are
 * derived at the end.
 */
import { availableParallelism } from 'node:os';
import type { Graph } from '../ir/graph.js';
import { isConstant } from '../ir/tensor.js';
import type { HostTensor } from '../runtime/types.js';
import { liteRtRuntime } from '../runtime/litert.js';
import { writeTflite } from '../tflite/writer.js';
import { inputError } from '../core/errors.js';
import { exposeTensors } from './expose.js';
import { exposeGroups, exposedBytes } from './expose-groups.js';
import { runPasses } from '../convert/passes/manager.js';
import { eliminateDeadCode } from '../convert/passes/eliminate-dead-code.js';
import { asFloat32, mergeStreams, ObserverSet, observeRun, STREAMS, WorkerLane } from './calib-lanes.js';
import { derivedActivations, deriveStats, type Derivation } from './derived-stats.js';
import type { StreamingHistogram } from './observers/histogram.js';
import type { ObserverOptions, RangeResult } from './observers/types.js';

export interface TensorStats extends RangeResult {
  name: string;
  /** The observer's histogram (bins over [histogram.lo, histogram.hi)). */
  histogram?: StreamingHistogram;
}

/** Per float activation tensor (graph inputs, node outputs, graph outputs) of the calibrated graph. */
export type CalibrationStats = Map<string, TensorStats>;

export interface CalibrateOptions extends ObserverOptions {
  /** Called after each model run with the runs done and, once known, the total (samples × activation groups). */
  onProgress?(done: number, total?: number): void;
  /** MiB of activations one LiteRT model exposes at most (default DEFAULT_EXPOSE_BUDGET_MB). */
  exposeBudgetMB?: number;
  /** the number of samples, when `samples` is not an array (for the progress total) */
  sampleCount?: number;
  /**
   * run every other sample in the calibration worker, with its own LiteRT (default: where the
   * machine has a second core and the worker's LiteRT would hold at most WORKER_MODEL_MAX_MB of
   * model and exposed activations; in-thread wherever no worker can start). The statistics are the
   * same either way. bench/quantize-calibration.ts measures both.
   */
  worker?: boolean;
  /**
   * derive the statistics that follow from other activations' (derived-stats.ts) instead of
   * observing them (default true; false exposes and observes every activation)
   */
  derive?: boolean;
}

/** Model bytes plus one exposure group's activations a sample, MiB, the worker lane's LiteRT may hold at most (it is a second copy). */
export const WORKER_MODEL_MAX_MB = 256;

/** Bytes of `g`'s constant tensors (its weights): what a .tflite of it mostly is. */
function constantBytes(g: Graph): number {
  let n = 0;
  for (const t of g.tensors.values()) if (t.data) n += t.data.byteLength;
  return n;
}

/** Whether every other sample goes to the calibration worker: asked for, or by default where it pays and fits. */
function useWorker(g: Graph, groups: string[][], modelBytes: number, asked: boolean | undefined): boolean {
  if (asked !== undefined) return asked;
  const perSample = Math.max(...groups.map((grp) => grp.reduce((a, n) => a + exposedBytes(g, n), 0)));
  return availableParallelism() > 1 && modelBytes + perSample <= WORKER_MODEL_MAX_MB * 2 ** 20;
}

/** True for a DEQUANTIZE of a constant (fp16 / int8 weights): its output is a weight, not an activation. */
export function isConstantDequantize(g: Graph, name: string): boolean {
  const p = g.producerOf(name);
  if (!p || p.op !== 'DEQUANTIZE') return false;
  const src = g.tensors.get(p.inputs[0] ?? '');
  return !!src && isConstant(src);
}

/**
 * The float32 activation tensors of `g` in graph order: graph inputs, then every node output
 * (DEQUANTIZE-of-constant outputs excluded: those are weights).
 */
export function activationTensors(g: Graph): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (name: string) => {
    const t = g.tensors.get(name);
    if (!t || seen.has(name) || t.dtype !== 'float32' || isConstant(t)) return;
    seen.add(name);
    out.push(name);
  };
  for (const i of g.inputs) add(i);
  const constDq = new Set<string>();
  for (const n of g.nodes) {
    if (n.op === 'DEQUANTIZE') {
      const src = g.tensors.get(n.inputs[0] ?? '');
      if (src && isConstant(src)) {
        for (const o of n.outputs) constDq.add(o);
        continue;
      }
    }
    for (const o of n.outputs) if (!constDq.has(o)) add(o);
  }
  return out;
}

/**
 * The activations calibration reads out of LiteRT: every activation but the graph inputs (observed
 * straight from the samples) and those whose statistics derive from another's.
 */
export function exposedActivations(g: Graph, names = activationTensors(g), derived = derivedActivations(g, names)): string[] {
  const inputs = new Set(g.inputs);
  return names.filter((n) => !derived.has(n) && !inputs.has(n));
}

/**
 * A model returning only `names` (in order) and running only what they depend on: with several
 * exposure groups, an early group's model stops where its last tensor is computed.
 */
export function exposedPrefix(g: Graph, names: string[]): Graph {
  const c = exposeTensors(g, names);
  c.outputs = c.outputs.slice(g.outputs.length);
  runPasses(c, [eliminateDeadCode], { verify: false });
  return c;
}

/** Calibration samples: an array (or other re-iterable), a one-shot (async) iterable, or a factory called once per pass. */
export type SampleSource = Iterable<HostTensor[]> | AsyncIterable<HostTensor[]> | (() => Iterable<HostTensor[]> | AsyncIterable<HostTensor[]>);

/**
 * Passes over `source` one at a time: a factory is called per pass, an array re-read, and a
 * one-shot iterable buffered during the first pass when more passes follow.
 */
export function samplePasses(source: SampleSource, passes: number): () => Iterable<HostTensor[]> | AsyncIterable<HostTensor[]> {
  if (typeof source === 'function') return source;
  if (Array.isArray(source) || passes <= 1) return () => source;
  let buffered: HostTensor[][] | undefined;
  return () => {
    if (buffered) return buffered;
    const keep: HostTensor[][] = (buffered = []);
    return (async function* () {
      for await (const s of source as AsyncIterable<HostTensor[]>) {
        keep.push(s);
        yield s;
      }
    })();
  };
}

/**
 * The items of `source`, each asked for as the one before is handed out: a sample source that
 * decodes images (sharp works in libuv's thread pool) prepares the next sample while LiteRT runs
 * this one. A prefetched item's failure surfaces when the loop reaches it; leaving the loop early
 * closes the source.
 */
export async function* prefetched<T>(source: Iterable<T> | AsyncIterable<T>): AsyncGenerator<T> {
  const it = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  let done = false;
  try {
    let next = Promise.resolve(it.next());
    for (;;) {
      const r = await next;
      if (r.done) {
        done = true;
        return;
      }
      next = Promise.resolve(it.next());
      next.catch(() => {}); // awaited on the next turn; until then not an unhandled rejection
      yield r.value;
    }
  } finally {
    if (!done) await it.return?.();
  }
}

/**
 * Runs `g` (float) in LiteRT on every sample (each: one HostTensor per graph
 * input, in order) and returns the per-tensor statistics of every float
 * activation. The activations are exposed in groups that fit `exposeBudgetMB`
 * (one model built and loaded per group, every sample run through it); a model
 * whose activations fit is one load and one pass.
 */
export async function calibrate(g: Graph, samples: SampleSource, opts: CalibrateOptions): Promise<CalibrationStats> {
  const names = activationTensors(g);
  const derived = opts.derive === false ? new Map<string, Derivation>() : derivedActivations(g, names);
  const groups = exposeGroups(g, exposedActivations(g, names, derived), opts.exposeBudgetMB);
  const observedInputs = g.inputs.map((name, j): [string, number] => [name, j]).filter(([name]) => names.includes(name) && !derived.has(name));
  const pass = samplePasses(samples, groups.length);
  const observer: ObserverOptions = { kind: opts.kind, ...(opts.percentile !== undefined ? { percentile: opts.percentile } : {}) };
  let perPass = Array.isArray(samples) ? samples.length : opts.sampleCount;
  // one ObserverSet per stream; stream 1's activations go to the worker lane where one runs
  const first = new ObserverSet(observer);
  const streams = [first, ...Array.from({ length: STREAMS - 1 }, () => new ObserverSet(observer, (name) => first.observers.get(name)?.histogram.initial))];
  const lane = useWorker(g, groups, constantBytes(g), opts.worker) ? await WorkerLane.start(observer) : undefined;
  let done = 0;
  try {
    for (const [k, group] of groups.entries()) {
      // the model's bytes are dropped once LiteRT (and the worker, which gets a copy) holds them
      let bytes: Uint8Array | undefined = writeTflite(groups.length > 1 ? exposedPrefix(g, group) : exposeTensors(g, group));
      const model = await liteRtRuntime.load(bytes);
      const offset = groups.length > 1 ? 0 : g.outputs.length;
      lane?.load(bytes, group, offset, k === 0 ? observedInputs : []);
      bytes = undefined;
      let n = 0;
      try {
        for await (const sample of prefetched(pass())) {
          if (sample.length !== g.inputs.length) {
            throw inputError('calib-shape-mismatch', `calibration sample ${n} has ${sample.length} tensors, the model takes ${g.inputs.length} (${g.inputs.join(', ')})`);
          }
          const stream = streams[n % STREAMS]!;
          const inWorker = !!lane && n % STREAMS === 1;
          // the float graph inputs: from the sample itself, in the first pass (by the lane that runs it)
          if (k === 0 && !inWorker) for (const [name, j] of observedInputs) stream.observe(name, asFloat32(sample[j]!.data));
          if (inWorker) {
            // the worker runs this one while this thread runs the next; its histograms start where stream 0's did
            if (n === 1) lane!.seed(first.seeds(k === 0 ? [...observedInputs.map(([name]) => name), ...group] : group));
            await lane!.run(sample);
          } else await observeRun(model, sample, group, offset, stream);
          n++;
          opts.onProgress?.(++done, perPass === undefined ? undefined : perPass * groups.length);
        }
        await lane?.drain();
      } finally {
        await model.dispose();
      }
      if (n === 0) throw inputError('calib-required', 'calibration needs at least one sample (--calib); none were given');
      perPass ??= n;
    }
    const observed = mergeStreams(first, [...streams.slice(1).map((s) => s.states()), ...(lane ? [await lane.states()] : [])]);
    const stats: CalibrationStats = new Map();
    // graph order: a derivation's sources come first
    const sourceOf = (name: string) => stats.get(name)!;
    for (const name of names) {
      const d = derived.get(name);
      stats.set(name, d ? deriveStats(g, name, d, sourceOf, observer) : observed.get(name)!);
    }
    return stats;
  } finally {
    lane?.close();
  }
}
