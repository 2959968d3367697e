/**
 * Image datasets on disk, as lists of samples in a deterministic order.
 *
 * Layouts (detected from the folder):
 * - `ebb`       — EBB! bokeh: `original/<i>.jpg` (+ `bokeh/<i>.jpg` ground truth when present)
 * - `celebamat` — matting: `img/` (or `image/`, `images/`) + `mask/` (or `alpha/`) with the GT
 *                 alpha, or one level of subsets `<subset>/{img,mask}/` (CelebAMat / FaceMat
 *                 test-benchmark layout); `img/` alone is inputs without ground truth
 * - `folder`    — images directly in the folder, no ground truth
 * - `file`      — a single image file
 *
 * Inputs and ground truth are paired by file stem (extensions may differ,
 * e.g. `img/0001.jpg` ↔ `mask/0001.png`). A stem present on one side only is
 * an error naming the file. Order: natural sort of the sample names
 * (`2` before `10`), the same on every machine.
 */
import { promises as fs } from 'node:fs';
import { extname, join, basename } from 'node:path';
import { inputError } from '../core/errors.js';

export type DatasetLayout = 'ebb' | 'celebamat' | 'folder' | 'file';
export type DatasetTask = 'matting' | 'bokeh';

export interface Sample {
  /** stable name: the stem, prefixed by the subset for subset layouts (`occ/0001`) */
  name: string;
  input: string;
  /** ground truth: alpha matte (matting) or target image (bokeh) */
  target?: string;
}

export interface Dataset {
  root: string;
  layout: DatasetLayout;
  /** the task the layout implies, if any */
  task?: DatasetTask;
  /** every sample has ground truth */
  hasGroundTruth: boolean;
  samples: Sample[];
}

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff'];
const IMAGE_DIRS = ['img', 'image', 'images'];
const ALPHA_DIRS = ['mask', 'alpha', 'alphas', 'matte'];

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });
export const naturalCompare = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

const stemOf = (f: string) => basename(f, extname(f));
const isImage = (f: string) => IMAGE_EXTENSIONS.includes(extname(f).toLowerCase());

async function stat(path: string): Promise<'dir' | 'file' | undefined> {
  try {
    const s = await fs.stat(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

async function firstDir(root: string, names: string[]): Promise<string | undefined> {
  for (const n of names) if ((await stat(join(root, n))) === 'dir') return join(root, n);
  return undefined;
}

/** Image files of a folder by stem; two files with one stem is an error. */
async function imagesByStem(dir: string): Promise<Map<string, string>> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch (e) {
    throw inputError('dataset-unreadable', `cannot list dataset folder ${dir}: ${(e as Error).message}`, { file: dir });
  }
  const out = new Map<string, string>();
  for (const f of entries.filter(isImage).sort(naturalCompare)) {
    const s = stemOf(f);
    const prev = out.get(s);
    if (prev) throw inputError('dataset-ambiguous', `two images with the name '${s}' in ${dir}: ${basename(prev)} and ${f}`, { file: join(dir, f) });
    out.set(s, join(dir, f));
  }
  return out;
}

async function pairFolders(inputDir: string, targetDir: string | undefined, prefix: string, what: string): Promise<Sample[]> {
  const inputs = await imagesByStem(inputDir);
  if (!targetDir) return [...inputs].map(([s, input]) => ({ name: prefix + s, input }));
  const targets = await imagesByStem(targetDir);
  const samples: Sample[] = [];
  for (const [s, input] of inputs) {
    const target = targets.get(s);
    if (!target) {
      throw inputError('dataset-missing-pair', `no ${what} for ${input}: expected ${join(targetDir, s)}.{png,jpg,…}`, {
        file: input,
        hint: `every image needs a ${what} with the same name in ${targetDir}`,
      });
    }
    samples.push({ name: prefix + s, input, target });
  }
  for (const [s, target] of targets) {
    if (!inputs.has(s)) {
      throw inputError('dataset-missing-pair', `no input image for ${target}: expected ${join(inputDir, s)}.{jpg,png,…}`, { file: target });
    }
  }
  return samples;
}

export interface OpenDatasetOptions {
  /** keep the first N samples (after sorting) */
  limit?: number;
  /** the task the caller runs; a layout implying another task is an error */
  task?: DatasetTask;
}

/** Open a dataset folder (or one image file). Errors name the path. */
export async function openDataset(root: string, opts: OpenDatasetOptions = {}): Promise<Dataset> {
  const kind = await stat(root);
  if (!kind) throw inputError('file-not-found', `dataset not found: ${root}`, { file: root });
  let ds: Dataset;
  if (kind === 'file') {
    if (!isImage(root)) throw inputError('dataset-unsupported', `not an image file (${IMAGE_EXTENSIONS.join(' ')}): ${root}`, { file: root });
    ds = { root, layout: 'file', hasGroundTruth: false, samples: [{ name: stemOf(root), input: root }] };
  } else if ((await stat(join(root, 'original'))) === 'dir') {
    const bokehDir = (await stat(join(root, 'bokeh'))) === 'dir' ? join(root, 'bokeh') : undefined;
    const samples = await pairFolders(join(root, 'original'), bokehDir, '', 'bokeh ground truth');
    ds = { root, layout: 'ebb', task: 'bokeh', hasGroundTruth: !!bokehDir, samples };
  } else {
    const imgDir = await firstDir(root, IMAGE_DIRS);
    if (imgDir) {
      const alphaDir = await firstDir(root, ALPHA_DIRS);
      const samples = await pairFolders(imgDir, alphaDir, '', 'alpha matte');
      ds = { root, layout: 'celebamat', task: 'matting', hasGroundTruth: !!alphaDir, samples };
    } else {
      // subsets: <subset>/{img,mask}
      const subs = (await fs.readdir(root)).sort(naturalCompare);
      const samples: Sample[] = [];
      let subsets = 0;
      let withGt = 0;
      for (const s of subs) {
        const d = join(root, s);
        if ((await stat(d)) !== 'dir') continue;
        const si = await firstDir(d, IMAGE_DIRS);
        if (!si) continue;
        const sa = await firstDir(d, ALPHA_DIRS);
        subsets++;
        if (sa) withGt++;
        samples.push(...(await pairFolders(si, sa, `${s}/`, 'alpha matte')));
      }
      if (subsets > 0) {
        if (withGt !== 0 && withGt !== subsets) throw inputError('dataset-missing-pair', `some subsets of ${root} have no mask/ folder`, { file: root });
        ds = { root, layout: 'celebamat', task: 'matting', hasGroundTruth: withGt === subsets, samples };
      } else {
        const samples = [...(await imagesByStem(root))].map(([s, input]) => ({ name: s, input }));
        ds = { root, layout: 'folder', hasGroundTruth: false, samples };
      }
    }
  }
  if (ds.samples.length === 0) {
    throw inputError('dataset-empty', `no images found in ${root}`, {
      file: root,
      hint: 'expected original/ (+ bokeh/) for EBB!, img/ (+ mask/) for CelebAMat, or image files',
    });
  }
  if (opts.task && ds.task && ds.task !== opts.task) {
    throw inputError('dataset-task-mismatch', `${root} has the ${ds.layout === 'ebb' ? 'EBB! (bokeh)' : 'CelebAMat (matting)'} layout, but the task is ${opts.task}`, { file: root });
  }
  ds.samples.sort((a, b) => naturalCompare(a.name, b.name));
  if (opts.limit !== undefined) {
    if (!Number.isInteger(opts.limit) || opts.limit < 1) throw inputError('bad-option', `--limit must be a positive integer, got ${opts.limit}`);
    ds.samples = ds.samples.slice(0, opts.limit);
  }
  return ds;
}
