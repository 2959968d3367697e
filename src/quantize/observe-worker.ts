/**
 * Worker thread of calibration: receives activation values (transferred, not
 * copied) and feeds them to their observers while the main thread runs the
 * next sample through LiteRT; on request, returns every observer's result and
 * histogram state. Protocol: see ./observe-sink.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createObserver } from './observers/index.js';
import type { StreamingHistogram } from './observers/histogram.js';
import type { Observer, ObserverOptions } from './observers/types.js';
import type { SinkRequest, SinkResponse } from './observe-sink.js';

const port = parentPort!;
const opts = workerData as ObserverOptions;
const observers = new Map<string, Observer>();
const reply = (m: SinkResponse, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

port.on('message', (m: SinkRequest) => {
  if (m.type === 'observe') {
    let o = observers.get(m.name);
    if (!o) observers.set(m.name, (o = createObserver(opts)));
    o.observe(m.data);
  } else if (m.type === 'mark') {
    reply({ type: 'ack' });
  } else {
    const stats = [...observers.entries()].map(([name, o]) => {
      const h = (o as { histogram?: StreamingHistogram }).histogram;
      return { name, result: o.result(), ...(h ? { histogram: h.state() } : {}) };
    });
    reply({ type: 'result', stats });
  }
});
reply({ type: 'ready' });
