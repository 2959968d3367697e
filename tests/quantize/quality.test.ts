/**
 * Honest results: the warnings a report carries (few calibration samples, poor
 * output SQNR naming the layer that loses most, a near-zero mask output), the
 * label of a mixed model, the kept-float summary, and fp16 weights staying fp16
 * in layers an int8 model keeps float (checked in LiteRT against the source).
 */
import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../helpers/ir-builder.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { calibrate } from '../../src/quantize/calibrate.js';
import { quantizeFp16 } from '../../src/quantize/fp16.js';
import { quantizeInt8 } from '../../src/quantize/int8.js';
import { foregroundAgreement, QUALITY_THRESHOLDS, qualityWarnings, quantLabel, summariseKeptFloat } from '../../src/quantize/quality.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import type { HostTensor } from '../../src/runtime/types.js';
import { writeTflite } from '../../src/tflite/index.js';

describe('foregroundAgreement', () => {
  it('IoU and agreement of the 0.5-masks; undefined for an output outside [0, 1]', () => {
    const ref = [0.9, 0.8, 0.1, 0.0, 0.6, 0.2];
    const cand = [0.7, 0.4, 0.1, 0.55, 0.6, 0.2];
    // float mask {0,1,4}, quantized {0,3,4}: intersection 2, union 4; 4 of 6 on the same side
    expect(foregroundAgreement(ref, cand)).toEqual({ threshold: 0.5, fraction: 0.5, iou: 0.5, agreement: 4 / 6 });
    expect(foregroundAgreement([0.2, 1.5], [0.2, 1.5])).toBeUndefined();
    expect(foregroundAgreement([0, 0, 0], [0, 0, 0.1])).toEqual({ threshold: 0.5, fraction: 0, iou: 1, agreement: 1 });
  });
});

describe('qualityWarnings', () => {
  const layers = [
    { tensor: 'out', op: 'LOGISTIC', sqnrDb: 5.3, addedDb: 4 },
    { tensor: 'b', op: 'ADD', sqnrDb: 12, addedDb: 14, clipRate: 0.03 },
    { tensor: 'a', op: 'CONV_2D', sqnrDb: 26, addedDb: 2 },
  ];
  it('few calibration samples and a poor output SQNR (naming where the SQNR first falls below the threshold)', () => {
    const w = qualityWarnings({ mode: 'int8', calibSamples: 3, evaluatedOn: 'held-out', outputs: [{ name: 'out', sqnrDb: 5.3 }], layers });
    expect(w.map((x) => x.code)).toEqual(['few-calibration-samples', 'poor-output-sqnr']);
    expect(w[0]!.message).toMatch(/3 sample\(s\), fewer than 32/);
    expect(w[1]!.message).toMatch(/SQNR 5\.3 dB is poor \(< 20 dB\); SQNR first falls below 20 dB at b \(ADD: 12\.0 dB, 14\.0 dB lost there, 3\.00 % of its values clipped\)/);
  });
  it('a near-zero mask output: SQNR called meaningless, mask agreement reported instead of a poor-SQNR warning', () => {
    const fg = { threshold: 0.5, fraction: 0.002, iou: 0.4, agreement: 0.998 };
    const w = qualityWarnings({ mode: 'int8', calibSamples: 100, evaluatedOn: 'held-out', outputs: [{ name: 'mask', sqnrDb: 4, foreground: fg }], layers });
    expect(w.map((x) => x.code)).toEqual(['near-zero-output']);
    expect(w[0]!.message).toMatch(/99\.8 % background.*SQNR \(4\.0 dB\) measures noise.*99\.80 %.*IoU 0\.400/);
  });
  it('nothing to say about a good int8 model; fp16 is never warned for calibration', () => {
    const fg = { threshold: 0.5, fraction: 0.3, iou: 0.98, agreement: 0.99 };
    expect(qualityWarnings({ mode: 'int8', calibSamples: QUALITY_THRESHOLDS.minCalibSamples, evaluatedOn: 'held-out', outputs: [{ name: 'm', sqnrDb: 31, foreground: fg }], layers })).toEqual([]);
    expect(qualityWarnings({ mode: 'fp16', calibSamples: 0, evaluatedOn: 'random', outputs: [{ name: 'm', sqnrDb: 60 }], layers: [] })).toEqual([]);
    const poorIou = qualityWarnings({ mode: 'int8', calibSamples: 64, evaluatedOn: 'held-out', outputs: [{ name: 'm', sqnrDb: 25, foreground: { ...fg, iou: 0.7 } }], layers });
    expect(poorIou.map((x) => x.code)).toEqual(['poor-foreground-iou']);
  });
});

describe('labels and summaries', () => {
  it('labels a mixed model for what it is', () => {
    expect(quantLabel('int8', 113, 12)).toBe('int8 (12 of 113 layers float)');
    expect(quantLabel('int8', 113, 0)).toBe('int8');
  });
  it('summarises kept-float layers per reason and op, with a few names', () => {
    const kept = [
      ...Array.from({ length: 5 }, (_, i) => ({ node: `conv${i}`, op: 'CONV_2D', reason: 'kept float as asked (keepFloat)' })),
      { node: 'add0', op: 'ADD', reason: 'kept float as asked (keepFloat)' },
      { node: 'tconv', op: 'CUSTOM:Convolution2DTransposeBias', reason: 'no int8 kernel' },
    ];
    expect(summariseKeptFloat(kept)).toBe('6 kept float as asked (keepFloat): CONV_2D×5 ADD×1 (conv0, conv1, conv2, … 3 more); 1 no int8 kernel: CUSTOM:Convolution2DTransposeBias×1 (tconv)');
  });
});

describe('fp16 weights stay fp16 in layers kept float', () => {
  it('a kept-float conv of an fp16 model reads its fp16 weights through DEQUANTIZE and computes what the source does', async () => {
    const b = new IrBuilder(5);
    const x = b.input('x', [1, 8, 8, 4]);
    const c1 = b.conv2d(x, { out: 8, k: 3, name: 'conv1' });
    const c2 = b.conv2d(c1, { out: 8, k: 3, name: 'conv2' });
    b.output(c2);
    const g16 = quantizeFp16(b.graph);
    const sample = (s: number): HostTensor[] => [{ name: 'x', dtype: 'float32', shape: [1, 8, 8, 4], data: uniformFloat32(256, s, -1, 1) }];
    const stats = await calibrate(g16, [1, 2, 3, 4].map(sample), { kind: 'minmax' });
    const all = quantizeInt8(g16, stats, { keepFloat: new Set(['conv1', 'conv2']) });
    const fp16Weights = [...all.graph.tensors.values()].filter((t) => t.dtype === 'float16' && t.data);
    const fp32Weights = [...all.graph.tensors.values()].filter((t) => t.dtype === 'float32' && t.data && t.shape.length === 4);
    expect(fp16Weights.length).toBe(4); // weights and biases of both convs, as the source stores them
    expect(fp32Weights).toEqual([]);
    expect(writeTflite(all.graph).byteLength).toBeLessThan(writeTflite(b.graph).byteLength);
    // everything kept float: the same numbers as the fp16 source in LiteRT
    const run = async (bytes: Uint8Array) => {
      const m = await liteRtRuntime.load(bytes);
      try {
        return (await m.run(sample(9)))[0]!.data as Float32Array;
      } finally {
        await m.dispose();
      }
    };
    expect([...(await run(writeTflite(all.graph)))]).toEqual([...(await run(writeTflite(g16)))]);
    // one layer float: its weights fp16, the other int8
    const one = quantizeInt8(g16, stats, { keepFloat: new Set(['conv2']) });
    expect([...one.graph.tensors.values()].filter((t) => t.dtype === 'float16' && t.data).length).toBe(2);
    expect([...one.graph.tensors.values()].filter((t) => t.dtype === 'int8' && t.data).length).toBe(1);
  });
});
