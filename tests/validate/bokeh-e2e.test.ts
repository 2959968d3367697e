/**
 * Bokeh path end to end: an image→image ONNX model (a depthwise Gaussian
 * blur, the crudest "bokeh") as reference in onnxruntime, and TFLite
 * conversions (ours) of blurs with the same and with a smaller σ as
 * candidates, on the bundled EBB!-layout sample whose targets are a sharp
 * blur(3) of the originals: PSNR/SSIM against ground truth for both models,
 * agreement, and budgets on the PSNR/SSIM drop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { OnnxGraphBuilder, attr } from '../../src/samples/onnx-model.js';
import { convert } from '../../src/convert/index.js';
import { mai } from '../helpers/cli.js';

function blurOnnx(sigma: number, k: number, h = 128, w = 192): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 13 });
  const x = b.input('image', [1, 3, h, w]);
  const g = Array.from({ length: k }, (_, i) => Math.exp(-((i - (k - 1) / 2) ** 2) / (2 * sigma * sigma)));
  const s = g.reduce((a, v) => a + v, 0);
  const k2 = new Float32Array(3 * k * k);
  for (let c = 0; c < 3; c++) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) k2[c * k * k + i * k + j] = (g[i]! * g[j]!) / (s * s);
  const wt = b.init('blur_w', [3, 1, k, k], k2);
  const p = (k - 1) / 2;
  const y = b.node('Conv', [x, wt], { group: attr.int(3), kernel_shape: attr.ints([k, k]), pads: attr.ints([p, p, p, p]) }, 'bokeh');
  b.output(y, [1, 3, h, w]);
  return b.build();
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mai-bokeh-'));
  writeFileSync(join(dir, 'blur3.onnx'), blurOnnx(3, 13));
  writeFileSync(join(dir, 'blur3.tflite'), convert({ bytes: blurOnnx(3, 13), file: 'blur3.onnx' }).tflite);
  writeFileSync(join(dir, 'blur1.tflite'), convert({ bytes: blurOnnx(1, 13), file: 'blur1.onnx' }).tflite);
  writeFileSync(join(dir, 'b.yaml'), 'models:\n  "blur*":\n    task: bokeh\n    metrics:\n      psnr: { maxDrop: 0.5 }\n      ssim: { maxDrop: 0.01 }\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (cand: string, ...extra: string[]) =>
  mai('validate', '--reference', join(dir, 'blur3.onnx'), '--candidate', join(dir, cand), '--data', 'data/samples/bokeh', '--task', 'bokeh', '--budgets', join(dir, 'b.yaml'), '--json', ...extra);

describe('validate --task bokeh', () => {
  it('the float conversion of the same blur passes; PSNR/SSIM against the EBB! targets are reported for both', async () => {
    const r = await run('blur3.tflite');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.dataset).toMatchObject({ layout: 'ebb', groundTruth: 'dataset', samples: 3 });
    expect(Object.keys(j.summary.reference)).toEqual(['psnr', 'ssim']);
    // sharp's blur(3) and a 13-tap σ=3 Gaussian are close but not identical (+ JPEG): high, finite PSNR
    expect(j.settings.borderCrop).toBe(0);
    expect(j.summary.reference.psnr).toBeGreaterThan(20);
    expect(j.summary.reference.ssim).toBeGreaterThan(0.9);
    expect(j.summary.candidate.psnr).toBeCloseTo(j.summary.reference.psnr, 3);
    expect(j.summary.agreement.max_abs).toBeLessThan(1e-5);
    expect(j.verdicts.map((v: { status: string }) => v.status)).toEqual(['PASS', 'PASS']);
    // the model zero-pads while sharp's blur extends the edge: the error sits in the border, and cropping it raises PSNR
    const cropped = JSON.parse((await run('blur3.tflite', '--crop', '8')).stdout);
    expect(cropped.summary.reference.psnr).toBeGreaterThan(35);
    expect(cropped.summary.reference.psnr).toBeGreaterThan(j.summary.reference.psnr + 10);
  });

  it('a candidate that blurs less drops PSNR and SSIM: FAIL, exit 1; the border crop is reported', async () => {
    const r = await run('blur1.tflite', '--crop', '8');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.settings.borderCrop).toBe(8);
    expect(j.summary.candidate.psnr).toBeLessThan(j.summary.reference.psnr - 0.5);
    expect(j.summary.candidate.ssim).toBeLessThan(j.summary.reference.ssim);
    expect(j.verdicts.map((v: { check: string; status: string }) => `${v.check}=${v.status}`)).toEqual(['metrics.psnr.maxDrop=FAIL', 'metrics.ssim.maxDrop=FAIL']);
  });
});
