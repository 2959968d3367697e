/**
 * Calibration in lanes: the calling thread runs LiteRT and observes half of the samples, while the
 * process's calibration worker (calib-worker.ts, with its own LiteRT) runs and observes the other
 * half. The statistics never depend on whether the worker runs: the samples always form STREAMS
 * streams by index, each observed on its own (the calling thread keeps both streams' observers
 * when it works alone), and the streams' histograms are merged in stream order at the end.
 */
import { Worker } from 'node:worker_threads';
import { internalError, MaiError, type ErrorCode } from '../core/errors.js';
import type { HostTensor, LoadedModel } from '../runtime/types.js';
import { createObserver } from './observers/index.js';
import { StreamingHistogram, type HistogramState } from './observers/histogram.js';
import type { Observer, ObserverOptions, RangeResult } from './observers/types.js';

export interface ObservedStats extends RangeResult {
  name: string;
  histogram?: StreamingHistogram;
}

/** Sample n of a calibration belongs to stream n mod STREAMS; the worker lane observes stream 1. */
export const STREAMS = 2;

/** A sample tensor's values as float32 (a copy only when they are not). */
export function asFloat32(data: HostTensor['data']): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
}

/** A histogram's starting range (StreamingHistogram.initial). */
export type Seed = readonly [number, number];

/**
 * The observers of one stream, by tensor name. A later stream's observer starts its histogram on the
 * range stream 0's started on (`seedOf`), so the two merge exactly at the end.
 */
export class ObserverSet {
  readonly observers = new Map<string, Observer>();
  constructor(
    readonly opts: ObserverOptions,
    private readonly seedOf: (name: string) => Seed | undefined = () => undefined,
  ) {}

  observe(name: string, data: Float32Array): void {
    let o = this.observers.get(name);
    if (!o) {
      this.observers.set(name, (o = createObserver(this.opts)));
      const seed = this.seedOf(name);
      if (seed) o.histogram.seed(seed);
    }
    o.observe(data);
  }

  /** The starting ranges of `names`' histograms (those that have one). */
  seeds(names: readonly string[]): Array<[string, number, number]> {
    const out: Array<[string, number, number]> = [];
    for (const name of names) {
      const r = this.observers.get(name)?.histogram.initial;
      if (r) out.push([name, r[0], r[1]]);
    }
    return out;
  }

  states(): Array<{ name: string; histogram: HistogramState }> {
    return [...this.observers].map(([name, o]) => ({ name, histogram: o.histogram.state() }));
  }
}

/**
 * Runs `model` on `inputs` and feeds its outputs from index `skip` on (the exposed activations
 * `names`, in order) to `observers`, read in place where the runtime allows.
 */
export async function observeRun(model: LoadedModel, inputs: HostTensor[], names: readonly string[], skip: number, observers: ObserverSet): Promise<void> {
  let seen = 0;
  const visit = (i: number, data: Float32Array) => {
    if (i < skip) return;
    observers.observe(names[i - skip]!, data);
    seen++;
  };
  if (model.runVisit) await model.runVisit(inputs, visit);
  else (await model.run(inputs)).forEach((o, i) => visit(i, o.data as Float32Array));
  if (seen !== names.length) throw internalError(`calibration: LiteRT returned ${seen} exposed outputs, expected ${names.length}`);
}

/**
 * The statistics of every tensor: stream 0's observer (a new one where stream 0 saw none) takes
 * in the histograms of the later streams, in their order, and gives its result.
 */
export function mergeStreams(first: ObserverSet, later: Array<Array<{ name: string; histogram: HistogramState }>>): Map<string, ObservedStats> {
  for (const states of later) {
    for (const { name, histogram } of states) {
      let o = first.observers.get(name);
      if (!o) first.observers.set(name, (o = createObserver(first.opts)));
      o.histogram.merge(histogram);
    }
  }
  const out = new Map<string, ObservedStats>();
  for (const [name, o] of first.observers) out.set(name, { name, ...o.result(), histogram: o.histogram });
  return out;
}

export type LaneRequest =
  | { type: 'begin'; session: number; opts: ObserverOptions }
  | { type: 'model'; session: number; bytes: Uint8Array; names: string[]; skip: number; inputs: Array<[string, number]> }
  | { type: 'seeds'; session: number; seeds: Array<[string, number, number]> }
  | { type: 'sample'; session: number; inputs: HostTensor[] }
  | { type: 'result'; session: number }
  | { type: 'end'; session: number };
export type LaneResponse =
  | { type: 'ready' }
  | { type: 'unavailable'; message: string }
  | { type: 'ack'; session: number }
  | { type: 'result'; session: number; stats: Array<{ name: string; histogram: HistogramState }> }
  | { type: 'failed'; session: number; error: { code: ErrorCode; exit: number; message: string; hint?: string; file?: string } };

/**
 * The calibration worker of this process: started on first use, kept for later calibrations
 * (referenced only while one runs, so it never holds the process open), restarted after a failure.
 */
class CalibWorker {
  private readonly sessions = new Map<number, (m: LaneResponse | Error) => void>();
  private nextSession = 1;
  /** set when the worker died: the next calibration starts a new one */
  failed = false;

  private constructor(readonly worker: Worker) {
    worker.unref();
    worker.on('message', (m: LaneResponse) => {
      if ('session' in m) this.sessions.get(m.session)?.(m);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', () => this.fail(new Error('the calibration worker exited')));
  }

  private fail(e: Error): void {
    this.failed = true;
    for (const listener of [...this.sessions.values()]) listener(e);
  }

  /** A started worker with its LiteRT loaded, or undefined where none can start (the caller calibrates in-thread). */
  static async start(): Promise<CalibWorker | undefined> {
    let worker: Worker;
    try {
      if (import.meta.url.endsWith('.ts')) {
        // run from TypeScript sources (bin/mai.js runs the CLI through tsx): the worker registers tsx first
        const api = import.meta.resolve('tsx/esm/api');
        const file = new URL('./calib-worker.ts', import.meta.url).href;
        const code = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(file)}); })`;
        worker = new Worker(code, { eval: true });
      } else worker = new Worker(new URL('./calib-worker.js', import.meta.url));
    } catch {
      return undefined;
    }
    const ok = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 30_000);
      worker.once('message', (m: LaneResponse) => {
        clearTimeout(timer);
        resolve(m.type === 'ready');
      });
      worker.once('error', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (!ok) {
      await worker.terminate();
      return undefined;
    }
    return new CalibWorker(worker);
  }

  /** A new session whose responses go to `listener` (an Error when the worker failed). */
  open(listener: (m: LaneResponse | Error) => void): number {
    const id = this.nextSession++;
    if (this.sessions.size === 0) this.worker.ref();
    this.sessions.set(id, listener);
    return id;
  }

  close(id: number): void {
    if (!this.sessions.delete(id)) return;
    this.worker.postMessage({ type: 'end', session: id } satisfies LaneRequest);
    if (this.sessions.size === 0) this.worker.unref();
  }
}

let shared: Promise<CalibWorker | undefined> | undefined;

/** Stops the process's calibration worker (calibrations using it fail); the next one starts a new worker. */
export async function stopCalibrationWorker(): Promise<void> {
  const w = await shared;
  await w?.worker.terminate();
}

/** The process's calibration worker (undefined where none can start; a worker that died is replaced). */
async function calibWorker(): Promise<CalibWorker | undefined> {
  shared ??= CalibWorker.start();
  const w = await shared;
  if (!w?.failed) return w;
  shared = CalibWorker.start();
  return shared;
}

/**
 * Stream 1 of one calibration, in the calibration worker: each exposure group's model is sent
 * once, then the samples; at most one sample waits behind the one it runs.
 */
export class WorkerLane {
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  private pendingResult?: { resolve: (m: Extract<LaneResponse, { type: 'result' }>) => void; reject: (e: Error) => void };
  private failure?: Error;
  private readonly session: number;

  private constructor(
    private readonly host: CalibWorker,
    opts: ObserverOptions,
  ) {
    this.session = host.open((m) => this.receive(m));
    this.post({ type: 'begin', session: this.session, opts });
  }

  /** A lane in the process's calibration worker, or undefined when none can start here. */
  static async start(opts: ObserverOptions): Promise<WorkerLane | undefined> {
    const host = await calibWorker();
    return host && new WorkerLane(host, opts);
  }

  private post(m: LaneRequest): void {
    this.host.worker.postMessage(m);
  }

  private receive(m: LaneResponse | Error): void {
    if (m instanceof Error) this.failure ??= internalError(`calibration: the calibration worker failed: ${m.message}`, m);
    else if (m.type === 'ack') this.inFlight--;
    else if (m.type === 'result') this.pendingResult?.resolve(m);
    else if (m.type === 'failed') {
      const { code, exit, message, hint, file } = m.error;
      this.failure ??= new MaiError(message, { code, exit: exit as MaiError['exit'], ...(hint ? { hint } : {}), ...(file ? { file } : {}) });
    }
    if (this.failure) this.pendingResult?.reject(this.failure);
    this.waiters.splice(0).forEach((w) => w());
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  /**
   * The worker loads `bytes` (a model whose outputs from index `skip` on are `names`) for the samples
   * that follow, and observes their graph inputs `inputs` ([name, index in the sample]) too.
   */
  load(bytes: Uint8Array, names: string[], skip: number, inputs: Array<[string, number]>): void {
    this.check();
    this.post({ type: 'model', session: this.session, bytes, names, skip, inputs });
  }

  /** Stream 0's starting ranges for the worker's observers still to be made. */
  seed(seeds: Array<[string, number, number]>): void {
    this.check();
    this.post({ type: 'seeds', session: this.session, seeds });
  }

  /** Hands `inputs` over; resolves once at most one sample is queued behind the one running. */
  async run(inputs: HostTensor[]): Promise<void> {
    this.check();
    this.post({ type: 'sample', session: this.session, inputs });
    this.inFlight++;
    await this.until(1);
  }

  /** Resolves when every sample handed over is observed. */
  drain(): Promise<void> {
    return this.until(0);
  }

  private async until(inFlight: number): Promise<void> {
    while (this.inFlight > inFlight && !this.failure) await new Promise<void>((r) => this.waiters.push(r));
    this.check();
  }

  /** Every observer's histogram. */
  async states(): Promise<Array<{ name: string; histogram: HistogramState }>> {
    this.check();
    const m = await new Promise<Extract<LaneResponse, { type: 'result' }>>((resolve, reject) => {
      this.pendingResult = { resolve, reject };
      this.post({ type: 'result', session: this.session });
    });
    return m.stats;
  }

  close(): void {
    this.host.close(this.session);
  }
}
