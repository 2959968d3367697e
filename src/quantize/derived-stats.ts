/**
 * Activations whose calibration statistics follow from another activation's,
 * so calibration need not expose (copy out of LiteRT) or observe them:
 * - ops that only move values (RESHAPE, TRANSPOSE, …): the same values, the same statistics;
 * - ops whose output lies in the convex hull of their input and whose int8 kernel shares the
 *   input's parameters anyway (zero PAD, resizes, average pooling): the input's statistics;
 * - RELU-family activations: the input's histogram with its values clamped to the activation's span.
 */
import type { Graph } from '../ir/graph.js';
import { createObserver } from './observers/index.js';
import type { ObserverOptions } from './observers/types.js';
import type { ObservedStats } from './observe-sink.js';

/** Output values are the input's values, rearranged. */
const MOVES_VALUES: ReadonlySet<string> = new Set(['RESHAPE', 'SQUEEZE', 'EXPAND_DIMS', 'TRANSPOSE', 'DEPTH_TO_SPACE', 'SPACE_TO_DEPTH']);
/** Output values within the input's extremes (PAD adds zeros, which every int8 range includes); int8 shares the input's parameters. */
const WITHIN_INPUT_HULL: ReadonlySet<string> = new Set(['PAD', 'RESIZE_BILINEAR', 'RESIZE_NEAREST_NEIGHBOR', 'AVERAGE_POOL_2D']);
/** Activations that clamp their input to a span. */
const CLAMPS: Readonly<Record<string, [number, number]>> = {
  RELU: [0, Infinity],
  RELU6: [0, 6],
  RELU_N1_TO_1: [-1, 1],
  RELU_0_TO_1: [0, 1],
};

export interface Derivation {
  /** the activation the statistics come from (itself observed, or derived earlier in graph order) */
  from: string;
  /** the values are clamped to this span */
  clamp?: [number, number];
}

/**
 * The activations among `names` (in graph order) whose statistics derive from an earlier one of
 * `names`, each with its derivation; the rest must be observed.
 */
export function derivedActivations(g: Graph, names: readonly string[]): Map<string, Derivation> {
  const known = new Set(names);
  const out = new Map<string, Derivation>();
  const inputs = new Set(g.inputs);
  for (const name of names) {
    const n = inputs.has(name) ? undefined : g.producerOf(name);
    const from = n?.inputs[0];
    if (!n || !from || !known.has(from) || n.outputs.length !== 1) continue;
    if ((n.attrs.activation ?? 'NONE') !== 'NONE') continue;
    const clamp = CLAMPS[n.op];
    if (clamp) out.set(name, { from, clamp });
    else if (MOVES_VALUES.has(n.op) || WITHIN_INPUT_HULL.has(n.op)) out.set(name, { from });
  }
  return out;
}

/** The statistics of `name` derived by `d` from its source's statistics `source`. */
export function deriveStats(name: string, d: Derivation, source: ObservedStats, opts: ObserverOptions): ObservedStats {
  if (!d.clamp) return { ...source, name };
  const [lo, hi] = d.clamp;
  const clampValue = (v: number) => Math.min(Math.max(v, lo), hi);
  if (!source.histogram || source.count === 0) {
    const min = clampValue(source.min);
    const max = clampValue(source.max);
    return { ...source, name, min, max, lo: clampValue(source.lo), hi: clampValue(source.hi) };
  }
  // the observer of the kind asked for, run on the clamped histogram
  const o = createObserver(opts);
  o.histogram.load(source.histogram.clamped(lo, hi).state());
  return { name, ...o.result(), histogram: o.histogram };
}
