/**
 * `mai validate` as a library call: run reference and candidate on the same
 * samples, measure task metrics against ground truth (or, without ground
 * truth, against the reference's own output saved as 8-bit, as a PNG matte
 * would be), candidate-vs-reference agreement always, and judge budgets.
 *
 * Resolution: metrics are computed at the reference's output size. Ground
 * truth is resized to it with sharp (linear); a candidate output of another
 * size is resized to it bilinearly.
 */
import { decodeImage } from '../data/decode.js';
import { openDataset, type Dataset } from '../data/dataset.js';
import { clamp01, type FloatImage } from '../data/image.js';
import type { ScaleOptions } from '../data/preprocess.js';
import { resizeBilinear } from '../data/resize.js';
import { inputError } from '../core/errors.js';
import { matchModel, modelName, worst, type AgreementMetricName, type Budgets, type Task, type TaskMetricName, type VerdictStatus } from './budgets.js';
import { absErrorMap } from './heatmap.js';
import {
  agreementMetrics,
  bokehMetrics,
  mattingMetrics,
  METRICS,
  AGREEMENT_METRIC_NAMES,
  BOKEH_METRICS,
  MATTING_METRICS,
  DEFAULT_BORDER_CROP,
  DEFAULT_UNKNOWN_KERNEL,
} from './metrics/index.js';
import { loadModelUnderTest, type ModelInfo, type ModelUnderTest, type TfReferenceLoader } from './model-under-test.js';
import { budgetVerdicts, type SkippedRule, type VerdictRow } from './verdicts.js';

export interface ValidateOptions {
  reference: string;
  candidate: string;
  data: string;
  task: Task;
  budgets?: Budgets;
  /** name used to find the candidate's budget (default: candidate file stem) */
  model?: string;
  limit?: number;
  /** matting: 'unknown' (default) or 'all' pixels for SAD/MSE/Grad/Conn */
  region?: 'unknown' | 'all';
  unknownKernel?: number;
  /** bokeh: border pixels cropped before PSNR/SSIM */
  crop?: number;
  scale?: ScaleOptions;
  /** which model output is the alpha / image (default 0, the first) */
  outputIndex?: number;
  /** keep the images of the first N samples for a visual report (default 0) */
  keepImages?: number;
  onProgress?: (done: number, total: number, sample: string) => void;
  /** Runs a TF graph reference (TensorFlow.js); the caller supplies it from the TF frontend (convert/tf/reference.ts). */
  loadTfReference?: TfReferenceLoader;
}

export type MetricValues = Record<string, number>;

export interface SampleResult {
  name: string;
  input: string;
  target?: string;
  reference: MetricValues;
  candidate: MetricValues;
  agreement: MetricValues;
}

export interface SampleImages {
  name: string;
  input: FloatImage;
  groundTruth?: FloatImage;
  reference: FloatImage;
  candidate: FloatImage;
  error: FloatImage;
}

export interface ValidationReport {
  command: 'validate';
  task: Task;
  status: VerdictStatus;
  reference: ModelInfo;
  candidate: ModelInfo;
  model: string;
  dataset: { root: string; layout: Dataset['layout']; samples: number; groundTruth: 'dataset' | 'reference-output' };
  settings: Record<string, unknown>;
  summary: { reference: MetricValues; candidate: MetricValues; agreement: MetricValues };
  budgets?: { file?: string; matched: string[] };
  verdicts: VerdictRow[];
  skipped: SkippedRule[];
  notes: string[];
  samples: SampleResult[];
}

/** 8-bit round trip: what a reference output saved as PNG ground truth would hold. */
function as8bit(img: FloatImage): FloatImage {
  const c = clamp01(img);
  for (let i = 0; i < c.data.length; i++) c.data[i] = Math.round(c.data[i]! * 255) / 255;
  return c;
}

function taskImage(out: FloatImage, task: Task, what: string): FloatImage {
  if (task === 'matting') {
    if (out.channels !== 1) throw inputError('unsupported-output', `${what}: a matting model must output one alpha channel, got ${out.channels}`);
    return out;
  }
  if (out.channels !== 3) throw inputError('unsupported-output', `${what}: a bokeh model must output an RGB image, got ${out.channels} channel(s)`);
  return out;
}

function sameDecode(a: ModelUnderTest['inputImage'], b: ModelUnderTest['inputImage']): boolean {
  return a.width === b.width && a.height === b.height && a.channels === b.channels;
}

function aggregate(rows: MetricValues[]): MetricValues {
  const out: MetricValues = {};
  if (!rows.length) return out;
  for (const k of Object.keys(rows[0]!)) {
    const spec = METRICS[k as TaskMetricName | AgreementMetricName];
    const vals = rows.map((r) => r[k]!);
    out[k] = spec?.aggregate === 'max' ? Math.max(...vals) : vals.reduce((a, b) => a + b, 0) / vals.length;
  }
  return out;
}

export async function validate(opts: ValidateOptions): Promise<{ report: ValidationReport; images: SampleImages[] }> {
  const model = opts.model ?? modelName(opts.candidate);
  if (opts.budgets && matchModel(opts.budgets, model, opts.task).length === 0) {
    // budgets that judge nothing would let a CI pass on "no verdicts"
    const patterns = opts.budgets.models.map((m) => m.pattern);
    throw inputError('no-budget-match', `${opts.budgets.file}: no entry matches the model name '${model}' for the ${opts.task} task, so nothing would be judged`, {
      file: opts.budgets.file,
      hint: `add an entry '${model}:' (or a glob such as '${model.split(/[._-]/)[0]}*') to the budgets file, or name the model with --model${patterns.length ? `; its entries: ${patterns.slice(0, 8).join(', ')}${patterns.length > 8 ? ', …' : ''}` : ''}`,
    });
  }
  const dataset = await openDataset(opts.data, { limit: opts.limit, task: opts.task });
  const ref = await loadModelUnderTest(opts.reference, 'reference', opts.scale, opts.outputIndex, opts.loadTfReference);
  let cand;
  try {
    cand = await loadModelUnderTest(opts.candidate, 'candidate', opts.scale, opts.outputIndex);
  } catch (e) {
    await ref.dispose();
    throw e;
  }
  const notes: string[] = [];
  const metricOpts = { region: opts.region ?? 'unknown', unknownKernel: opts.unknownKernel ?? DEFAULT_UNKNOWN_KERNEL } as const;
  const crop = opts.crop ?? DEFAULT_BORDER_CROP;
  const gtSource = dataset.hasGroundTruth ? 'dataset' : 'reference-output';
  if (!dataset.hasGroundTruth) {
    notes.push('no ground truth in the dataset: task metrics are measured against the reference model\'s output (rounded to 8 bits, as a saved PNG would be); the reference\'s own scores show that rounding only');
  }
  const samples: SampleResult[] = [];
  const images: SampleImages[] = [];
  try {
    let done = 0;
    opts.onProgress?.(0, dataset.samples.length, dataset.samples[0]!.name);
    for (const s of dataset.samples) {
      const refInput = await decodeImage(s.input, ref.inputImage);
      const refOutput = await ref.run(refInput);
      // decoded once when both models take the same input size
      const candInput = sameDecode(ref.inputImage, cand.inputImage) ? refInput : await decodeImage(s.input, cand.inputImage);
      const candOutput = await cand.run(candInput);
      const refImg = taskImage(refOutput, opts.task, `reference ${opts.reference}`);
      let candImg = taskImage(candOutput, opts.task, `candidate ${opts.candidate}`);
      if (candImg.width !== refImg.width || candImg.height !== refImg.height) {
        if (samples.length === 0) notes.push(`candidate output ${candImg.width}×${candImg.height} resized bilinearly to the reference's ${refImg.width}×${refImg.height}`);
        candImg = resizeBilinear(candImg, refImg.width, refImg.height);
      }
      // agreement on the raw output values, both in NHWC element order (whatever each model's layout)
      const agreement = agreementMetrics(refImg.data, candImg.data);
      let gt: FloatImage;
      if (s.target) {
        gt = await decodeImage(s.target, { width: refImg.width, height: refImg.height, channels: opts.task === 'matting' ? 1 : 3 });
      } else gt = as8bit(refImg);
      const score = (img: FloatImage): MetricValues =>
        opts.task === 'matting' ? mattingMetrics(img, gt, metricOpts) : bokehMetrics(img, gt, { crop });
      samples.push({ name: s.name, input: s.input, ...(s.target ? { target: s.target } : {}), reference: score(refImg), candidate: score(candImg), agreement });
      if (images.length < (opts.keepImages ?? 0)) {
        images.push({
          name: s.name,
          input: refInput,
          ...(s.target ? { groundTruth: gt } : {}),
          reference: clamp01(refImg),
          candidate: clamp01(candImg),
          error: absErrorMap(refImg, candImg),
        });
      }
      done++;
      opts.onProgress?.(done, dataset.samples.length, s.name);
    }
  } finally {
    await ref.dispose();
    await cand.dispose();
  }
  const summary = {
    reference: aggregate(samples.map((s) => s.reference)),
    candidate: aggregate(samples.map((s) => s.candidate)),
    agreement: aggregate(samples.map((s) => s.agreement)),
  };
  let verdicts: VerdictRow[] = [];
  let skipped: SkippedRule[] = [];
  let budgetInfo: ValidationReport['budgets'];
  if (opts.budgets) {
    const v = budgetVerdicts(opts.budgets, {
      task: opts.task,
      model,
      reference: summary.reference,
      candidate: summary.candidate,
      agreement: summary.agreement,
      candidateBytes: cand.info.sizeBytes,
    });
    verdicts = v.verdicts;
    skipped = v.skipped;
    budgetInfo = { file: opts.budgets.file, matched: v.matched };
  } else notes.push('no budgets given (--budgets): metrics only, nothing was judged');
  const taskMetrics = opts.task === 'matting' ? MATTING_METRICS : BOKEH_METRICS;
  const report: ValidationReport = {
    command: 'validate',
    task: opts.task,
    status: worst(verdicts.map((v) => v.status)),
    reference: ref.info,
    candidate: cand.info,
    model,
    dataset: { root: dataset.root, layout: dataset.layout, samples: samples.length, groundTruth: gtSource },
    settings: {
      resolution: 'reference output size; ground truth resized with sharp (linear)',
      metrics: [...taskMetrics, ...AGREEMENT_METRIC_NAMES].map((m) => ({ name: m, description: METRICS[m].description, higherIsBetter: METRICS[m].higherIsBetter, aggregate: METRICS[m].aggregate })),
      ...(opts.task === 'matting'
        ? { region: metricOpts.region, unknownKernel: metricOpts.unknownKernel, unknownRegion: `pixels whose ${metricOpts.unknownKernel}×${metricOpts.unknownKernel} window is neither all α=1 nor all α=0 (ground truth)` }
        : { borderCrop: crop, ssimColour: 'per-channel SSIM, averaged over R, G, B' }),
      outputsClamped: 'task metrics clamp outputs to [0,1]; agreement uses the raw outputs',
    },
    summary,
    ...(budgetInfo ? { budgets: budgetInfo } : {}),
    verdicts,
    skipped,
    notes,
    samples,
  };
  return { report, images };
}
