import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { makeImage, type FloatImage } from '../../src/data/image.js';
import { conn } from '../../src/validate/metrics/conn.js';
import { grad } from '../../src/validate/metrics/grad.js';
import { gaussDerivativeKernel } from '../../src/validate/metrics/gauss-gradient.js';
import { iou } from '../../src/validate/metrics/iou.js';
import { mse } from '../../src/validate/metrics/mse.js';
import { psnr } from '../../src/validate/metrics/psnr.js';
import { sad } from '../../src/validate/metrics/sad.js';
import { ssim } from '../../src/validate/metrics/ssim.js';
import { unknownRegion, regionSize } from '../../src/validate/metrics/unknown-region.js';
import { agreementMetrics, mattingMetrics, METRICS } from '../../src/validate/metrics/index.js';
import { seededRandom as mulberry32 } from '../../src/core/random.js';

const img = (w: number, h: number, values: number[], c = 1): FloatImage => makeImage(w, h, c, Float32Array.from(values));
const fill = (w: number, h: number, c: number, f: (i: number) => number): FloatImage => makeImage(w, h, c, Float32Array.from({ length: w * h * c }, (_, i) => f(i)));

describe('matting metrics on hand-computed cases', () => {
  it('SAD sums absolute differences (/1000), inside the region only', () => {
    const p = img(2, 2, [0.5, 0, 1, 0.25]);
    const g = img(2, 2, [0, 0, 1, 1]);
    expect(sad(p, g)).toBeCloseTo(1.25 / 1000, 12);
    expect(sad(p, g, Uint8Array.from([0, 0, 0, 1]))).toBeCloseTo(0.75 / 1000, 12);
    expect(sad(g, g)).toBe(0);
  });

  it('MSE of a constant offset is the offset squared; averaged over the region', () => {
    const g = fill(8, 8, 1, (i) => (i % 9) / 10);
    const p = fill(8, 8, 1, (i) => (i % 9) / 10 + 0.1);
    expect(mse(p, g)).toBeCloseTo(0.01, 6);
    expect(mse(img(2, 1, [0.5, 0]), img(2, 1, [0, 0]), Uint8Array.from([1, 0]))).toBeCloseTo(0.25, 6);
    expect(mse(g, g)).toBe(0);
  });

  it('unknown region: a fixed k×k erosion of definite fg/bg (band around a hard edge, every fractional pixel)', () => {
    // 7×7, left 3 columns foreground, column 3 fractional, rest background
    const g = fill(7, 7, 1, (i) => (i % 7 < 3 ? 1 : i % 7 === 3 ? 0.5 : 0));
    const u = unknownRegion(g, 3);
    for (let y = 0; y < 7; y++) expect(Array.from(u.slice(y * 7, y * 7 + 7))).toEqual([0, 0, 1, 1, 1, 0, 0]);
    expect(regionSize(unknownRegion(g, 1))).toBe(7); // k=1: only the fractional column
    expect(regionSize(unknownRegion(g, 5))).toBe(35); // columns 1..5
    expect(regionSize(unknownRegion(fill(5, 5, 1, () => 0), 15))).toBe(0);
  });

  it('Grad: σ=1.4 derivative-of-Gaussian kernel is 9×9; analytic value on a ramp; 0 for constant images', () => {
    const { size, hx } = gaussDerivativeKernel(1.4);
    expect(size).toBe(9);
    let l2 = 0;
    for (const v of hx) l2 += v * v;
    expect(l2).toBeCloseTo(1, 12);
    // independent formula: on a horizontal ramp v = c·x, away from the borders, |∇| = c·K with
    // K = (Σ_i G(i)) · (Σ_j G'(j)·j) / ‖G⊗G'‖₂
    const s = 1.4;
    const G = (x: number) => Math.exp(-(x * x) / (2 * s * s)) / (s * Math.sqrt(2 * Math.PI));
    const dG = (x: number) => (-x / (s * s)) * G(x);
    let sg = 0, sdj = 0, sg2 = 0, sdg2 = 0;
    for (let i = -4; i <= 4; i++) {
      sg += G(i); sdj += dG(i) * i; sg2 += G(i) ** 2; sdg2 += dG(i) ** 2;
    }
    const K = Math.abs((sg * sdj) / Math.sqrt(sg2 * sdg2));
    const c = 0.01;
    const w = 20, h = 20;
    const ramp = fill(w, h, 1, (i) => c * (i % w));
    const flat = fill(w, h, 1, () => 0.3);
    const region = new Uint8Array(w * h);
    for (let y = 5; y < 15; y++) for (let x = 5; x < 15; x++) region[y * w + x] = 1;
    // the ramp is stored in float32, so agreement is to float32 precision (relative)
    expect(grad(ramp, flat, region) / ((100 * (c * K) ** 2) / 1000)).toBeCloseTo(1, 6);
    expect(grad(flat, fill(w, h, 1, () => 0.9))).toBeCloseTo(0, 15);
  });

  it('Conn: a dip inside a connected blob (hand computed: 0.5/1000)', () => {
    // gt all ones; pred one at 0.5 in the centre. The centre leaves Ω at t=0.6 → l=0.5.
    // pred: d = 0 → φ=1; gt: d = 0.5 ≥ 0.15 → φ = 0.5. |Δφ| = 0.5.
    const g = fill(3, 3, 1, () => 1);
    const p = fill(3, 3, 1, (i) => (i === 4 ? 0.5 : 1));
    expect(conn(p, g)).toBeCloseTo(0.5 / 1000, 12);
    expect(conn(g, g)).toBe(0);
  });

  it('Conn: disconnected islands: ties go to the first component in raster order (hand computed: 1/1000)', () => {
    // pred [1 0 1], gt [1 1 1]: at t=0.1 both = [1 0 1], two 1-pixel components; Ω = {x=0}.
    // x=1: l=0, pred φ=1, gt d=1 → φ=0 → 1.  x=2: l=0, both d=1 → φ=0 → 0.  x=0: l=1 → 0.
    expect(conn(img(3, 1, [1, 0, 1]), img(3, 1, [1, 1, 1]))).toBeCloseTo(1 / 1000, 12);
  });

  it('Conn: differences below the 0.15 cutoff count as connected', () => {
    // centre 0.95 in pred: leaves Ω at t=1.0 → l=0.9; pred d=0.05 → φ=1; gt d=0.1 < 0.15 → φ=1 → Conn 0
    const g = fill(3, 3, 1, () => 1);
    const p = fill(3, 3, 1, (i) => (i === 4 ? 0.95 : 1));
    expect(conn(p, g)).toBe(0);
  });

  it('Conn: past the cutoff the difference counts (centre 0.85 → l=0.8, gt φ=0.8 → 0.2/1000)', () => {
    const g = fill(3, 3, 1, () => 1);
    const p = fill(3, 3, 1, (i) => (i === 4 ? 0.85 : 1));
    expect(conn(p, g)).toBeCloseTo(0.2 / 1000, 12);
  });

  it('IoU at 0.5', () => {
    expect(iou(img(4, 1, [0.6, 0.4, 0.9, 0]), img(4, 1, [1, 1, 0.5, 0]))).toBeCloseTo(2 / 3, 12);
    expect(iou(img(2, 1, [0, 0]), img(2, 1, [0, 0]))).toBe(1);
  });

  it('mattingMetrics clamps the prediction and uses the unknown region; identical alpha scores perfectly', () => {
    const g = fill(16, 16, 1, (i) => (i % 16 < 8 ? 1 : 0));
    const m = mattingMetrics(g, g);
    expect(m).toEqual({ sad: 0, mse: 0, grad: 0, conn: 0, iou: 1 });
    const over = fill(16, 16, 1, (i) => (i % 16 < 8 ? 1.7 : -0.2));
    expect(mattingMetrics(over, g).sad).toBe(0);
    // a prediction that is wrong far from the edge: invisible in the unknown region, counted with region 'all'
    const far = fill(16, 16, 1, (i) => (i === 0 ? 0.5 : i % 16 < 8 ? 1 : 0));
    expect(mattingMetrics(far, g).sad).toBe(0);
    expect(mattingMetrics(far, g, { region: 'all' }).sad).toBeCloseTo(0.5 / 1000, 12);
    expect(mattingMetrics(far, g, { region: 'all' }).mse).toBeCloseTo(0.25 / 256, 9);
  });
});

describe('bokeh metrics', () => {
  it('PSNR of a constant offset δ is −20·log10(δ); identical images give Infinity; the border crop is honoured', () => {
    const g = fill(16, 12, 3, (i) => ((i * 7) % 80) / 100);
    for (const d of [0.1, 0.01, 0.2]) {
      const p = fill(16, 12, 3, (i) => ((i * 7) % 80) / 100 + d);
      expect(psnr(p, g)).toBeCloseTo(-20 * Math.log10(d), 4);
    }
    expect(psnr(g, g)).toBe(Infinity);
    // error only in the 1-pixel border: infinite PSNR with crop 1
    const b = fill(16, 12, 3, (i) => {
      const px = Math.floor(i / 3);
      const x = px % 16, y = Math.floor(px / 16);
      return ((i * 7) % 80) / 100 + (x === 0 || y === 0 || x === 15 || y === 11 ? 0.1 : 0);
    });
    expect(Number.isFinite(psnr(b, g))).toBe(true);
    expect(psnr(b, g, 1)).toBe(Infinity);
  });

  it('SSIM = 1 for identical images, symmetric, and (2ab+C1)/(a²+b²+C1) for two constant images', () => {
    const r = mulberry32(3);
    const a = fill(32, 24, 3, () => r());
    const b = fill(32, 24, 3, (i) => Math.min(1, Math.max(0, a.data[i]! + (r() - 0.5) * 0.2)));
    expect(ssim(a, a)).toBeCloseTo(1, 12);
    expect(ssim(a, b)).toBeCloseTo(ssim(b, a), 12);
    expect(ssim(a, b)).toBeLessThan(1);
    const ca = 0.3, cb = 0.6, C1 = 1e-4;
    expect(ssim(fill(16, 16, 1, () => ca), fill(16, 16, 1, () => cb))).toBeCloseTo((2 * ca * cb + C1) / (ca * ca + cb * cb + C1), 6);
  });

  // bundled in the repository (data/samples/README.md), so this always runs
  const photo = 'data/samples/matting/img/astronaut.jpg';
  it('SSIM and PSNR fall monotonically as JPEG quality drops (real photo: bundled astronaut.jpg)', async () => {
    const base = sharp(photo).resize(256, 256).removeAlpha();
    const raw = await base.clone().raw().toBuffer({ resolveWithObject: true });
    const toImg = (buf: Buffer, w: number, h: number): FloatImage => fill(w, h, 3, (i) => buf[i]! / 255);
    const ref = toImg(raw.data, raw.info.width, raw.info.height);
    const scores: Array<{ q: number; ssim: number; psnr: number }> = [];
    for (const q of [90, 70, 50, 30, 10]) {
      const jpeg = await base.clone().jpeg({ quality: q }).toBuffer();
      const dec = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
      const im = toImg(dec.data, dec.info.width, dec.info.height);
      scores.push({ q, ssim: ssim(im, ref), psnr: psnr(im, ref) });
    }
    for (let i = 1; i < scores.length; i++) {
      expect(scores[i]!.ssim, `SSIM q=${scores[i]!.q} vs q=${scores[i - 1]!.q}`).toBeLessThan(scores[i - 1]!.ssim);
      expect(scores[i]!.psnr).toBeLessThan(scores[i - 1]!.psnr);
    }
    expect(scores[0]!.ssim).toBeGreaterThan(0.9);
    expect(scores[4]!.ssim).toBeLessThan(scores[0]!.ssim - 0.1);
  });
});

describe('agreement metrics', () => {
  it('known values on small vectors', () => {
    const m = agreementMetrics([1, 2, 3, 4], [1, 2, 3, 5]);
    expect(m.max_abs).toBe(1);
    expect(m.mean_abs).toBe(0.25);
    expect(m.rmse).toBe(0.5);
    expect(m.cosine).toBeCloseTo(34 / Math.sqrt(30 * 39), 12);
    expect(m.sqnr).toBeCloseTo(10 * Math.log10(30 / 1), 12);
    const same = agreementMetrics([0.5, -1], [0.5, -1]);
    expect(same).toEqual({ max_abs: 0, mean_abs: 0, rmse: 0, cosine: 1, sqnr: Infinity });
    expect(agreementMetrics([1, NaN], [1, 2]).max_abs).toBe(Infinity);
  });

  it('the metric table covers every budget metric with a direction', () => {
    expect(Object.keys(METRICS).sort()).toEqual(['conn', 'cosine', 'grad', 'iou', 'max_abs', 'mean_abs', 'mse', 'psnr', 'rmse', 'sad', 'sqnr', 'ssim']);
    expect(METRICS.psnr.higherIsBetter).toBe(true);
    expect(METRICS.sad.higherIsBetter).toBe(false);
  });
});
