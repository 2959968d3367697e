import { describe, expect, it } from 'vitest';
import { uniformFloat32 } from '../../src/core/random.js';
import { MaiError } from '../../src/core/errors.js';
import { calibrate } from '../../src/quantize/calibrate.js';
import { quantizeInt8 } from '../../src/quantize/int8.js';
import { meets, mixedPrecision, parseMaxDrop } from '../../src/quantize/mixed-precision.js';
import type { HostTensor } from '../../src/runtime/types.js';
import { outlierModel } from './outlier-model.js';

const samples = (n: number, seed: number): HostTensor[][] =>
  Array.from({ length: n }, (_, k) => [{ name: 'x', dtype: 'float32' as const, shape: [1, 8, 8, 3], data: uniformFloat32(192, seed + k, 0, 1) }]);

describe('--max-drop parsing', () => {
  it('reads metric=value with the metric direction', () => {
    expect(parseMaxDrop('sqnr=25')).toEqual({ metric: 'sqnr', limit: 25, direction: 'min' });
    expect(parseMaxDrop('cosine=0.999')).toEqual({ metric: 'cosine', limit: 0.999, direction: 'min' });
    expect(parseMaxDrop('rmse=1e-3')).toEqual({ metric: 'rmse', limit: 0.001, direction: 'max' });
    // task metrics: the allowed drop against the float model, whatever the metric's direction
    expect(parseMaxDrop('sad=0.5')).toEqual({ metric: 'sad', limit: 0.5, direction: 'max', task: 'matting' });
    expect(parseMaxDrop('psnr=0.3')).toEqual({ metric: 'psnr', limit: 0.3, direction: 'max', task: 'bokeh' });
    for (const bad of ['sqnr', 'accuracy=30', 'sqnr=abc', '=3', 'iou=-0.1']) {
      let err: unknown;
      try {
        parseMaxDrop(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MaiError);
      expect((err as MaiError).message).toContain(`'${bad}'`);
    }
  });
});

describe('budget loop', () => {
  it('moves the outlier model from failing sqnr ≥ 25 dB in plain int8 to passing by keeping the sensitive layers float', async () => {
    const g = outlierModel();
    const stats = await calibrate(g, samples(8, 100), { kind: 'minmax' });
    const budget = parseMaxDrop('sqnr=25');
    const r = await mixedPrecision({ floatGraph: g, budget, quantize: (keepFloat) => quantizeInt8(g, stats, { io: 'float', keepFloat }), samples: samples(4, 900) });
    // plain int8 fails; the chosen model passes (its value was measured in LiteRT)
    expect(r.int8Value).toBeLessThan(25);
    expect(r.met).toBe(true);
    expect(meets(budget, r.value)).toBe(true);
    expect(r.value).toBeGreaterThanOrEqual(25);
    // the two nodes around the outlier tensor are the most sensitive and the ones kept
    expect(r.sensitivity.slice(0, 2).map((s) => s.node).sort()).toEqual(['mix_in', 'mix_out']);
    expect(r.keptFloat.sort()).toEqual(['mix_in', 'mix_out']);
    expect(r.result.keptFloat.map((k) => k.node).sort()).toEqual(['mix_in', 'mix_out']);
    expect(r.steps[0]).toMatchObject({ keptFloat: 0, pass: false });
  });

  it('an impossible budget is unmet with the reason (all float but one still misses it)', async () => {
    const g = outlierModel();
    const stats = await calibrate(g, samples(4, 100), { kind: 'minmax' });
    const r = await mixedPrecision({ floatGraph: g, budget: parseMaxDrop('sqnr=200'), quantize: (keepFloat) => quantizeInt8(g, stats, { io: 'float', keepFloat }), samples: samples(2, 900) });
    expect(r.met).toBe(false);
    expect(r.reason).toMatch(/even with every layer but the least sensitive one \(\w+, CONV_2D\) kept float, sqnr is [\d.]+ \(budget ≥ 200\)/);
  });
});
