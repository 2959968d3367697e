import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import sharp from 'sharp';
import { mai } from '../helpers/cli.js';
import { decodeImage } from '../../src/data/decode.js';
import { psnr } from '../../src/validate/metrics/psnr.js';
import { ssim } from '../../src/validate/metrics/ssim.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mai-metrics-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mai metrics', () => {
  it('bokeh: folder of predictions against an EBB! dataset root; numbers equal the metric functions', async () => {
    const r = await mai('metrics', '--task', 'bokeh', '--pred', 'data/samples/bokeh/original', '--gt', 'data/samples/bokeh', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.samples.map((s: { name: string }) => s.name)).toEqual(['0', '1', '2']);
    const p = await decodeImage('data/samples/bokeh/original/1.jpg');
    const g = await decodeImage('data/samples/bokeh/bokeh/1.jpg');
    expect(j.samples[1].metrics.psnr).toBeCloseTo(psnr(p, g), 10);
    expect(j.samples[1].metrics.ssim).toBeCloseTo(ssim(p, g), 10);
    expect(j.mean.psnr).toBeCloseTo(j.samples.reduce((a: number, s: { metrics: { psnr: number } }) => a + s.metrics.psnr, 0) / 3, 10);
    expect(j.settings.borderCrop).toBe(0);
    const cropped = JSON.parse((await mai('metrics', '--task', 'bokeh', '--pred', 'data/samples/bokeh/original', '--gt', 'data/samples/bokeh', '--crop', '8', '--json')).stdout);
    expect(cropped.samples[1].metrics.psnr).toBeCloseTo(psnr(p, g, 8), 10);
  });

  it('matting: one file pair; identical mattes score perfectly, a shifted one does not; GT resized to the prediction', async () => {
    const gt = join(dir, 'gt.png');
    const gtBig = join(dir, 'gt-big.png');
    const shifted = join(dir, 'pred.png');
    const alpha = Buffer.alloc(64 * 64);
    for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) alpha[y * 64 + x] = x < 30 ? 255 : x < 34 ? 128 : 0;
    await sharp(alpha, { raw: { width: 64, height: 64, channels: 1 } }).png().toFile(gt);
    await sharp(alpha, { raw: { width: 64, height: 64, channels: 1 } }).resize(128, 128, { kernel: 'nearest' }).png().toFile(gtBig);
    const moved = Buffer.alloc(64 * 64);
    for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) moved[y * 64 + x] = alpha[y * 64 + Math.max(0, x - 2)]!;
    await sharp(moved, { raw: { width: 64, height: 64, channels: 1 } }).png().toFile(shifted);
    const same = JSON.parse((await mai('metrics', '--task', 'matting', '--pred', gt, '--gt', gt, '--json')).stdout);
    expect(same.mean).toEqual({ sad: 0, mse: 0, grad: 0, conn: 0, iou: 1 });
    const off = JSON.parse((await mai('metrics', '--task', 'matting', '--pred', shifted, '--gt', gt, '--json')).stdout);
    expect(off.mean.sad).toBeGreaterThan(0);
    expect(off.mean.iou).toBeLessThan(1);
    const resized = JSON.parse((await mai('metrics', '--task', 'matting', '--pred', gt, '--gt', gtBig, '--json')).stdout);
    expect(resized.samples[0].resized).toBe(true);
    const text = await mai('metrics', '--task', 'matting', '--pred', shifted, '--gt', gt);
    expect(text.stdout).toMatch(/sample\s+sad\s+mse\s+grad\s+conn\s+iou/);
  });

  it('a prediction without ground truth is an exit-2 error naming the file', async () => {
    const pred = join(dir, 'preds');
    const gt = join(dir, 'gts');
    mkdirSync(pred);
    mkdirSync(gt);
    const px = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#808080' } }).png().toBuffer();
    writeFileSync(join(pred, 'a.png'), px);
    writeFileSync(join(pred, 'b.png'), px);
    writeFileSync(join(gt, 'a.png'), px);
    const r = await mai('metrics', '--task', 'bokeh', '--pred', pred, '--gt', gt, '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: 'dataset-missing-pair', file: join(pred, 'b.png') });
    const bad = await mai('metrics', '--task', 'depth', '--pred', pred, '--gt', gt, '--json');
    expect(bad.code).toBe(2);
  });
});
