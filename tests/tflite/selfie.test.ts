/**
 * Google's selfie_segmentation.tflite (from @mediapipe/selfie_segmentation):
 * read into the IR, written again, and both files run in LiteRT on the same
 * input with identical outputs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { readTflite, writeTflite } from '../../src/tflite/index.js';
import { snapshot } from './graph-compare.js';
import { verify } from '../../src/ir/verify.js';
import { captureLiteRtErrors } from './litert-errors.js';

function selfiePath(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@mediapipe/selfie_segmentation/package.json');
    const p = join(dirname(pkg), 'selfie_segmentation.tflite');
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}
const file = selfiePath();
if (!file) console.warn('selfie_segmentation.tflite not installed (@mediapipe/selfie_segmentation): Google-model tests skipped');

describe.skipIf(!file)('selfie_segmentation.tflite (Google)', () => {
  const bytes = file ? new Uint8Array(readFileSync(file)) : new Uint8Array(0);

  it('reads: input 1×256×256×3, a non-empty op histogram, constant weights, the custom transpose-conv op', () => {
    const g = readTflite(bytes, file);
    expect(g.inputs).toHaveLength(1);
    const input = g.tensor(g.inputs[0]!);
    expect(input.shape).toEqual([1, 256, 256, 3]);
    expect(input.dtype).toBe('float32');
    expect(input.layout).toBe('NHWC');
    expect(g.tensor(g.outputs[0]!).shape).toEqual([1, 256, 256, 1]);
    const hist: Record<string, number> = {};
    for (const n of g.nodes) hist[n.op] = (hist[n.op] ?? 0) + 1;
    expect(hist.CONV_2D).toBeGreaterThan(10);
    expect(hist.DEPTHWISE_CONV_2D).toBeGreaterThan(0);
    expect(hist.DEQUANTIZE).toBeGreaterThan(0);
    const custom = g.nodes.filter((n) => n.op === 'CUSTOM');
    expect(custom.map((n) => n.attrs.customCode)).toEqual(['Convolution2DTransposeBias']);
    const conv = g.nodes.find((n) => n.op === 'CONV_2D')!;
    expect(conv.attrs.padding).toMatch(/SAME|VALID/);
    expect(conv.version).toBe(1);
    const weights = [...g.tensors.values()].filter((t) => t.data);
    expect(weights.length).toBeGreaterThan(100);
    expect(weights.some((t) => t.dtype === 'float16')).toBe(true);
    expect(g.description.length).toBeGreaterThan(0);
    expect(verify(g)).toEqual([]);
  });

  it('read → write → read gives the same graph', () => {
    const g = readTflite(bytes, file);
    const back = readTflite(writeTflite(g));
    // the original has no signature; the rewrite gains serving_default built from tensor names
    expect(back.signature?.key).toBe('serving_default');
    back.signature = g.signature;
    expect(snapshot(back)).toEqual(snapshot(g));
  });

  it('the original and our rewrite give identical outputs in LiteRT', async () => {
    const g = readTflite(bytes, file);
    const rewritten = writeTflite(g);
    const loads = await captureLiteRtErrors(async () => [await liteRtRuntime.load(bytes), await liteRtRuntime.load(rewritten)] as const);
    expect(loads.errors).toEqual([]);
    const [a, b] = loads.result;
    try {
      const input = { name: 'input_1', dtype: 'float32' as const, shape: [1, 256, 256, 3], data: uniformFloat32(256 * 256 * 3, 42, 0, 1) };
      const ra = await captureLiteRtErrors(() => a.run([input]));
      const rb = await captureLiteRtErrors(() => b.run([input]));
      expect([...ra.errors, ...rb.errors]).toEqual([]);
      const [oa] = ra.result;
      const [ob] = rb.result;
      expect(ob!.shape).toEqual([1, 256, 256, 1]);
      const x = oa!.data as Float32Array;
      const y = ob!.data as Float32Array;
      let maxAbs = 0;
      for (let i = 0; i < x.length; i++) maxAbs = Math.max(maxAbs, Math.abs(x[i]! - y[i]!));
      expect(maxAbs).toBe(0);
      // the mask is not constant: the comparison means something
      expect(Math.max(...x.subarray(0, 4096)) - Math.min(...x.subarray(0, 4096))).toBeGreaterThan(0);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });
});
