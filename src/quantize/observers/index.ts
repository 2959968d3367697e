/** Observer registry: kind → constructor. Add an observer by adding a file and one line here. */
import { EntropyObserver } from './entropy.js';
import { MinMaxObserver } from './minmax.js';
import { MseObserver } from './mse.js';
import { PercentileObserver } from './percentile.js';
import type { Observer, ObserverKind, ObserverOptions } from './types.js';

export const OBSERVERS: Record<ObserverKind, (opts: ObserverOptions) => Observer> = {
  minmax: () => new MinMaxObserver(),
  percentile: (o) => new PercentileObserver(o.percentile ?? 99.99),
  entropy: () => new EntropyObserver(),
  mse: () => new MseObserver(),
};

export const OBSERVER_KINDS = Object.keys(OBSERVERS) as ObserverKind[];

export function createObserver(opts: ObserverOptions): Observer {
  const make = OBSERVERS[opts.kind];
  if (!make) throw new RangeError(`unknown observer '${String(opts.kind)}' (known: ${OBSERVER_KINDS.join(', ')})`);
  return make(opts);
}

export { StreamingHistogram, DEFAULT_BINS } from './histogram.js';
export { MinMaxObserver } from './minmax.js';
export { PercentileObserver } from './percentile.js';
export { EntropyObserver, klDivergence } from './entropy.js';
export { MseObserver } from './mse.js';
export type { Observer, ObserverKind, ObserverOptions, RangeResult } from './types.js';
