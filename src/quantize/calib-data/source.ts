/**
 * Calibration data for `mai quantize --calib PATH`: a CelebAMat / EBB! / plain
 * image folder (or one image), a folder of `.npy` tensors (one sample per
 * file) or one `.npy` whose leading axis is the batch. Samples come in a
 * deterministic order (natural sort of their names) and are loaded lazily, one
 * at a time, as the model's inputs.
 *
 * `splitSamples` takes the held-out evaluation samples from the end of that
 * order and the calibration samples from the start of what remains, so the
 * two sets never overlap.
 */
import { promises as fs } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { inputError } from '../../core/errors.js';
import { readInputFile } from '../../core/read-input.js';
import { numElements } from '../../ir/tensor.js';
import type { HostTensor } from '../../runtime/types.js';
import { naturalCompare, openDataset, type DatasetLayout } from '../../data/dataset.js';
import { parseNpy, type NpyArray } from './npy.js';
import { imageFileToInput, imageSpecFor } from './image-tensor.js';
import type { Preprocess } from './preprocess-config.js';

/** One model input the calibration data must feed. */
export interface ModelInput {
  name: string;
  shape: number[];
}

export interface CalibSample {
  /** stable name (file stem, or `file[i]` for a batch .npy) */
  name: string;
  file: string;
  /** ground truth (CelebAMat mask/, EBB! bokeh/) when the layout has it */
  target?: string;
  load(): Promise<HostTensor[]>;
}

export type CalibSourceKind = DatasetLayout | 'npy-dir' | 'npy-batch';

export interface CalibSource {
  root: string;
  kind: CalibSourceKind;
  samples: CalibSample[];
}

async function statKind(path: string): Promise<'dir' | 'file' | undefined> {
  try {
    return (await fs.stat(path)).isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

function singleInput(inputs: readonly ModelInput[], root: string): ModelInput {
  if (inputs.length !== 1) {
    throw inputError('calib-multi-input', `the model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); calibration data feeds models with one input`, { file: root });
  }
  return inputs[0]!;
}

/** An .npy array as one sample of `input`: same shape, or the shape without its batch-1 axis. */
function checkSampleShape(a: { shape: number[] }, input: ModelInput, file: string, what: string): void {
  const want = input.shape;
  const same = (s: number[]) => s.length === want.length && s.every((d, i) => d === want[i]);
  const unbatched = want[0] === 1 ? want.slice(1) : undefined;
  if (same(a.shape) || (unbatched && a.shape.length === unbatched.length && a.shape.every((d, i) => d === unbatched[i]))) return;
  throw inputError('calib-shape-mismatch', `${file}: ${what} has shape (${a.shape.join(', ')}), the model input '${input.name}' takes [${want.join(', ')}]`, {
    file,
    hint: want.length === 4 ? 'TFLite image inputs are NHWC: transpose NCHW arrays (arr.transpose(0, 2, 3, 1)) before saving' : undefined,
  });
}

async function npyFile(file: string): Promise<NpyArray> {
  return parseNpy(await readInputFile(file, '.npy'), file);
}

async function openNpyDir(root: string, files: string[], input: ModelInput): Promise<CalibSource> {
  const samples: CalibSample[] = files.map((f) => {
    const file = join(root, f);
    return {
      name: basename(f, extname(f)),
      file,
      async load() {
        const a = await npyFile(file);
        checkSampleShape(a, input, file, 'the array');
        return [{ name: input.name, dtype: 'float32', shape: [...input.shape], data: a.data }];
      },
    };
  });
  return { root, kind: 'npy-dir', samples };
}

async function openNpyBatch(file: string, input: ModelInput): Promise<CalibSource> {
  const a = await npyFile(file);
  if (a.shape.length < 1) throw inputError('calib-shape-mismatch', `${file}: a 0-d array is not a batch of samples`, { file });
  const n = a.shape[0]!;
  const per = numElements(a.shape.slice(1));
  checkSampleShape({ shape: a.shape.slice(1) }, input, file, `one sample (axis 0 is the batch of ${n})`);
  const width = String(n - 1).length;
  const samples: CalibSample[] = Array.from({ length: n }, (_, i) => ({
    name: `${basename(file, '.npy')}[${String(i).padStart(width, '0')}]`,
    file,
    async load() {
      return [{ name: input.name, dtype: 'float32', shape: [...input.shape], data: a.data.slice(i * per, (i + 1) * per) }];
    },
  }));
  return { root: file, kind: 'npy-batch', samples };
}

/** Open calibration data at `root` for a model with these float inputs. Errors name the path. */
export async function openCalibSource(root: string, inputs: readonly ModelInput[], pre: Preprocess): Promise<CalibSource> {
  const kind = await statKind(root);
  if (!kind) throw inputError('file-not-found', `calibration data not found: ${root}`, { file: root });
  const input = singleInput(inputs, root);
  if (kind === 'file' && extname(root).toLowerCase() === '.npy') return openNpyBatch(root, input);
  if (kind === 'dir') {
    const npys = (await fs.readdir(root)).filter((f) => extname(f).toLowerCase() === '.npy').sort(naturalCompare);
    if (npys.length > 0) return openNpyDir(root, npys, input);
  }
  const ds = await openDataset(root);
  const spec = imageSpecFor(input.shape, `model input '${input.name}'`, pre);
  const samples: CalibSample[] = ds.samples.map((s) => ({
    name: s.name,
    file: s.input,
    ...(s.target ? { target: s.target } : {}),
    async load() {
      const data = await imageFileToInput(s.input, spec, pre);
      return [{ name: input.name, dtype: 'float32', shape: [...input.shape], data }];
    },
  }));
  return { root, kind: ds.layout, samples };
}

export interface SplitOptions {
  /** calibration samples (default DEFAULT_CALIB_SAMPLES, or all that remain) */
  calibSamples?: number;
  /** held-out samples for the error report (default: ⌈20 %⌉ of the data, at most DEFAULT_MAX_EVAL, 0 for one sample) */
  evalSamples?: number;
}

export const DEFAULT_CALIB_SAMPLES = 100;
export const DEFAULT_MAX_EVAL = 16;

/** Held-out samples = the last M in order; calibration = the first N of the rest (disjoint by construction). */
export function splitSamples<T>(samples: readonly T[], opts: SplitOptions = {}): { calib: T[]; eval: T[] } {
  const total = samples.length;
  let m = opts.evalSamples ?? (total < 2 ? 0 : Math.min(DEFAULT_MAX_EVAL, Math.max(1, Math.ceil(total * 0.2))));
  if (m >= total) {
    throw inputError('calib-too-few', `--eval-samples ${m} leaves no calibration samples (the data has ${total})`, {
      hint: 'lower --eval-samples or add samples',
    });
  }
  m = Math.max(0, m);
  const rest = samples.slice(0, total - m);
  const n = Math.min(opts.calibSamples ?? DEFAULT_CALIB_SAMPLES, rest.length);
  return { calib: rest.slice(0, n), eval: samples.slice(total - m) };
}
