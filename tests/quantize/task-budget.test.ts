import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { mai } from '../helpers/cli.js';
import { seededRandom } from '../../src/core/random.js';
import { writeTflite } from '../../src/tflite/writer.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { DEFAULT_PREPROCESS, openCalibSource } from '../../src/quantize/calib-data/index.js';
import { outlierMattingModel } from './outlier-model.js';

/**
 * A CelebAMat-layout dataset (img/ + mask/) for the outlier matting model whose ground truth is
 * the float model's own alpha (stored as 8-bit PNG): the float model scores ≈ 0 MSE, so any
 * task-metric drop is what quantization did.
 */
let dir: string;
let model: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mai-task-budget-'));
  mkdirSync(join(dir, 'data', 'img'), { recursive: true });
  model = join(dir, 'matting.tflite');
  const bytes = writeTflite(outlierMattingModel());
  writeFileSync(model, bytes);
  const rnd = seededRandom(42);
  for (let i = 0; i < 8; i++) {
    const px = Buffer.from(Array.from({ length: 8 * 8 * 3 }, () => Math.floor(rnd() * 256)));
    await sharp(px, { raw: { width: 8, height: 8, channels: 3 } }).png().toFile(join(dir, 'data', 'img', `${i}.png`));
  }
  const src = await openCalibSource(join(dir, 'data'), [{ name: 'x', shape: [1, 8, 8, 3] }], DEFAULT_PREPROCESS);
  const m = await liteRtRuntime.load(bytes);
  mkdirSync(join(dir, 'data', 'mask')); // after listing img/ alone: a CelebAMat folder pairs every image with a mask
  for (const s of src.samples) {
    const [alpha] = await m.run(await s.load());
    const grey = Buffer.from(Array.from(alpha!.data as Float32Array, (v) => Math.round(v * 255)));
    await sharp(grey, { raw: { width: 8, height: 8, channels: 1 } }).png().toFile(join(dir, 'data', 'mask', `${s.name}.png`));
  }
  await m.dispose();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('task-metric budget (matting MSE vs ground truth)', () => {
  it('plain int8 loses more MSE than allowed; keeping the outlier layers float meets it', async () => {
    const r = await mai('quantize', model, '-o', join(dir, 'q.tflite'), '--calib', join(dir, 'data'), '--eval-samples', '3', '--observer', 'minmax',
      '--max-drop', 'mse=0.001', '--region', 'all', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const mp = j.mixedPrecision;
    expect(mp.budget).toEqual({ metric: 'mse', limit: 0.001, direction: 'max', task: 'matting' });
    expect(mp.int8Value).toBeGreaterThan(0.001);
    expect(mp.met).toBe(true);
    expect(mp.value).toBeLessThanOrEqual(0.001);
    expect(mp.keptFloat).toContain('mix_in');
    expect(mp.taskMetric.float).toBeLessThan(1e-4); // GT is the float alpha (8-bit)
    expect(mp.taskMetric.quantized).toBeCloseTo(mp.taskMetric.float + mp.value, 12);
  });

  it('a task budget on data without ground truth is exit 2 naming a sample', async () => {
    const r = await mai('quantize', model, '-o', join(dir, 'q2.tflite'), '--calib', join(dir, 'data', 'img'), '--max-drop', 'sad=0.1');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a matting budget needs ground truth, but .*\.png has none/);
  });
});
