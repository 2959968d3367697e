/**
 * Every metric `mai validate` / `mai metrics` report, as one table.
 * Images are FloatImage (H×W×C float32, values in [0, 1]); alpha mattes have
 * one channel. Agreement metrics compare raw output tensors element-wise.
 */
import { clamp01, type FloatImage } from '../../data/image.js';
import { AGREEMENT_METRIC_NAMES, agreementMetrics, cosine, maxAbs, meanAbs, rmse, sqnr } from '../../agreement/index.js';
import { conn } from './conn.js';
import { grad } from './grad.js';
import { iou } from './iou.js';
import { mse } from './mse.js';
import { psnr, DEFAULT_BORDER_CROP } from './psnr.js';
import { sad } from './sad.js';
import { ssim } from './ssim.js';
import { unknownRegion, DEFAULT_UNKNOWN_KERNEL } from './unknown-region.js';

export { conn, cosine, grad, iou, maxAbs, meanAbs, mse, psnr, rmse, sad, sqnr, ssim, unknownRegion, DEFAULT_BORDER_CROP, DEFAULT_UNKNOWN_KERNEL };

export type MetricTask = 'matting' | 'bokeh' | 'agreement';

export interface MetricSpec {
  name: MetricName;
  task: MetricTask;
  higherIsBetter: boolean;
  unit: string;
  description: string;
  /** how several samples combine: mean of per-sample values, or the maximum */
  aggregate: 'mean' | 'max';
}

export const METRICS: Record<MetricName, MetricSpec> = {
  sad: { name: 'sad', task: 'matting', higherIsBetter: false, unit: '×1000', aggregate: 'mean', description: 'Σ|α−gt| over the unknown region, /1000' },
  mse: { name: 'mse', task: 'matting', higherIsBetter: false, unit: '', aggregate: 'mean', description: 'mean (α−gt)² over the unknown region, α in [0,1]' },
  grad: { name: 'grad', task: 'matting', higherIsBetter: false, unit: '×1000', aggregate: 'mean', description: 'Σ(|∇Gσ α|−|∇Gσ gt|)² over the unknown region, σ=1.4, /1000' },
  conn: { name: 'conn', task: 'matting', higherIsBetter: false, unit: '×1000', aggregate: 'mean', description: 'Σ|φ(α)−φ(gt)| over the unknown region, step 0.1, cutoff 0.15, /1000' },
  iou: { name: 'iou', task: 'matting', higherIsBetter: true, unit: '', aggregate: 'mean', description: 'IoU of α≥0.5 and gt≥0.5, whole image' },
  psnr: { name: 'psnr', task: 'bokeh', higherIsBetter: true, unit: 'dB', aggregate: 'mean', description: '10·log10(1/MSE), images in [0,1]' },
  ssim: { name: 'ssim', task: 'bokeh', higherIsBetter: true, unit: '', aggregate: 'mean', description: 'Wang et al., Gaussian 11×11 σ=1.5, K1=0.01, K2=0.03, mean over RGB channels' },
  max_abs: { name: 'max_abs', task: 'agreement', higherIsBetter: false, unit: '', aggregate: 'max', description: 'max |cand−ref| over output elements' },
  mean_abs: { name: 'mean_abs', task: 'agreement', higherIsBetter: false, unit: '', aggregate: 'mean', description: 'mean |cand−ref|' },
  rmse: { name: 'rmse', task: 'agreement', higherIsBetter: false, unit: '', aggregate: 'mean', description: 'sqrt(mean (cand−ref)²)' },
  cosine: { name: 'cosine', task: 'agreement', higherIsBetter: true, unit: '', aggregate: 'mean', description: 'cosine similarity of the output tensors' },
  sqnr: { name: 'sqnr', task: 'agreement', higherIsBetter: true, unit: 'dB', aggregate: 'mean', description: '10·log10(Σref²/Σ(cand−ref)²)' },
};

export const MATTING_METRICS = ['sad', 'mse', 'grad', 'conn', 'iou'] as const;
export const BOKEH_METRICS = ['psnr', 'ssim'] as const;
export { AGREEMENT_METRIC_NAMES, agreementMetrics };
/** Every metric a report or a budget can name. */
export type MetricName = (typeof MATTING_METRICS)[number] | (typeof BOKEH_METRICS)[number] | (typeof AGREEMENT_METRIC_NAMES)[number];

export interface MattingOptions {
  /** 'unknown' (default): SAD/MSE/Grad/Conn over the unknown region; 'all': over the whole image */
  region?: 'unknown' | 'all';
  /** k of the k×k square used to build the unknown region (odd) */
  unknownKernel?: number;
}

/** SAD, MSE, Grad, Conn, IoU of a predicted alpha against ground truth (both 1 channel; pred clamped to [0,1]). */
export function mattingMetrics(pred: FloatImage, gt: FloatImage, opts: MattingOptions = {}): Record<(typeof MATTING_METRICS)[number], number> {
  const p = clamp01(pred);
  const region = opts.region === 'all' ? undefined : unknownRegion(gt, opts.unknownKernel ?? DEFAULT_UNKNOWN_KERNEL);
  return { sad: sad(p, gt, region), mse: mse(p, gt, region), grad: grad(p, gt, region), conn: conn(p, gt, region), iou: iou(p, gt) };
}

export interface BokehOptions {
  /** border pixels dropped on every side before PSNR/SSIM */
  crop?: number;
}

/** PSNR and SSIM of a predicted image against ground truth (pred clamped to [0,1]). */
export function bokehMetrics(pred: FloatImage, gt: FloatImage, opts: BokehOptions = {}): Record<(typeof BOKEH_METRICS)[number], number> {
  const p = clamp01(pred);
  const crop = opts.crop ?? DEFAULT_BORDER_CROP;
  return { psnr: psnr(p, gt, crop), ssim: ssim(p, gt, crop) };
}
