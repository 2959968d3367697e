/**
 * Where calibration sends activation values: observers in this thread, or in a
 * worker thread (observe-worker.ts) so observation overlaps the next LiteRT
 * run. The worker gets a copy of each view (LiteRT's memory is reused by the
 * next run) and at most `maxInFlight` samples are queued ahead of it.
 */
import { Worker } from 'node:worker_threads';
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

export type SinkRequest = { type: 'observe'; name: string; data: Float32Array } | { type: 'mark' } | { type: 'result' };
export type SinkResponse =
  | { type: 'ready' }
  | { type: 'ack' }
  | { type: 'result'; stats: Array<{ name: string; result: RangeResult; histogram?: HistogramState }> };

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

export class WorkerSink implements ObserveSink {
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  private pendingResult?: (m: Extract<SinkResponse, { type: 'result' }>) => void;
  private failure?: Error;

  private constructor(
    private readonly worker: Worker,
    private readonly maxInFlight: number,
  ) {
    worker.on('message', (m: SinkResponse) => {
      if (m.type === 'ack') {
        this.inFlight--;
        this.waiters.splice(0).forEach((w) => w());
      } else if (m.type === 'result') this.pendingResult?.(m);
    });
    worker.on('error', (e) => {
      this.failure = e;
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  /** A sink in a worker thread, or undefined when no worker can start here (the caller observes in-thread). */
  static async start(opts: ObserverOptions, maxInFlight = 2): Promise<WorkerSink | undefined> {
    let worker: Worker;
    try {
      if (import.meta.url.endsWith('.ts')) {
        // run from TypeScript sources (bin/mai.js runs the CLI through tsx): the worker registers tsx first
        const api = import.meta.resolve('tsx/esm/api');
        const file = new URL('./observe-worker.ts', import.meta.url).href;
        const code = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(file)}); })`;
        worker = new Worker(code, { eval: true, workerData: opts });
      } else worker = new Worker(new URL('./observe-worker.js', import.meta.url), { workerData: opts });
    } catch {
      return undefined;
    }
    const ready = await new Promise<boolean>((resolve) => {
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
    if (!ready) {
      await worker.terminate();
      return undefined;
    }
    return new WorkerSink(worker, maxInFlight);
  }

  observe(name: string, data: Float32Array): void {
    if (this.failure) throw this.failure;
    const copy = data.slice();
    this.worker.postMessage({ type: 'observe', name, data: copy } satisfies SinkRequest, [copy.buffer]);
  }

  async endSample(): Promise<void> {
    this.worker.postMessage({ type: 'mark' } satisfies SinkRequest);
    this.inFlight++;
    while (this.inFlight >= this.maxInFlight && !this.failure) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure) throw this.failure;
  }

  async results(): Promise<Map<string, ObservedStats>> {
    const m = await new Promise<Extract<SinkResponse, { type: 'result' }>>((resolve, reject) => {
      this.pendingResult = resolve;
      this.worker.once('error', reject);
      this.worker.postMessage({ type: 'result' } satisfies SinkRequest);
    });
    const out = new Map<string, ObservedStats>();
    for (const s of m.stats) out.set(s.name, { name: s.name, ...s.result, ...(s.histogram ? { histogram: StreamingHistogram.fromState(s.histogram) } : {}) });
    return out;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
