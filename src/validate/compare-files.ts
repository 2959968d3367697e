/**
 * `mai metrics` as a library call: task metrics of predictions made elsewhere
 * (e.g. pulled from a phone) against ground truth. PRED and GT are two image
 * files, or two folders whose images pair by file stem; GT may also be a
 * dataset root (CelebAMat `mask/`, EBB! `bokeh/`). Ground truth is resized to
 * the prediction's size when they differ (sharp, linear).
 */
import { promises as fs } from 'node:fs';
import { inputError } from '../core/errors.js';
import { readInputFile } from '../core/read-input.js';
import { decodeImage, decodeImageBytes, imageSize } from '../data/decode.js';
import { IMAGE_EXTENSIONS, naturalCompare, openDataset } from '../data/dataset.js';
import { extname, basename, join } from 'node:path';
import type { Task } from './budgets.js';
import { bokehMetrics, mattingMetrics, METRICS, DEFAULT_BORDER_CROP, DEFAULT_UNKNOWN_KERNEL } from './metrics/index.js';

export interface CompareOptions {
  pred: string;
  gt: string;
  task: Task;
  limit?: number;
  region?: 'unknown' | 'all';
  unknownKernel?: number;
  crop?: number;
}

export interface CompareReport {
  command: 'metrics';
  task: Task;
  pred: string;
  gt: string;
  settings: Record<string, unknown>;
  mean: Record<string, number>;
  samples: Array<{ name: string; pred: string; gt: string; resized: boolean; metrics: Record<string, number> }>;
}

async function kind(p: string): Promise<'dir' | 'file'> {
  try {
    return (await fs.stat(p)).isDirectory() ? 'dir' : 'file';
  } catch {
    throw inputError('file-not-found', `not found: ${p}`, { file: p });
  }
}

async function imagesIn(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of (await fs.readdir(dir)).sort(naturalCompare)) {
    if (!IMAGE_EXTENSIONS.includes(extname(f).toLowerCase())) continue;
    const stem = basename(f, extname(f));
    if (out.has(stem)) throw inputError('dataset-ambiguous', `two images named '${stem}' in ${dir}`, { file: join(dir, f) });
    out.set(stem, join(dir, f));
  }
  return out;
}

async function groundTruthByStem(gt: string): Promise<Map<string, string>> {
  try {
    const ds = await openDataset(gt);
    if (ds.hasGroundTruth) return new Map(ds.samples.map((s) => [s.name, s.target!]));
  } catch {
    // not a dataset layout: a plain folder of ground-truth images
  }
  return imagesIn(gt);
}

export async function compareFiles(opts: CompareOptions): Promise<CompareReport> {
  const [pk, gk] = [await kind(opts.pred), await kind(opts.gt)];
  let pairs: Array<{ name: string; pred: string; gt: string }>;
  if (pk === 'file' && gk === 'file') pairs = [{ name: basename(opts.pred, extname(opts.pred)), pred: opts.pred, gt: opts.gt }];
  else if (pk === 'dir' && gk === 'dir') {
    const preds = await imagesIn(opts.pred);
    const gts = await groundTruthByStem(opts.gt);
    pairs = [];
    for (const [name, p] of preds) {
      const g = gts.get(name);
      if (!g) throw inputError('dataset-missing-pair', `no ground truth for prediction ${p} in ${opts.gt}`, { file: p });
      pairs.push({ name, pred: p, gt: g });
    }
    for (const [name, g] of gts) if (!preds.has(name)) throw inputError('dataset-missing-pair', `no prediction for ground truth ${g} in ${opts.pred}`, { file: g });
    if (!pairs.length) throw inputError('dataset-empty', `no images found in ${opts.pred}`, { file: opts.pred });
  } else throw inputError('bad-option', `--pred and --gt must both be files or both be folders (got ${pk} and ${gk})`);
  if (opts.limit !== undefined) pairs = pairs.slice(0, opts.limit);

  const channels = opts.task === 'matting' ? 1 : 3;
  const region = opts.region ?? 'unknown';
  const unknownKernel = opts.unknownKernel ?? DEFAULT_UNKNOWN_KERNEL;
  const crop = opts.crop ?? DEFAULT_BORDER_CROP;
  const samples: CompareReport['samples'] = [];
  for (const p of pairs) {
    const pred = await decodeImage(p.pred, { channels });
    const gtBytes = await readInputFile(p.gt, 'image'); // read once for its size and its pixels
    const size = await imageSize(gtBytes, p.gt);
    const resized = size.width !== pred.width || size.height !== pred.height;
    const gt = await decodeImageBytes(gtBytes, p.gt, { channels, ...(resized ? { width: pred.width, height: pred.height } : {}) });
    const metrics = opts.task === 'matting' ? mattingMetrics(pred, gt, { region, unknownKernel }) : bokehMetrics(pred, gt, { crop });
    samples.push({ name: p.name, pred: p.pred, gt: p.gt, resized, metrics });
  }
  const mean: Record<string, number> = {};
  for (const k of Object.keys(samples[0]!.metrics)) mean[k] = samples.reduce((a, s) => a + s.metrics[k]!, 0) / samples.length;
  return {
    command: 'metrics',
    task: opts.task,
    pred: opts.pred,
    gt: opts.gt,
    settings: {
      ...(opts.task === 'matting' ? { region, unknownKernel } : { borderCrop: crop, ssimColour: 'per-channel SSIM, averaged over R, G, B' }),
      values: 'images decoded to [0,1] (8-bit /255); ground truth resized to the prediction size when they differ',
      metrics: Object.keys(mean).map((m) => ({ name: m, description: METRICS[m as keyof typeof METRICS].description })),
    },
    mean,
    samples,
  };
}
