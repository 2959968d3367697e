/**
 * Statistics derived instead of observed: which activations qualify, and derived statistics
 * against a direct observation of the same values (LiteRT runs the model with them exposed).
 */
import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../helpers/ir-builder.js';
import { normalFloat32, uniformFloat32 } from '../../src/core/random.js';
import { activationTensors, calibrate, exposedActivations, type CalibrationStats } from '../../src/quantize/calibrate.js';
import { derivedActivations } from '../../src/quantize/derived-stats.js';
import { StreamingHistogram } from '../../src/quantize/observers/index.js';
import type { ObserverOptions } from '../../src/quantize/observers/types.js';
import type { HostTensor } from '../../src/runtime/types.js';

function build() {
  const b = new IrBuilder(5);
  const x = b.input('x', [1, 16, 16, 3]);
  const conv = b.conv2d(x, { out: 8, k: 3, name: 'conv' });
  const shape = b.shape(conv);
  const relu = b.unary('RELU', conv, { name: 'relu' });
  const t = b.transpose(relu, [0, 3, 1, 2], { name: 't' });
  const r = b.reshape(t, [1, 8, 256], { name: 'r' });
  const fused = b.conv2d(x, { out: 4, k: 1, activation: 'RELU6', name: 'fused' });
  const relu6 = b.unary('RELU6', fused, { name: 'relu6' });
  const sig = b.unary('LOGISTIC', relu6, { name: 'sig' });
  // element-wise functions of one activation, some of derived ones
  const hs = b.op('HARD_SWISH', [conv], shape, {}, { name: 'hs', out: 'hs' });
  const th = b.unary('TANH', conv, { name: 'th' });
  const elu = b.op('ELU', [conv], shape, {}, { name: 'elu', out: 'elu' });
  const leaky = b.op('LEAKY_RELU', [conv], shape, { alpha: 0.1 }, { name: 'leaky', out: 'leaky' });
  const abs = b.op('ABS', [hs], shape, {}, { name: 'abs', out: 'abs' });
  const exp = b.op('EXP', [th], shape, {}, { name: 'exp', out: 'exp' });
  // ADD / SUB / MUL by a scalar constant: affine maps (a fused RELU6 clamps)
  const scaled = b.binary('MUL', conv, b.const('minus_half', [1], [-0.5]), {}, { name: 'scaled' });
  const shifted = b.binary('ADD', b.const('one_and_a_quarter', [1, 1, 1, 1], [1.25]), scaled, { activation: 'RELU6' }, { name: 'shifted' });
  const flipped = b.binary('SUB', b.const('two', [8], [2, 2, 2, 2, 2, 2, 2, 2]), hs, {}, { name: 'flipped' });
  // 4096 values a sample: observed directly, every one is binned (no subsample), so the comparison is exact
  // a scalar stored as fp16 behind a DEQUANTIZE (as in Google's models)
  const half = b.op('DEQUANTIZE', [b.const('half16', [1], Uint16Array.of(0x3800), { dtype: 'float16' })], [1], {}, { name: 'half', out: 'half' });
  const plusHalf = b.binary('ADD', conv, half, {}, { name: 'plus_half' });
  const cat = b.op('CONCATENATION', [th, conv], [1, 16, 16, 16], { axis: 3, activation: 'NONE' }, { name: 'cat', out: 'cat' });
  // maps and merges need statistics of a tensor's own values: a padded input of a concatenation
  // is observed (it is the smaller), a map of a padded tensor that is not is observed itself
  const pads = b.const('pads', [4, 2], [0, 0, 1, 1, 1, 1, 0, 0], { dtype: 'int32' });
  const padded = b.op('PAD', [fused, pads], [1, 18, 18, 4], {}, { name: 'padded', out: 'padded' });
  const paddedHs = b.op('HARD_SWISH', [padded], [1, 18, 18, 4], {}, { name: 'padded_hs', out: 'padded_hs' });
  const paddedCat = b.op('CONCATENATION', [padded, paddedHs], [1, 18, 18, 8], { axis: 3, activation: 'NONE' }, { name: 'padded_cat', out: 'padded_cat' });
  const padded2 = b.op('PAD', [relu, pads], [1, 18, 18, 8], {}, { name: 'padded2', out: 'padded2' });
  const padded2Hs = b.op('HARD_SWISH', [padded2], [1, 18, 18, 8], {}, { name: 'padded2_hs', out: 'padded2_hs' });
  // a padded input stays derived when the concatenation cannot be merged (its other input is a
  // reshape of a padded tensor: statistics of the pad's source, not its own)
  const padded3 = b.op('PAD', [relu6, pads], [1, 18, 18, 4], {}, { name: 'padded3', out: 'padded3' });
  const padded4 = b.op('PAD', [relu6, pads], [1, 18, 18, 4], {}, { name: 'padded4', out: 'padded4' });
  const padded4r = b.reshape(padded4, [1, 18, 18, 4], { name: 'padded4r' });
  const unmerged = b.op('CONCATENATION', [padded3, padded4r], [1, 18, 18, 8], { axis: 3, activation: 'NONE' }, { name: 'unmerged', out: 'unmerged' });
  // observed: two activations, a per-channel constant, a fused TANH, a broadcast that grows the output
  const prod = b.binary('MUL', conv, th, {}, { name: 'prod' });
  const bias = b.binary('ADD', conv, b.const('bias', [8]), {}, { name: 'bias' });
  const tanhFused = b.binary('MUL', conv, b.const('three', [1], [3]), { activation: 'TANH' }, { name: 'tanh_fused' });
  const sig5d = b.reshape(sig, [1, 16, 16, 4, 1]);
  const grown = b.binary('ADD', sig5d, b.const('zeros', [1, 1, 1, 1, 2], [0, 0]), {}, { name: 'grown' });
  for (const o of [r, sig, elu, leaky, abs, exp, shifted, flipped, plusHalf, cat, paddedCat, padded2Hs, unmerged, prod, bias, tanhFused, grown]) b.output(o);
  return { g: b.graph, x, conv, relu, t, r, fused, relu6, sig, hs, th, elu, leaky, abs, exp, scaled, shifted, flipped, plusHalf, cat, padded, paddedHs, paddedCat, padded2, padded2Hs, padded3, padded4, padded4r, unmerged, prod, bias, tanhFused, sig5d, grown };
}
const sample = (seed: number): HostTensor[] => [{ name: 'x', dtype: 'float32', shape: [1, 16, 16, 3], data: uniformFloat32(768, seed, -2, 3) }];

describe('derivedActivations', () => {
  it('derives value-moving ops, clamps, element-wise functions, scalar affine maps and concatenations; not the rest', () => {
    const m = build();
    const d = derivedActivations(m.g, activationTensors(m.g));
    const want = [
      [m.relu, { from: [m.conv], clamp: [0, Infinity] }],
      [m.t, { from: [m.relu] }],
      [m.r, { from: [m.t] }],
      [m.relu6, { from: [m.fused], clamp: [0, 6] }],
      [m.sig, { from: [m.relu6], map: { op: 'LOGISTIC' } }],
      [m.hs, { from: [m.conv], map: { op: 'HARD_SWISH' } }],
      [m.th, { from: [m.conv], map: { op: 'TANH' } }],
      [m.elu, { from: [m.conv], map: { op: 'ELU' } }],
      [m.leaky, { from: [m.conv], map: { op: 'LEAKY_RELU' } }],
      [m.abs, { from: [m.hs], map: { op: 'ABS' } }],
      [m.exp, { from: [m.th], map: { op: 'EXP' } }],
      [m.scaled, { from: [m.conv], map: { scale: -0.5, shift: 0 } }],
      [m.shifted, { from: [m.scaled], map: { scale: 1, shift: 1.25 }, clamp: [0, 6] }],
      [m.flipped, { from: [m.hs], map: { scale: -1, shift: 2 } }],
      [m.plusHalf, { from: [m.conv], map: { scale: 1, shift: 0.5 } }],
      [m.cat, { from: [m.th, m.conv] }],
      [m.paddedHs, { from: [m.padded], map: { op: 'HARD_SWISH' } }],
      [m.paddedCat, { from: [m.padded, m.paddedHs] }],
      [m.padded2, { from: [m.relu] }],
      [m.padded3, { from: [m.relu6] }],
      [m.padded4, { from: [m.relu6] }],
      [m.padded4r, { from: [m.padded4] }],
      [m.sig5d, { from: [m.sig] }],
    ];
    expect([...d.entries()]).toEqual(want);
    const observed = [m.conv, m.fused, m.padded, m.padded2Hs, m.unmerged, m.prod, m.bias, m.tanhFused, m.grown];
    for (const n of observed) expect(d.has(n), n).toBe(false);
    expect(exposedActivations(m.g)).toEqual(observed);
  });
});

/** The activations derived from a pad (hull derivations: their source's distribution and count). */
const hull = (m: ReturnType<typeof build>) => [m.padded2, m.padded3, m.padded4, m.padded4r];

/** Derived statistics against every activation observed (`derive: false`) on the same samples. */
async function both(opts: ObserverOptions): Promise<[CalibrationStats, CalibrationStats]> {
  const { g } = build();
  const samples = [1, 2, 3, 4].map(sample);
  return [await calibrate(g, samples, opts), await calibrate(g, samples, { ...opts, derive: false })];
}

describe('calibrate with derived statistics', () => {
  it('min-max: moved and clamped values exactly; mapped and merged extremes within a bin (exactly where the function is monotone)', async () => {
    const m = build();
    const [derived, observed] = await both({ kind: 'minmax' });
    expect([...derived.keys()]).toEqual(activationTensors(m.g));
    const exact = [m.relu, m.t, m.r, m.relu6, m.conv, m.fused, m.prod, m.bias, m.padded, m.padded2Hs, m.unmerged];
    // images of the input's extremes (monotone on the observed span): float32 rounding apart
    const monotone = [m.sig, m.th, m.elu, m.leaky, m.exp, m.scaled, m.shifted, m.plusHalf, m.cat, m.paddedCat];
    for (const n of activationTensors(m.g)) {
      const got = derived.get(n)!;
      const want = observed.get(n)!;
      const bin = got.histogram!.binWidth;
      if (hull(m).includes(n)) {
        // a hull derivation: the source's values (fewer, no padding zeros), within the same extremes
        expect([got.min <= want.min, got.max >= want.max], n).toEqual([true, true]);
        continue;
      }
      expect(got.count, n).toBeCloseTo(want.count, 6);
      if (exact.includes(n)) expect([got.min, got.max, got.lo, got.hi], n).toEqual([want.min, want.max, want.lo, want.hi]);
      else if (monotone.includes(n)) {
        expect(got.min, n).toBeCloseTo(want.min, 5);
        expect(got.max, n).toBeCloseTo(want.max, 5);
      } else {
        expect(Math.abs(got.min - want.min), n).toBeLessThanOrEqual(bin);
        expect(Math.abs(got.max - want.max), n).toBeLessThanOrEqual(bin);
      }
    }
  });

  it('percentile: every derived range within two bins (of the coarser histogram) of the observed one', async () => {
    const m = build();
    const [derived, observed] = await both({ kind: 'percentile', percentile: 99 });
    // (a hull derivation carries its source's distribution: not compared)
    for (const n of activationTensors(m.g).filter((n) => !hull(m).includes(n))) {
      const got = derived.get(n)!;
      const want = observed.get(n)!;
      // each quantile is read off its own histogram (the derived one's range is often tighter)
      const bin = Math.max(got.histogram!.binWidth, want.histogram!.binWidth);
      expect(Math.abs(got.hi - want.hi), n).toBeLessThanOrEqual(2 * bin);
      expect(Math.abs(got.lo - want.lo), n).toBeLessThanOrEqual(2 * bin);
      expect(got.count, n).toBeCloseTo(want.count, 6);
    }
  });
});

describe('StreamingHistogram.clamped', () => {
  it('moves the mass outside the span into its edge bins: same count, quantiles of the clamped values', () => {
    const data = normalFloat32(50_000, 9);
    const h = new StreamingHistogram(2048, data.length); // every value binned
    h.add(data);
    const c = h.clamped(0, 1.5);
    expect(c.bins.reduce((a, b) => a + b, 0)).toBeCloseTo(h.count, 6);
    expect([c.min, c.max, c.count]).toEqual([0, 1.5, h.count]);
    const clampedSorted = Float32Array.from(data, (v) => Math.min(Math.max(v, 0), 1.5)).sort();
    for (const q of [0.6, 0.8]) expect(Math.abs(c.quantile(q) - clampedSorted[Math.floor(q * data.length)]!), `q ${q}`).toBeLessThan(2 * c.binWidth);
    // below 0.5 the clamped values are all 0
    expect(c.quantile(0.3)).toBeLessThan(2 * c.binWidth);
    // the source histogram is untouched
    expect(h.min).toBeLessThan(0);
  });
});
