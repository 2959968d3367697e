import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { MaiError } from '../../src/core/errors.js';
import {
  DEFAULT_PREPROCESS,
  openCalibSource,
  parsePreprocessYaml,
  preprocessFromFlags,
  splitSamples,
  type CalibSource,
} from '../../src/quantize/calib-data/index.js';
import { npyF32 } from './npy-writer.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mai-calib-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function errorOf(f: () => unknown): Promise<MaiError> {
  try {
    await f();
  } catch (e) {
    return e as MaiError;
  }
  throw new Error('expected an error');
}

describe('preprocessing config', () => {
  it('reads every field from YAML', () => {
    const p = parsePreprocessYaml('resize: cover\ncrop: [1, 2, 30, 40]\nchannels: bgr\nmean: [0.5, 0.4, 0.3]\nstd: 0.25\nlayout: nchw\n', 'p.yaml');
    expect(p).toEqual({ resize: 'cover', crop: { x: 1, y: 2, width: 30, height: 40 }, channels: 'bgr', mean: [0.5, 0.4, 0.3], std: [0.25], layout: 'NCHW', padValue: 0 });
  });

  const bad: Array<[string, string, RegExp]> = [
    ['unknown field on line 3', 'resize: fit\nchannels: rgb\nscaling: 255\n', /^p\.yaml:3: scaling: unknown field \(expected one of: resize, crop/],
    ['bad enum on line 2', 'channels: rgb\nresize: squash\n', /^p\.yaml:2: resize: /],
    ['crop with 3 numbers', 'crop: [1, 2, 3]\n', /^p\.yaml:1: crop: expected \[x, y, width, height\]/],
    ['std 0 on line 2', 'mean: 0.5\nstd: [1, 0, 1]\n', /^p\.yaml:2: std: std must not be 0/],
    ['range with mean', 'mean: 0.5\nrange: [-1, 1]\n', /^p\.yaml:2: range: range and mean\/std are exclusive/],
    ['malformed YAML', 'resize: fit\n  crop: [\n', /^p\.yaml:\d+: malformed YAML/],
  ];
  for (const [name, text, msg] of bad) {
    it(`YAML error: ${name} → file:line: field`, async () => {
      const e = await errorOf(() => parsePreprocessYaml(text, 'p.yaml'));
      expect(e.exit).toBe(2);
      expect(e.message).toMatch(msg);
    });
  }

  it('flags override the file, and bad flags name the flag', async () => {
    const base = parsePreprocessYaml('resize: fit\nmean: 0.5\nstd: 0.5\n', 'p.yaml');
    const p = preprocessFromFlags({ resize: 'cover', range: '-1,1', bgr: true }, base);
    expect(p.resize).toBe('cover');
    expect(p.range).toEqual([-1, 1]);
    expect(p.mean).toBeUndefined();
    expect(p.channels).toBe('bgr');
    expect((await errorOf(() => preprocessFromFlags({ resize: 'squash' }))).message).toMatch(/^--resize: /);
    expect((await errorOf(() => preprocessFromFlags({ mean: 'a,b' }))).message).toMatch(/^--mean expects comma-separated numbers/);
    expect((await errorOf(() => preprocessFromFlags({ crop: '1,2' }))).message).toMatch(/^--crop: expected \[x, y, width, height\]/);
  });
});

describe('calibration sources', () => {
  const input = [{ name: 'x', shape: [1, 4, 6, 3] }];

  it('image folder: natural order, deterministic tensors; fit pads, cover crops, bgr swaps, mean/std scale', async () => {
    const folder = join(dir, 'imgs');
    mkdirSync(folder);
    // 12×4 image: left half pure red, right half pure blue
    const raw = Buffer.alloc(12 * 4 * 3);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 12; x++) raw.set(x < 6 ? [255, 0, 0] : [0, 0, 255], (y * 12 + x) * 3);
    for (const n of ['10', '2', '1']) await sharp(raw, { raw: { width: 12, height: 4, channels: 3 } }).png().toFile(join(folder, `s${n}.png`));
    const src = await openCalibSource(folder, input, DEFAULT_PREPROCESS);
    expect(src.kind).toBe('folder');
    expect(src.samples.map((s) => s.name)).toEqual(['s1', 's2', 's10']);
    const a = (await src.samples[0]!.load())[0]!;
    const b = (await (await openCalibSource(folder, input, DEFAULT_PREPROCESS)).samples[0]!.load())[0]!;
    expect(a.shape).toEqual([1, 4, 6, 3]);
    expect(Array.from(a.data as Float32Array)).toEqual(Array.from(b.data as Float32Array));
    // lanczos3 rings by a level or two at the red/blue edge: read pixels as colours, not exact bytes
    const rgb = (d: ArrayLike<number | bigint>, i: number) => [0, 1, 2].map((c) => (Number(d[i * 3 + c]) > 0.9 ? 1 : Number(d[i * 3 + c]) < 0.1 ? 0 : 0.5));
    // stretch: top-left pixel is red, top-right is blue
    expect(rgb(a.data, 0)).toEqual([1, 0, 0]);
    expect(rgb(a.data, 5)).toEqual([0, 0, 1]);
    // fit into 6 wide × 4 high: the 12×4 image becomes 6×2 with one padding row (black) above and below
    const fit = (await (await openCalibSource(folder, input, { ...DEFAULT_PREPROCESS, resize: 'fit', padValue: 0 })).samples[0]!.load())[0]!.data;
    expect(rgb(fit, 0)).toEqual([0, 0, 0]);
    expect(rgb(fit, 6)).toEqual([1, 0, 0]); // row 1, x 0
    expect(rgb(fit, 3 * 6 + 5)).toEqual([0, 0, 0]); // row 3: padding
    // cover into 6×4: the centre 6 columns of a 12-wide image scaled to height 4: x 3..8 → 3 red, 3 blue, no padding
    const cover = (await (await openCalibSource(folder, input, { ...DEFAULT_PREPROCESS, resize: 'cover' })).samples[0]!.load())[0]!.data;
    expect(rgb(cover, 0)).toEqual([1, 0, 0]);
    expect(rgb(cover, 5)).toEqual([0, 0, 1]);
    expect(rgb(cover, 3 * 6)).toEqual([1, 0, 0]);
    // bgr + mean/std: top-left red becomes (B,G,R) ≈ (0,0,1) → ((0−0.5)/0.5, (0−0.5)/0.5, (1−0.5)/0.5)
    const bgr = (await (await openCalibSource(folder, input, { ...DEFAULT_PREPROCESS, channels: 'bgr', mean: [0.5], std: [0.5] })).samples[0]!.load())[0]!.data;
    expect(Array.from((bgr as Float32Array).slice(0, 3)).map((v) => Math.round(v * 10) / 10)).toEqual([-1, -1, 1]);
    // NCHW model input: the first plane is the red channel (left red, right not)
    const nchw = (await (await openCalibSource(folder, [{ name: 'x', shape: [1, 3, 4, 6] }], DEFAULT_PREPROCESS)).samples[0]!.load())[0]!;
    expect(nchw.shape).toEqual([1, 3, 4, 6]);
    expect(Number(nchw.data[0])).toBeGreaterThan(0.9);
    expect(Number(nchw.data[5])).toBeLessThan(0.1);
    expect(Number(nchw.data[24 * 2 + 5])).toBeGreaterThan(0.9); // blue plane, right
  });

  it('CelebAMat and EBB! layouts from the bundled photos', async () => {
    const celeba = await openCalibSource(join('data', 'samples', 'matting'), input, DEFAULT_PREPROCESS);
    expect(celeba.kind).toBe('celebamat');
    expect(celeba.samples.map((s) => s.name)).toEqual(['astronaut', 'chelsea', 'coffee', 'hubble_deep_field']);
    const ebb = await openCalibSource(join('data', 'samples', 'bokeh'), input, DEFAULT_PREPROCESS);
    expect(ebb.kind).toBe('ebb');
    expect(ebb.samples.map((s) => s.name)).toEqual(['0', '1', '2']);
    expect(ebb.samples[0]!.file).toMatch(/original[\\/]0\.jpg$/);
    const t = (await ebb.samples[2]!.load())[0]!;
    expect(t.data.length).toBe(4 * 6 * 3);
  });

  it('.npy folder (natural order) and one batched .npy; shape mismatches name the file', async () => {
    const nd = join(dir, 'npys');
    mkdirSync(nd);
    const n = 4 * 6 * 3;
    for (const i of [0, 1, 11, 2]) writeFileSync(join(nd, `t${i}.npy`), npyF32([1, 4, 6, 3], Array.from({ length: n }, (_, k) => i + k / n)));
    const src = await openCalibSource(nd, input, DEFAULT_PREPROCESS);
    expect(src.kind).toBe('npy-dir');
    expect(src.samples.map((s) => s.name)).toEqual(['t0', 't1', 't2', 't11']);
    expect((await src.samples[3]!.load())[0]!.data[0]).toBe(11);

    const batch = join(dir, 'batch.npy');
    writeFileSync(batch, npyF32([3, 4, 6, 3], Array.from({ length: 3 * n }, (_, k) => Math.floor(k / n))));
    const b = await openCalibSource(batch, input, DEFAULT_PREPROCESS);
    expect(b.kind).toBe('npy-batch');
    expect(b.samples.map((s) => s.name)).toEqual(['batch[0]', 'batch[1]', 'batch[2]']);
    const s2 = (await b.samples[2]!.load())[0]!;
    expect(s2.shape).toEqual([1, 4, 6, 3]);
    expect(new Set(s2.data as Float32Array)).toEqual(new Set([2]));

    const wrong = join(dir, 'wrong');
    mkdirSync(wrong);
    writeFileSync(join(wrong, 'a.npy'), npyF32([1, 3, 4, 6], new Array(n).fill(0)));
    const w = await openCalibSource(wrong, input, DEFAULT_PREPROCESS);
    const e = await errorOf(() => w.samples[0]!.load());
    expect(e.exit).toBe(2);
    expect(e.message).toMatch(/a\.npy: the array has shape \(1, 3, 4, 6\), the model input 'x' takes \[1, 4, 6, 3\]/);
    expect(e.hint).toMatch(/NHWC/);
  });

  it('missing data and multi-input models are exit-2 errors naming the path', async () => {
    const e = await errorOf(() => openCalibSource(join(dir, 'nope'), input, DEFAULT_PREPROCESS));
    expect(e.exit).toBe(2);
    expect(e.message).toContain(join(dir, 'nope'));
    const m = await errorOf(() => openCalibSource(join('data', 'samples', 'matting'), [...input, { name: 'y', shape: [1] }], DEFAULT_PREPROCESS));
    expect(m.message).toMatch(/2 inputs \(x, y\)/);
  });
});

describe('calibration / held-out split', () => {
  const names = Array.from({ length: 25 }, (_, i) => `s${i}`);
  it('held-out = the last M, calibration = the first N of the rest; never overlapping', () => {
    for (const [calibSamples, evalSamples] of [[undefined, undefined], [3, 2], [100, 24], [1, 0], [10, 15]] as const) {
      const { calib, eval: ev } = splitSamples(names, { calibSamples, evalSamples });
      expect(calib.filter((c) => ev.includes(c))).toEqual([]);
      if (evalSamples !== undefined) expect(ev.length).toBe(evalSamples);
      expect(ev).toEqual(names.slice(names.length - ev.length));
      expect(calib).toEqual(names.slice(0, calib.length));
    }
    expect(splitSamples(names).eval.length).toBe(5);
    expect(splitSamples(names, { calibSamples: 3 }).calib).toEqual(['s0', 's1', 's2']);
    expect(splitSamples(['only']).eval).toEqual([]);
  });
  it('asking for as many held-out samples as there are is an error', async () => {
    const e = await errorOf(() => splitSamples(names.slice(0, 3), { evalSamples: 3 }));
    expect(e.exit).toBe(2);
    expect(e.message).toMatch(/--eval-samples 3 leaves no calibration samples/);
  });
});

export type { CalibSource };
