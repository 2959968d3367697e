/**
 * Where calibration sends activation values: observers in this thread, or in the
 * process's observer worker (observe-worker.ts) so observation overlaps the next
 * LiteRT run. The worker reads a copy of each view (LiteRT's memory is reused by
 * the next run) from a slot buffer handed over with the sample and handed back with its
 * acknowledgement; at most `maxInFlight` samples are queued ahead of it.
 */
import { Worker } from 'node:worker_threads';
import { internalError } from '../core/errors.js';
import { createObserver } from './observers/index.js';
import { StreamingHistogram, type HistogramState } from './observers/histogram.js';
import type { Observer, ObserverOptions, RangeResult } from './observers/types.js';

export interface ObservedStats extends RangeResult {
  name: string;
  histogram?: StreamingHistogram;
}

export interface ObserveSink {
  /** `data` may be a view valid only during the call */
  observe(name: string, data: Float32Array): void;
  /** after each sample: resolves when the sink may take the next one */
  endSample(): Promise<void>;
  results(): Promise<Map<string, ObservedStats>>;
  close(): Promise<void>;
}

/** One sample's activations in a slot buffer: [name, offset, length] in floats. */
export type SlotEntry = [name: string, offset: number, length: number];

export type SinkRequest =
  | { type: 'begin'; session: number; opts: ObserverOptions }
  | { type: 'sample'; session: number; slot: number; buffer: ArrayBuffer; entries: SlotEntry[] }
  | { type: 'result'; session: number }
  | { type: 'end'; session: number };
export type SinkResponse =
  | { type: 'ready' }
  | { type: 'ack'; session: number; slot: number; buffer: ArrayBuffer }
  | { type: 'result'; session: number; stats: Array<{ name: string; result: RangeResult; histogram?: HistogramState }> }
  | { type: 'failed'; session: number; message: string };

export class InThreadSink implements ObserveSink {
  private readonly observers = new Map<string, Observer>();
  constructor(private readonly opts: ObserverOptions) {}
  observe(name: string, data: Float32Array): void {
    let o = this.observers.get(name);
    if (!o) this.observers.set(name, (o = createObserver(this.opts)));
    o.observe(data);
  }
  async endSample(): Promise<void> {}
  async results(): Promise<Map<string, ObservedStats>> {
    const out = new Map<string, ObservedStats>();
    for (const [name, o] of this.observers) {
      const h = (o as { histogram?: StreamingHistogram }).histogram;
      out.set(name, { name, ...o.result(), ...(h ? { histogram: h } : {}) });
    }
    return out;
  }
  async close(): Promise<void> {}
}

/**
 * The observer worker of this process: started on first use, kept for later calibrations
 * (referenced only while one runs, so it never holds the process open), restarted after a failure.
 */
class ObserveWorker {
  private readonly sessions = new Map<number, (m: SinkResponse | Error) => void>();
  private nextSession = 1;
  /** set when the worker died: the next calibration starts a new one */
  failed = false;

  private constructor(readonly worker: Worker) {
    worker.unref();
    worker.on('message', (m: SinkResponse) => {
      if (m.type !== 'ready') this.sessions.get(m.session)?.(m);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', () => this.fail(new Error('the observer worker exited')));
  }

  private fail(e: Error): void {
    this.failed = true;
    for (const listener of [...this.sessions.values()]) listener(e);
  }

  static async start(): Promise<ObserveWorker | undefined> {
    let worker: Worker;
    try {
      if (import.meta.url.endsWith('.ts')) {
        // run from TypeScript sources (bin/mai.js runs the CLI through tsx): the worker registers tsx first
        const api = import.meta.resolve('tsx/esm/api');
        const file = new URL('./observe-worker.ts', import.meta.url).href;
        const code = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(file)}); })`;
        worker = new Worker(code, { eval: true });
      } else worker = new Worker(new URL('./observe-worker.js', import.meta.url));
    } catch {
      return undefined;
    }
    const ok = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      worker.once('message', (m: SinkResponse) => {
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
    return new ObserveWorker(worker);
  }

  /** A new session whose responses go to `listener` (an Error when the worker failed). */
  open(listener: (m: SinkResponse | Error) => void): number {
    const id = this.nextSession++;
    if (this.sessions.size === 0) this.worker.ref();
    this.sessions.set(id, listener);
    return id;
  }

  close(id: number): void {
    if (!this.sessions.delete(id)) return;
    this.worker.postMessage({ type: 'end', session: id } satisfies SinkRequest);
    if (this.sessions.size === 0) this.worker.unref();
  }
}

let shared: Promise<ObserveWorker | undefined> | undefined;

/** Stops the process's observer worker (calibrations using it fail); the next one starts a new worker. */
export async function stopObserveWorker(): Promise<void> {
  const w = await shared;
  await w?.worker.terminate();
}

/** The process's observer worker (undefined where none can start; a worker that died is replaced). */
async function observeWorker(): Promise<ObserveWorker | undefined> {
  shared ??= ObserveWorker.start();
  const w = await shared;
  if (!w?.failed) return w;
  shared = ObserveWorker.start();
  return shared;
}

/**
 * Observers in the process's observer worker. Each sample's activations are copied into a slot
 * buffer (one memcpy each), which is transferred to the worker — it reads them in place — and
 * transferred back with the acknowledgement, at most `maxInFlight` slots queued ahead of the
 * worker. (A SharedArrayBuffer would need no handing back, but V8 copies into one word by word:
 * 1.8× the time of a plain buffer's memcpy on selfie_segmentation's 18 MB a sample.)
 */
export class WorkerSink implements ObserveSink {
  private readonly slots: Float32Array[] = [];
  private readonly free: number[] = [];
  private slot = 0;
  private offset = 0;
  private entries: SlotEntry[] = [];
  private waiters: Array<() => void> = [];
  private pendingResult?: { resolve: (m: Extract<SinkResponse, { type: 'result' }>) => void; reject: (e: Error) => void };
  private failure?: Error;
  private readonly session: number;

  private constructor(
    private readonly host: ObserveWorker,
    opts: ObserverOptions,
    maxInFlight: number,
  ) {
    this.session = host.open((m) => this.receive(m));
    host.worker.postMessage({ type: 'begin', session: this.session, opts } satisfies SinkRequest);
    for (let k = 0; k < maxInFlight; k++) {
      this.slots.push(new Float32Array(0));
      this.free.push(k);
    }
    this.slot = this.free.shift()!;
  }

  private receive(m: SinkResponse | Error): void {
    if (m instanceof Error) this.failure = internalError(`calibration: the observer worker failed: ${m.message}`, m);
    else if (m.type === 'ack') {
      this.slots[m.slot] = new Float32Array(m.buffer);
      this.free.push(m.slot);
    }
    else if (m.type === 'result') this.pendingResult?.resolve(m);
    else if (m.type === 'failed') this.failure = internalError(`calibration: ${m.message}`);
    if (this.failure) this.pendingResult?.reject(this.failure);
    this.waiters.splice(0).forEach((w) => w());
  }

  /** A sink in the observer worker, or undefined when no worker can start here (the caller observes in-thread). */
  static async start(opts: ObserverOptions, maxInFlight = 2): Promise<WorkerSink | undefined> {
    const host = await observeWorker();
    return host && new WorkerSink(host, opts, maxInFlight);
  }

  observe(name: string, data: Float32Array): void {
    if (this.failure) throw this.failure;
    let buf = this.slots[this.slot]!;
    if (this.offset + data.length > buf.length) {
      // the first sample of a (larger) exposure group: grow this slot, keeping what it holds
      const grown = new Float32Array(Math.max(this.offset + data.length, 2 * buf.length));
      grown.set(buf.subarray(0, this.offset));
      this.slots[this.slot] = buf = grown;
    }
    buf.set(data, this.offset);
    this.entries.push([name, this.offset, data.length]);
    this.offset += data.length;
  }

  async endSample(): Promise<void> {
    if (this.failure) throw this.failure;
    const buffer = this.slots[this.slot]!.buffer as ArrayBuffer;
    this.host.worker.postMessage({ type: 'sample', session: this.session, slot: this.slot, buffer, entries: this.entries } satisfies SinkRequest, [buffer]);
    this.entries = [];
    this.offset = 0;
    while (this.free.length === 0 && !this.failure) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure) throw this.failure;
    this.slot = this.free.shift()!;
  }

  async results(): Promise<Map<string, ObservedStats>> {
    if (this.failure) throw this.failure;
    const m = await new Promise<Extract<SinkResponse, { type: 'result' }>>((resolve, reject) => {
      this.pendingResult = { resolve, reject };
      this.host.worker.postMessage({ type: 'result', session: this.session } satisfies SinkRequest);
    });
    const out = new Map<string, ObservedStats>();
    for (const s of m.stats) out.set(s.name, { name: s.name, ...s.result, ...(s.histogram ? { histogram: StreamingHistogram.fromState(s.histogram) } : {}) });
    return out;
  }

  async close(): Promise<void> {
    this.host.close(this.session);
  }
}
