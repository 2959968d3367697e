import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { buildEncoderDecoderOnnx } from '../../src/samples/encoder-decoder.js';
import { quantizeModel, type QuantizeModelResult } from '../../src/quantize/pipeline.js';
import { ErrorAccumulator } from '../../src/quantize/report.js';
import { exposeTensors } from '../../src/quantize/expose.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { writeTflite } from '../../src/tflite/writer.js';
import { agreementMetrics, cosine, rmse, sqnr } from '../../src/validate/metrics/index.js';
import { openCalibSource, splitSamples, DEFAULT_PREPROCESS } from '../../src/quantize/calib-data/index.js';
import { uniformFloat32 } from '../../src/core/random.js';
import type { HostTensor } from '../../src/runtime/types.js';

const PHOTOS = join('data', 'samples', 'matting');

describe('ErrorAccumulator', () => {
  it('pooled over two arrays equals validate’s metrics on their concatenation', () => {
    const r1 = uniformFloat32(100, 1);
    const c1 = r1.map((v, i) => v + 0.01 * Math.sin(i));
    const r2 = uniformFloat32(50, 2, -3, 3);
    const c2 = r2.map((v, i) => v * 0.98 + 0.02 * Math.cos(i));
    const acc = new ErrorAccumulator();
    acc.add(r1, c1);
    acc.add(r2, c2);
    const ref = [...r1, ...r2];
    const cand = [...c1, ...c2];
    expect(acc.sqnrDb).toBeCloseTo(sqnr(ref, cand), 9);
    expect(acc.rmse).toBeCloseTo(rmse(ref, cand), 12);
    expect(acc.cosine).toBeCloseTo(cosine(ref, cand), 12);
  });
});

describe('per-layer report on the sample encoder–decoder (LiteRT, bundled photos)', () => {
  let r: QuantizeModelResult;
  let held: HostTensor[][];
  beforeAll(async () => {
    const bytes = buildEncoderDecoderOnnx({ size: 64, width: 8, seed: 3 });
    r = await quantizeModel({ file: 'ed.onnx', bytes, mode: 'int8', calib: PHOTOS, evalSamples: 2, observer: { kind: 'minmax' } });
    const src = await openCalibSource(PHOTOS, [{ name: r.floatGraph.inputs[0]!, shape: r.floatGraph.tensor(r.floatGraph.inputs[0]!).shape }], DEFAULT_PREPROCESS);
    held = await Promise.all(splitSamples(src.samples, { evalSamples: 2 }).eval.map((s) => s.load()));
  }, 120_000);

  it('calibrates on the first photos and reports on the held-out rest, disjoint', () => {
    expect(r.report.calibSamples).toEqual(['astronaut', 'chelsea']);
    expect(r.report.evalSamples).toEqual(['coffee', 'hubble_deep_field']);
    expect(r.report.evaluatedOn).toBe('held-out');
  });

  it('one row per int8 activation, worst SQNR first, with its parameters and calibrated range', () => {
    const { layers } = r.report;
    expect(layers.length).toBeGreaterThan(10);
    expect(new Set(layers.map((l) => l.tensor)).size).toBe(layers.length);
    for (let i = 1; i < layers.length; i++) expect(layers[i]!.sqnrDb).toBeGreaterThanOrEqual(layers[i - 1]!.sqnrDb);
    const quantized = layers.filter((l) => l.scale !== undefined);
    expect(quantized.length).toBeGreaterThan(10);
    for (const l of quantized) {
      expect(l.scale).toBeGreaterThan(0);
      expect(l.zeroPoint).toBeGreaterThanOrEqual(-128);
      expect(l.zeroPoint).toBeLessThanOrEqual(127);
      expect(l.rmseOverScale).toBeCloseTo(l.rmse / l.scale!, 12);
      // min-max observer: the chosen range is the observed one, nothing clipped
      expect(l.lo).toBe(l.min);
      expect(l.hi).toBe(l.max);
      expect(l.clipRate).toBe(0);
      expect(l.cosine).toBeGreaterThan(0.9);
    }
    // lost_dB: the SQNR a layer loses against its worst compared input
    const byName = new Map(layers.map((l) => [l.tensor, l] as const));
    const pad = layers.find((l) => l.op === 'CONV_2D' && l.addedDb !== undefined && Number.isFinite(l.addedDb))!;
    const node = r.floatGraph.producerOf(pad.tensor)!;
    const inSqnr = Math.min(...node.inputs.filter((i) => byName.has(i)).map((i) => byName.get(i)!.sqnrDb));
    expect(pad.addedDb).toBeCloseTo(inSqnr - pad.sqnrDb, 9);
    // the input tensor is quantized too and, with nothing clipped, its error is pure rounding:
    // every element within half a step (photo pixels k/255 with a [0, 1] range land almost on the grid)
    const input = layers.find((l) => l.op === 'input')!;
    expect(input).toBeDefined();
    expect(input.rmseOverScale!).toBeLessThanOrEqual(0.5);
  });

  it('the worst layer’s and the output’s numbers match an independent run of both written models in LiteRT', async () => {
    const worst = r.report.layers[0]!;
    const fl = await liteRtRuntime.load(writeTflite(exposeTensors(r.floatGraph, [worst.tensor])));
    const ql = await liteRtRuntime.load(writeTflite(exposeTensors(r.graph, [worst.quantTensor])));
    const fOut: number[] = [];
    const qOut: number[] = [];
    const fT: number[] = [];
    const qT: number[] = [];
    for (const s of held) {
      const f = await fl.run(s);
      const q = await ql.run(s);
      fOut.push(...(f[0]!.data as Float32Array));
      qOut.push(...(q[0]!.data as Float32Array));
      fT.push(...(f[1]!.data as Float32Array));
      qT.push(...(q[1]!.data as Float32Array));
    }
    await fl.dispose();
    await ql.dispose();
    const layer = agreementMetrics(fT, qT);
    expect(worst.sqnrDb).toBeCloseTo(layer.sqnr, 6);
    expect(worst.rmse).toBeCloseTo(layer.rmse, 9);
    expect(worst.cosine).toBeCloseTo(layer.cosine, 9);
    const out = agreementMetrics(fOut, qOut);
    expect(r.report.outputs[0]!.sqnrDb).toBeCloseTo(out.sqnr, 6);
    expect(r.report.outputs[0]!.maxAbs).toBeCloseTo(out.max_abs, 9);
    // int8 on this CNN keeps the output close: > 20 dB on photos it never saw
    expect(out.sqnr).toBeGreaterThan(20);
  });

  it('int8 weights: one row per conv, per-channel scales, rounding error ≤ half a step per element', () => {
    const convs = r.floatGraph.nodes.filter((n) => n.op === 'CONV_2D' || n.op === 'DEPTHWISE_CONV_2D');
    const { weights } = r.report;
    expect(weights.map((w) => w.node).sort()).toEqual(convs.map((n) => n.name).sort());
    for (let i = 1; i < weights.length; i++) expect(weights[i]!.sqnrDb).toBeGreaterThanOrEqual(weights[i - 1]!.sqnrDb);
    for (const w of weights) {
      const n = convs.find((c) => c.name === w.node)!;
      const shape = r.floatGraph.tensor(n.inputs[1]!).shape;
      expect(w.channels).toBe(n.op === 'CONV_2D' ? shape[0] : shape[3]);
      expect(w.rmse).toBeLessThanOrEqual(w.scaleMax / 2);
      expect(w.sqnrDb).toBeGreaterThan(30); // 8-bit symmetric per-channel: ≈ 40 dB for Gaussian-like weights
    }
  });

  it('sizes are the float and written file sizes; the quantized file is smaller', () => {
    expect(r.report.sizes.floatBytes).toBe(r.floatBytes.byteLength);
    expect(r.report.sizes.quantizedBytes).toBe(r.bytes.byteLength);
    expect(r.report.sizes.ratio).toBeLessThan(0.7);
  });
});
