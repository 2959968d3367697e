/**
 * One model × precision of the nightly: the variant built by the library
 * functions `mai convert` / `mai quantize` use (convert from any format convert
 * takes, fp16 / int8 calibrated / dynamic), validated against the float
 * reference with `mai validate`'s `validate()` (task metrics, agreement,
 * budgets) and a few thumbnails of the visual diff. Results are cached on disk
 * by content (source bytes, precision, data, budgets), so backfilled and
 * re-run nights build each variant once.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { isMaiError } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/fs-atomic.js';
import { readInputFile } from '../../core/read-input.js';
import { detectFormat } from '../../core/model-format.js';
import { pngDataUri } from '../../data/encode.js';
import type { Budgets, VerdictStatus } from '../../validate/budgets.js';
import type { VerdictRow } from '../../validate/verdicts.js';
import type { LabModel, Precision } from './config.js';

export interface Thumbnail {
  caption: string;
  /** data:image/png;base64,… */
  src: string;
}

export interface AccuracySummary {
  /** how the candidate was compared with the float reference */
  method: 'validate' | 'quantize-report' | 'identical';
  reference: string;
  status: VerdictStatus | 'NONE';
  /** task metrics, reference → candidate (validate) */
  task?: { reference: Record<string, number>; candidate: Record<string, number> };
  /** candidate vs reference outputs (sqnr dB, cosine, max_abs, …) */
  agreement: Record<string, number>;
  verdicts: VerdictRow[];
  samples: number;
}

export interface BuiltVariant {
  model: string;
  precision: Precision;
  /** the .tflite deployed (absent when the build failed) */
  path?: string;
  sha256?: string;
  bytes?: number;
  accuracy?: AccuracySummary;
  thumbnails: Thumbnail[];
  notes: string[];
  /** why the build failed (convert / quantize / validate) */
  error?: { stage: 'convert' | 'quantize' | 'validate'; message: string };
  cached: boolean;
}

export interface BuildOptions {
  cacheDir: string;
  budgets?: Budgets;
  /** text of the budgets file (part of the cache key) */
  budgetsText?: string;
  validateSamples: number;
}

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

async function readCached(jsonPath: string): Promise<BuiltVariant | undefined> {
  try {
    const v = JSON.parse(await fs.readFile(jsonPath, 'utf8')) as BuiltVariant;
    if (v.path) await fs.access(v.path);
    return { ...v, cached: true };
  } catch {
    return undefined;
  }
}

/** Build (or fetch from the cache) one variant. Build problems come back as `error`, never thrown (the cell is ERROR). */
export async function buildVariant(m: LabModel, precision: Precision, o: BuildOptions): Promise<BuiltVariant> {
  let source: Uint8Array;
  try {
    source = await readInputFile(m.path, 'model');
  } catch (e) {
    if (!isMaiError(e)) throw e;
    return { model: m.name, precision, thumbnails: [], notes: [], cached: false, error: { stage: 'convert', message: e.message } };
  }
  const key = sha(JSON.stringify([sha(source), precision, m.task, m.data, m.calib, m.inputShapes ?? null, o.budgetsText ?? null, o.validateSamples])).slice(0, 16);
  const stem = `${m.name}-${precision}`;
  const jsonPath = join(o.cacheDir, `${stem}-${key}.json`);
  const cached = await readCached(jsonPath);
  if (cached) return cached;
  await fs.mkdir(o.cacheDir, { recursive: true });
  const out: BuiltVariant = { model: m.name, precision, thumbnails: [], notes: [], cached: false };
  const artifact = join(o.cacheDir, `${stem}-${key}`, `${stem}.tflite`);
  let stage: 'convert' | 'quantize' | 'validate' = 'convert';
  try {
    const { loadFloatModel, quantizeModel } = await import('../../quantize/pipeline.js');
    const float = await loadFloatModel(source, m.path, m.inputShapes);
    const sourceIsTflite = detectFormat(source, m.path) === 'tflite';
    // the float reference: the source model itself (onnxruntime for ONNX), else the float .tflite
    const floatPath = join(o.cacheDir, `${stem}-${key}`, `${m.name}-float.tflite`);
    await fs.mkdir(join(o.cacheDir, `${stem}-${key}`), { recursive: true });
    if (!sourceIsTflite) await writeFileAtomic(floatPath, float.bytes);
    const reference = sourceIsTflite ? m.path : detectFormat(source, m.path) === 'onnx' ? m.path : floatPath;
    let bytes: Uint8Array;
    let quantOutputs: Array<{ sqnrDb: number; cosine: number; maxAbs: number; rmse: number }> | undefined;
    if (precision === 'fp32') bytes = float.bytes;
    else {
      stage = 'quantize';
      const q = await quantizeModel({ file: m.path, bytes: source, mode: precision, inputShapes: m.inputShapes, ...(precision === 'int8' ? { calib: m.calib } : {}) });
      bytes = q.bytes;
      quantOutputs = q.report.outputs;
      out.notes.push(...q.notes);
    }
    await writeFileAtomic(artifact, bytes);
    out.path = artifact;
    out.sha256 = sha(bytes);
    out.bytes = bytes.byteLength;
    if (m.task !== 'none') {
      stage = 'validate';
      const { validate } = await import('../../validate/validate.js');
      const { heatmap, maxOf } = await import('../../validate/heatmap.js');
      const { report, images } = await validate({
        reference,
        candidate: artifact,
        data: m.data,
        task: m.task,
        budgets: o.budgets,
        model: stem,
        limit: o.validateSamples,
        keepImages: 1,
      });
      out.accuracy = {
        method: 'validate',
        reference,
        status: report.verdicts.length ? report.status : 'NONE',
        task: { reference: report.summary.reference, candidate: report.summary.candidate },
        agreement: report.summary.agreement,
        verdicts: report.verdicts,
        samples: report.dataset.samples,
      };
      out.notes.push(...report.notes);
      const im = images[0];
      if (im) {
        const scale = Math.max(1 / 255, maxOf(im.error));
        const w = { width: 120 };
        out.thumbnails.push({ caption: `input (${im.name})`, src: await pngDataUri(im.input, w) });
        out.thumbnails.push({ caption: 'float reference', src: await pngDataUri(im.reference, w) });
        out.thumbnails.push({ caption: `${precision} candidate`, src: await pngDataUri(im.candidate, w) });
        out.thumbnails.push({ caption: `|error|, max ${maxOf(im.error).toPrecision(3)}`, src: await pngDataUri(heatmap(im.error, scale), w) });
      }
    } else if (quantOutputs) {
      const o0 = quantOutputs[0];
      out.accuracy = {
        method: 'quantize-report',
        reference: 'the float model (held-out samples)',
        status: 'NONE',
        agreement: o0 ? { sqnr: o0.sqnrDb, cosine: o0.cosine, max_abs: o0.maxAbs, rmse: o0.rmse } : {},
        verdicts: [],
        samples: 0,
      };
    } else {
      out.accuracy = { method: 'identical', reference: 'the float model', status: 'NONE', agreement: {}, verdicts: [], samples: 0 };
    }
  } catch (e) {
    if (!isMaiError(e)) throw e;
    out.error = { stage, message: e.message };
  }
  await writeFileAtomic(jsonPath, JSON.stringify(out));
  return out;
}
