/**
 * The observer worker of calibration: for each session (one calibration), feeds the activation
 * values of each sample (read in place from the slot buffer the main thread filled and
 * transferred; it goes back with the acknowledgement) to their
 * observers while the main thread runs the next sample through LiteRT; acknowledges the slot;
 * on request, returns every observer's result and histogram state. Protocol: ./observe-sink.ts.
 */
import { parentPort } from 'node:worker_threads';
import { createObserver } from './observers/index.js';
import type { StreamingHistogram } from './observers/histogram.js';
import type { Observer, ObserverOptions } from './observers/types.js';
import type { SinkRequest, SinkResponse } from './observe-sink.js';

const port = parentPort!;
const sessions = new Map<number, { opts: ObserverOptions; observers: Map<string, Observer> }>();
const reply = (m: SinkResponse, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

function handle(m: SinkRequest): void {
  if (m.type === 'begin') {
    sessions.set(m.session, { opts: m.opts, observers: new Map() });
    return;
  }
  if (m.type === 'end') {
    sessions.delete(m.session);
    return;
  }
  const s = sessions.get(m.session);
  if (!s) return;
  if (m.type === 'sample') {
    for (const [name, offset, length] of m.entries) {
      let o = s.observers.get(name);
      if (!o) s.observers.set(name, (o = createObserver(s.opts)));
      o.observe(new Float32Array(m.buffer, offset * 4, length));
    }
    reply({ type: 'ack', session: m.session, slot: m.slot, buffer: m.buffer }, [m.buffer]);
  } else {
    const stats = [...s.observers.entries()].map(([name, o]) => {
      const h = (o as { histogram?: StreamingHistogram }).histogram;
      return { name, result: o.result(), ...(h ? { histogram: h.state() } : {}) };
    });
    reply({ type: 'result', session: m.session, stats });
  }
}

port.on('message', (m: SinkRequest) => {
  try {
    handle(m);
  } catch (e) {
    if (m.type !== 'begin' && m.type !== 'end') reply({ type: 'failed', session: m.session, message: `observer worker: ${(e as Error).message}` });
  }
});
reply({ type: 'ready' });
