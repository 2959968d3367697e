/**
 * The calibration worker: a second lane of calibration with its own LiteRT. For each session
 * (one calibration) it loads each exposure group's model, runs the samples the main thread hands
 * it (every other one) and feeds their exposed activations, read in place in its LiteRT heap, to
 * its observers; acknowledges each sample; on request returns every observer's histogram.
 * Requests are handled one after another. Protocol: ./calib-lanes.ts.
 */
import { parentPort } from 'node:worker_threads';
import { internalError, isMaiError } from '../core/errors.js';
import { liteRt, liteRtRuntime } from '../runtime/litert.js';
import type { LoadedModel } from '../runtime/types.js';
import { asFloat32, ObserverSet, observeRun, type LaneRequest, type LaneResponse, type Seed } from './calib-lanes.js';

const port = parentPort!;
const sessions = new Map<number, { observers: ObserverSet; seeds: Map<string, Seed>; model?: LoadedModel; names: string[]; skip: number; inputs: Array<[string, number]> }>();
const reply = (m: LaneResponse) => port.postMessage(m);

async function handle(m: LaneRequest): Promise<void> {
  if (m.type === 'begin') {
    const seeds = new Map<string, Seed>();
    sessions.set(m.session, { observers: new ObserverSet(m.opts, (name) => seeds.get(name)), seeds, names: [], skip: 0, inputs: [] });
    return;
  }
  const s = sessions.get(m.session);
  if (!s) return;
  if (m.type === 'end') {
    sessions.delete(m.session);
    await s.model?.dispose();
  } else if (m.type === 'model') {
    await s.model?.dispose();
    s.model = undefined;
    s.model = await liteRtRuntime.load(m.bytes);
    Object.assign(s, { names: m.names, skip: m.skip, inputs: m.inputs });
  } else if (m.type === 'seeds') {
    for (const [name, lo, hi] of m.seeds) s.seeds.set(name, [lo, hi]);
  } else if (m.type === 'sample') {
    if (!s.model) throw internalError('calibration worker: a sample came before its model');
    for (const [name, j] of s.inputs) s.observers.observe(name, asFloat32(m.inputs[j]!.data));
    await observeRun(s.model, m.inputs, s.names, s.skip, s.observers);
    reply({ type: 'ack', session: m.session });
  } else {
    reply({ type: 'result', session: m.session, stats: s.observers.states() });
  }
}

// ready once its LiteRT is loaded; a worker without one says so and the caller calibrates in-thread
let queue = liteRt().then(
  () => reply({ type: 'ready' }),
  (e: unknown) => reply({ type: 'unavailable', message: e instanceof Error ? e.message : String(e) }),
);
port.on('message', (m: LaneRequest) => {
  queue = queue
    .then(() => handle(m))
    .catch((e: unknown) => {
      const err = isMaiError(e) ? e : undefined;
      const message = e instanceof Error ? e.message : String(e);
      reply({ type: 'failed', session: m.session, error: { code: err?.code ?? 'internal', exit: err?.exit ?? 70, message, ...(err?.hint ? { hint: err.hint } : {}), ...(err?.file ? { file: err.file } : {}) } });
    });
});
