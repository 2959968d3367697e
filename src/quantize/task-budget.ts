/**
 * Task-metric budgets for the mixed-precision loop (`--max-drop sad=0.5` with
 * ground truth): the float and the quantized model's outputs on the held-out
 * samples are read as alpha mattes (matting) or images (bokeh), resized to the
 * ground truth, scored with `mai validate`'s metrics, averaged over the
 * samples; the budget bounds the drop (quantized vs float, direction-aware as
 * in budgets.yaml's maxDrop).
 */
import { inputError } from '../core/errors.js';
import { decodeImage } from '../data/decode.js';
import type { FloatImage } from '../data/image.js';
import { fromModelOutput, type ImageLayout } from '../data/preprocess.js';
import { resizeBilinear } from '../data/resize.js';
import type { HostTensor } from '../runtime/types.js';
import { metricDrop, type TaskMetricName } from '../validate/budgets.js';
import { bokehMetrics, mattingMetrics, type MattingOptions } from '../validate/metrics/index.js';
import type { CalibSample } from './calib-data/source.js';

export type Task = 'matting' | 'bokeh';

/** Ground truth of the held-out samples (alpha: 1 channel, bokeh: RGB); a sample without it is an error naming it. */
export async function loadTargets(samples: readonly CalibSample[], task: Task, root: string): Promise<FloatImage[]> {
  if (samples.length === 0) throw inputError('task-budget-no-samples', `a task-metric budget needs held-out samples with ground truth; ${root} left none (raise --eval-samples)`, { file: root });
  const out: FloatImage[] = [];
  for (const s of samples) {
    if (!s.target) {
      throw inputError('task-budget-no-ground-truth', `a ${task} budget needs ground truth, but ${s.file} has none`, {
        file: s.file,
        hint: task === 'matting' ? 'use a CelebAMat layout with mask/ (or alpha/) next to img/' : 'use an EBB! layout with bokeh/ next to original/',
      });
    }
    out.push(await decodeImage(s.target, { channels: task === 'matting' ? 1 : 3 }));
  }
  return out;
}

export interface TaskScoreOptions extends MattingOptions {
  /** which model output is the alpha / image */
  outputIndex?: number;
  /** layout of the model input (an output read as an image follows it unless its shape says otherwise) */
  layout?: ImageLayout;
}

/** The metric of every sample's output against its ground truth, averaged. */
export function taskMetricMean(task: Task, metric: TaskMetricName, outputs: readonly HostTensor[][], targets: readonly FloatImage[], o: TaskScoreOptions = {}): number {
  let sum = 0;
  outputs.forEach((outs, i) => {
    const t = outs[o.outputIndex ?? 0];
    if (!t) throw inputError('bad-option', `--output-index ${o.outputIndex}: the model has ${outs.length} output(s)`);
    const gt = targets[i]!;
    const img = resizeBilinear(fromModelOutput(t.data as Float32Array, t.shape, o.layout ?? 'NHWC', `output '${t.name}'`), gt.width, gt.height);
    if (img.channels !== gt.channels) {
      throw inputError('task-budget-channels', `output '${t.name}' has ${img.channels} channel(s); ${task} ground truth has ${gt.channels}`, { hint: '--output-index picks another output' });
    }
    const m = task === 'matting' ? mattingMetrics(img, gt, o) : bokehMetrics(img, gt);
    const v = (m as Record<string, number>)[metric];
    if (v === undefined) throw inputError('bad-option', `--max-drop ${metric} is not a ${task} metric`);
    sum += v;
  });
  return sum / outputs.length;
}

/** A scorer for the budget loop: the drop of the candidate's mean metric against the reference's (positive = worse). */
export function taskDropScorer(task: Task, metric: TaskMetricName, targets: readonly FloatImage[], o: TaskScoreOptions = {}) {
  let refCache: { ref: readonly HostTensor[][]; value: number } | undefined;
  const scorer = (ref: readonly HostTensor[][], cand: readonly HostTensor[][]): number => {
    if (refCache?.ref !== ref) refCache = { ref, value: taskMetricMean(task, metric, ref, targets, o) };
    return metricDrop(metric, refCache.value, taskMetricMean(task, metric, cand, targets, o));
  };
  return Object.assign(scorer, { reference: () => refCache?.value });
}
