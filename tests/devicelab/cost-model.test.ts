import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkGpuCompat } from '../../src/convert/gpu/check.js';
import { estimateCost, paddedFlops } from '../../src/devicelab/sim/cost-model.js';
import { deviceProfile, PROFILES } from '../../src/devicelab/sim/profiles.js';
import { MaiError } from '../../src/core/errors.js';
import { convert } from '../../src/convert/index.js';
import { buildEncoderDecoderOnnx } from '../../src/samples/encoder-decoder.js';
import { calibrate } from '../../src/quantize/calibrate.js';
import { quantizeInt8 } from '../../src/quantize/int8.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { fmtG } from '../../src/devicelab/sim/benchmark-tool.js';
import { readTflite } from '../../src/tflite/reader.js';
import { IrBuilder } from '../helpers/ir-builder.js';
import { SELFIE } from './models.js';

function convNet(channels: number) {
  const b = new IrBuilder(1);
  const x = b.input('x', [1, 128, 128, channels]);
  let y = x;
  for (let i = 0; i < 4; i++) y = b.conv2d(y, { out: channels, k: 3 });
  b.output(y);
  return b.graph;
}

describe('Mali-G78 MP24 cost model', () => {
  it('fp16 peak of the Kirin 9000 is 24 cores × 759 MHz × 128 FLOPs ≈ 2.33 TFLOPS; every hardware constant has a source', () => {
    const hw = deviceProfile('kirin9000').hw;
    expect((hw.cores * hw.clockMHz * 1e6 * hw.fp16OpsPerClkPerCore) / 1e12).toBeCloseTo(2.332, 2);
    for (const p of Object.values(PROFILES)) for (const k of Object.keys(p.hw)) expect(p.sources[k as keyof typeof p.hw], `${p.name}.${k}`).toMatch(/^\S.{10,}/);
  });

  it('an unknown profile is bad input naming the known ones', () => {
    let err: unknown;
    try {
      deviceProfile('kirin9001');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MaiError);
    expect((err as MaiError).code).toBe('unknown-profile');
    expect((err as MaiError).hint).toContain('kirin9000');
  });

  it('selfie_segmentation lands in a few milliseconds, fully on the GPU; the smaller Kirin 990 is slower', () => {
    const bytes = readFileSync(SELFIE);
    const g = readTflite(new Uint8Array(bytes), SELFIE);
    const c = estimateCost(g, checkGpuCompat(g), bytes.length);
    expect(c.cpuUs).toBe(0);
    expect(c.inferenceUs).toBeGreaterThan(2500);
    expect(c.inferenceUs).toBeLessThan(8000);
    expect(estimateCost(g, checkGpuCompat(g), bytes.length, { profile: deviceProfile('kirin990') }).inferenceUs).toBeGreaterThan(c.inferenceUs);
  });

  it('pads channels to multiples of 4: 5 channels cost like 8, more than 4', () => {
    const cost = (ch: number) => {
      const g = convNet(ch);
      return g.nodes.reduce((a, n) => a + paddedFlops(g, n), 0);
    };
    expect(cost(5)).toBe(cost(8));
    expect(cost(5)).toBeGreaterThan(cost(4) * 3);
  });

  it('fp32 (precision loss not allowed) is slower than fp16; CPU fallback is slower than the GPU', () => {
    const g = convNet(32);
    const r = checkGpuCompat(g);
    const fp16 = estimateCost(g, r, 1000).inferenceUs;
    const fp32 = estimateCost(g, r, 1000, { fp16: false }).inferenceUs;
    const cpu = estimateCost(g, { ...r, nodes: r.nodes.map((n) => ({ ...n, delegated: false })), delegatedNodeCount: 0, cpuNodeCount: r.nodes.length }, 1000).inferenceUs;
    expect(fp32).toBeGreaterThan(fp16 * 1.3);
    expect(cpu).toBeGreaterThan(fp16 * 3);
  });

  it('int8 costs what float costs on the GPU delegate (it dequantizes): no speed-up; fp32 is slower than fp16', async () => {
    const { graph: g } = convert({ bytes: buildEncoderDecoderOnnx({ size: 64, width: 8, seed: 1 }), file: 'ed.onnx' });
    const samples = [1, 2].map((seed) => [{ name: g.inputs[0]!, dtype: 'float32' as const, shape: g.tensor(g.inputs[0]!).shape, data: uniformFloat32(3 * 64 * 64, seed, 0, 1) }]);
    const q = quantizeInt8(g, await calibrate(g, samples, { kind: 'minmax' })).graph;
    const fp = estimateCost(g, checkGpuCompat(g), 1000);
    const rq = checkGpuCompat(q);
    expect(rq.fullyDelegated).toBe(true);
    const int8 = estimateCost(q, rq, 1000);
    expect(int8.inferenceUs).toBeGreaterThanOrEqual(fp.inferenceUs * 0.98);
    expect(estimateCost(g, checkGpuCompat(g), 1000, { fp16: false }).inferenceUs).toBeGreaterThan(fp.inferenceUs);
  });

  it('formats numbers like C++ ostream (6 significant digits, scientific from 1e6)', () => {
    expect(fmtG(8680.3333)).toBe('8680.33');
    expect(fmtG(1240270)).toBe('1.24027e+06');
    expect(fmtG(1357600)).toBe('1.3576e+06');
    expect(fmtG(2)).toBe('2');
  });
});
