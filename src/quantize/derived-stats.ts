/**
 * Activations whose calibration statistics follow from other activations', so
 * calibration need not expose (copy out of LiteRT) or observe them:
 * - ops that only move values (RESHAPE, TRANSPOSE, …): the same values, the same statistics;
 * - ops whose output lies in the convex hull of their input and whose int8 kernel shares the
 *   input's parameters anyway (zero PAD, resizes, average pooling): the input's statistics;
 * - RELU-family activations: the input's histogram with its values clamped to the activation's span;
 * - element-wise functions of one activation (HARD_SWISH, LOGISTIC, TANH, ELU, EXP, ABS,
 *   LEAKY_RELU, and ADD / SUB / MUL by a scalar constant as an affine map): the input's histogram
 *   mapped through the function (mapped-histogram.ts says how exact that is);
 * - CONCATENATION of activations: its inputs' histograms merged (the output holds exactly their
 *   values; int8 calibrates its range on its own and requantizes the inputs to it).
 * Maps and merges need their sources' statistics to be of the sources' own values: a hull
 * derivation carries its source's distribution and count instead, so a resized or padded input of
 * a CONCATENATION is observed when that lets the concatenation (more values) be merged.
 * A fused RELU-family activation (ADD, SUB, MUL, CONCATENATION) clamps the result.
 * Outputs with fixed int8 parameters (LOGISTIC, TANH) are derived all the same: int8 ignores their
 * ranges, but the report shows them, int8 keeps float an op without statistics, and later
 * derivations (a RESHAPE or CONCATENATION of them) start from them.
 */
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { isConstant, numElements } from '../ir/tensor.js';
import { internalError } from '../core/errors.js';
import { realValues } from './fold-dequantize.js';
import { createObserver } from './observers/index.js';
import type { StreamingHistogram } from './observers/histogram.js';
import type { ObserverOptions } from './observers/types.js';
import type { ObservedStats } from './calib-lanes.js';
import { mapHistogram, mergeHistograms, type ElementwiseFn } from './mapped-histogram.js';

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

/** Element-wise functions of one input as TFLite's float kernels compute them, with their kinks and turning points. */
const UNARY: Readonly<Record<string, (n: Node) => ElementwiseFn>> = {
  // x · relu6(x + 3) / 6: 0 below −3, its minimum −0.375 at −1.5, x above 3
  HARD_SWISH: () => ({ f: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6, breaks: [-3, -1.5, 3] }),
  LOGISTIC: () => ({ f: (x) => 1 / (1 + Math.exp(-x)), breaks: [] }),
  TANH: () => ({ f: Math.tanh, breaks: [] }),
  ELU: () => ({ f: (x) => (x < 0 ? Math.expm1(x) : x), breaks: [0] }),
  EXP: () => ({ f: Math.exp, breaks: [] }),
  ABS: () => ({ f: Math.abs, breaks: [0] }),
  LEAKY_RELU: (n) => {
    const alpha = n.attrs.alpha ?? 0.2;
    return { f: (x) => (x >= 0 ? x : alpha * x), breaks: [0] };
  },
};

/** y = scale · x + shift */
export interface AffineMap {
  scale: number;
  shift: number;
}

export interface Derivation {
  /** the activations the statistics come from (each observed, or derived earlier in graph order): one, or a CONCATENATION's inputs */
  from: string[];
  /** the source values go through this element-wise op's function (`op`) or affine map first */
  map?: { op: string } | AffineMap;
  /** the values are clamped to this span */
  clamp?: [number, number];
}

/** The value of a constant (float32, or a DEQUANTIZE of fp16 / int8 data) whose elements are all equal, or undefined. */
function scalarConstant(g: Graph, name: string): number | undefined {
  const t = g.tensors.get(name);
  const p = g.producerOf(name);
  const src = p?.op === 'DEQUANTIZE' ? g.tensors.get(p.inputs[0] ?? '') : undefined;
  let values: ArrayLike<number | bigint> | undefined;
  if (t?.dtype === 'float32' && isConstant(t)) values = t.data;
  else if (src && isConstant(src)) values = realValues(src);
  if (!values || values.length === 0) return undefined;
  const v = Number(values[0]);
  for (let i = 1; i < values.length; i++) if (Number(values[i]) !== v) return undefined;
  return Number.isFinite(v) ? v : undefined;
}

/** ADD / SUB / MUL of activation `x` and a scalar constant as an affine map of x, or undefined. */
function affineOf(g: Graph, n: Node, known: ReadonlySet<string>): { from: string; map: AffineMap } | undefined {
  if (n.inputs.length !== 2) return undefined;
  const [a, b] = n.inputs as [string, string];
  const xFirst = known.has(a);
  const x = xFirst ? a : b;
  const c = scalarConstant(g, xFirst ? b : a);
  // a broadcast that grows the output would repeat values: the histogram's counts would no longer hold
  if (!known.has(x) || c === undefined || numElements(g.tensor(x).shape) !== numElements(g.tensor(n.outputs[0]!).shape)) return undefined;
  if (n.op === 'ADD') return { from: x, map: { scale: 1, shift: c } };
  if (n.op === 'MUL') return { from: x, map: { scale: c, shift: 0 } };
  if (n.op === 'SUB') return { from: x, map: xFirst ? { scale: 1, shift: -c } : { scale: -1, shift: c } };
  return undefined;
}

/**
 * The derivation of node `n`'s output from activations in `known`, or undefined when it must be
 * observed. Maps and merges take only sources in `own` (statistics of their own values): a hull
 * derivation carries its source's distribution and count, not the tensor's.
 */
function derivationOf(g: Graph, n: Node, known: ReadonlySet<string>, own: ReadonlySet<string>): Derivation | undefined {
  const act = n.attrs.activation ?? 'NONE';
  const fused = act === 'NONE' ? undefined : CLAMPS[act];
  if (act !== 'NONE' && !fused) return undefined;
  const withFused = (d: Derivation): Derivation => (fused ? { ...d, clamp: fused } : d);
  if (n.op === 'CONCATENATION') return n.inputs.length > 0 && n.inputs.every((i) => own.has(i)) ? withFused({ from: [...n.inputs] }) : undefined;
  const affine = affineOf(g, n, own);
  if (affine) return withFused({ from: [affine.from], map: affine.map });
  const from = n.inputs[0];
  if (!from || !known.has(from) || fused) return undefined;
  const clamp = CLAMPS[n.op];
  if (clamp) return { from: [from], clamp };
  if (UNARY[n.op]) return own.has(from) ? { from: [from], map: { op: n.op } } : undefined;
  if (MOVES_VALUES.has(n.op) || WITHIN_INPUT_HULL.has(n.op)) return { from: [from] };
  return undefined;
}

/** Hull-derivable inputs of CONCATENATIONs whose values, all together, are fewer than the concatenation's. */
function hullInputsOfConcats(g: Graph, known: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const size = (t: string) => numElements(g.tensor(t).shape);
  for (const n of g.nodes) {
    if (n.op !== 'CONCATENATION' || !n.inputs.every((i) => known.has(i))) continue;
    const hull = n.inputs.filter((i) => WITHIN_INPUT_HULL.has(g.producerOf(i)?.op ?? ''));
    if (hull.length && hull.reduce((a, i) => a + size(i), 0) < size(n.outputs[0]!)) for (const i of hull) out.add(i);
  }
  return out;
}

/** One pass in graph order: the derivations of `names`, with those in `observe` observed. */
function derive(g: Graph, names: readonly string[], observe: ReadonlySet<string>): Map<string, Derivation> {
  const known = new Set(names);
  const own = new Set(names);
  const out = new Map<string, Derivation>();
  const inputs = new Set(g.inputs);
  for (const name of names) {
    const n = inputs.has(name) || observe.has(name) ? undefined : g.producerOf(name);
    if (!n || n.outputs.length !== 1) continue;
    const d = derivationOf(g, n, known, own);
    if (!d) continue;
    out.set(name, d);
    if (WITHIN_INPUT_HULL.has(n.op) || d.from.some((f) => !own.has(f))) own.delete(name);
  }
  return out;
}

/**
 * The activations among `names` (in graph order) whose statistics derive from earlier ones of
 * `names`, each with its derivation; the rest must be observed. A hull-derivable input of a
 * CONCATENATION is observed when that lets the concatenation (more values) be merged, and derived
 * when the concatenation is observed anyway.
 */
export function derivedActivations(g: Graph, names: readonly string[]): Map<string, Derivation> {
  const observe = hullInputsOfConcats(g, new Set(names));
  const first = derive(g, names, observe);
  const consumers = g.consumers();
  const merged = (t: string) => (consumers.get(t) ?? []).some((c) => c.op === 'CONCATENATION' && first.has(c.outputs[0]!));
  const needless = [...observe].filter((t) => !merged(t));
  if (!needless.length) return first;
  for (const t of needless) observe.delete(t);
  return derive(g, names, observe);
}

/** The function of an element-wise derivation (`n` is the node, for its attributes). */
function elementwiseFn(map: NonNullable<Derivation['map']>, n: Node | undefined): ElementwiseFn {
  if ('scale' in map) return { f: (x) => map.scale * x + map.shift, breaks: [] };
  const make = UNARY[map.op];
  if (!make || !n) throw internalError(`derived statistics: no element-wise function for ${map.op}`);
  return make(n);
}

/**
 * The statistics of `name` (output of `g`'s node) derived by `d` from its sources' statistics
 * (`sourceOf`): the observer of the kind asked for, run on the derived histogram.
 */
export function deriveStats(g: Graph, name: string, d: Derivation, sourceOf: (name: string) => ObservedStats, opts: ObserverOptions): ObservedStats {
  const sources = d.from.map(sourceOf);
  const source = sources[0]!;
  if (!d.map && sources.length === 1 && !d.clamp) return { ...source, name };
  const histogramOf = (s: ObservedStats): StreamingHistogram => {
    if (!s.histogram) throw internalError(`derived statistics of '${name}': the statistics of '${s.name}' carry no histogram`);
    return s.histogram;
  };
  let h = sources.length > 1 ? mergeHistograms(sources.map(histogramOf)) : histogramOf(source);
  if (d.map) h = mapHistogram(h, elementwiseFn(d.map, g.producerOf(name)));
  if (d.clamp) h = h.clamped(d.clamp[0], d.clamp[1]);
  const o = createObserver(opts);
  o.histogram.load(h.state());
  return { name, ...o.result(), histogram: o.histogram };
}
