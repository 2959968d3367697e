import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import sharp from 'sharp';
import { isMaiError } from '../../src/core/errors.js';
import { openDataset } from '../../src/data/dataset.js';
import { decodeImage } from '../../src/data/decode.js';
import { encodePng } from '../../src/data/encode.js';
import { makeImage } from '../../src/data/image.js';
import { fromModelOutput, imageInputSpec, toModelInput } from '../../src/data/preprocess.js';
import { resizeBilinear } from '../../src/data/resize.js';

let dir: string;
const png = (w: number, h: number, c: 1 | 3, v = 128) => sharp({ create: { width: w, height: h, channels: c === 1 ? 3 : 3, background: { r: v, g: v, b: v } } }).png().toBuffer();

async function expectInputError(p: Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(isMaiError(e) && e.exit === 2, String(e)).toBe(true);
    expect((e as Error).message).toMatch(re);
    return;
  }
  throw new Error('expected an input error');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mai-data-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('datasets', () => {
  it('the bundled EBB! sample: pairs by name, natural order, bokeh task', async () => {
    const ds = await openDataset('data/samples/bokeh');
    expect(ds.layout).toBe('ebb');
    expect(ds.task).toBe('bokeh');
    expect(ds.hasGroundTruth).toBe(true);
    expect(ds.samples.map((s) => s.name)).toEqual(['0', '1', '2']);
    expect(ds.samples[1]!.target).toBe(join('data/samples/bokeh', 'bokeh', '1.jpg'));
  });

  it('the bundled matting sample has images only (no ground truth); --limit keeps the first N', async () => {
    const ds = await openDataset('data/samples/matting', { limit: 2, task: 'matting' });
    expect(ds.layout).toBe('celebamat');
    expect(ds.hasGroundTruth).toBe(false);
    expect(ds.samples.map((s) => s.name)).toEqual(['astronaut', 'chelsea']);
  });

  it('CelebAMat: img/ + mask/ paired across extensions, natural sort; subsets', async () => {
    const root = join(dir, 'cm');
    mkdirSync(join(root, 'img'), { recursive: true });
    mkdirSync(join(root, 'mask'));
    for (const n of ['10', '2', '1']) {
      writeFileSync(join(root, 'img', `${n}.jpg`), await sharp(await png(8, 8, 3)).jpeg().toBuffer());
      writeFileSync(join(root, 'mask', `${n}.png`), await png(8, 8, 1));
    }
    const ds = await openDataset(root);
    expect(ds.samples.map((s) => s.name)).toEqual(['1', '2', '10']);
    expect(ds.samples[2]!.target).toBe(join(root, 'mask', '10.png'));
    const sub = join(dir, 'bench');
    for (const s of ['b', 'a']) {
      mkdirSync(join(sub, s, 'img'), { recursive: true });
      mkdirSync(join(sub, s, 'mask'));
      writeFileSync(join(sub, s, 'img', 'x.png'), await png(8, 8, 3));
      writeFileSync(join(sub, s, 'mask', 'x.png'), await png(8, 8, 1));
    }
    expect((await openDataset(sub)).samples.map((s) => s.name)).toEqual(['a/x', 'b/x']);
    await expectInputError(openDataset(root, { task: 'bokeh' }), /CelebAMat \(matting\) layout, but the task is bokeh/);
  });

  it('a missing pair is an error naming the file, on either side', async () => {
    const root = join(dir, 'missing');
    mkdirSync(join(root, 'original'), { recursive: true });
    mkdirSync(join(root, 'bokeh'));
    writeFileSync(join(root, 'original', '0.jpg'), await png(8, 8, 3));
    writeFileSync(join(root, 'original', '1.jpg'), await png(8, 8, 3));
    writeFileSync(join(root, 'bokeh', '0.jpg'), await png(8, 8, 3));
    await expectInputError(openDataset(root), /no bokeh ground truth for .*original\/1\.jpg/);
    writeFileSync(join(root, 'bokeh', '1.jpg'), await png(8, 8, 3));
    writeFileSync(join(root, 'bokeh', '7.jpg'), await png(8, 8, 3));
    await expectInputError(openDataset(root), /no input image for .*bokeh\/7\.jpg/);
  });

  it('an unreadable image is an error naming the file; an empty folder too', async () => {
    const bad = join(dir, 'bad.jpg');
    writeFileSync(bad, 'not a jpeg at all');
    await expectInputError(decodeImage(bad), /cannot decode image .*bad\.jpg/);
    mkdirSync(join(dir, 'empty'));
    await expectInputError(openDataset(join(dir, 'empty')), /no images found/);
    await expectInputError(openDataset(join(dir, 'nope')), /dataset not found/);
  });

  it('decodes and resizes a real photo with sharp to [0,1] floats; alpha as one channel', async () => {
    const img = await decodeImage('data/samples/matting/img/astronaut.jpg', { width: 64, height: 48 });
    expect([img.width, img.height, img.channels]).toEqual([64, 48, 3]);
    let lo = 1, hi = 0;
    for (const v of img.data) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(hi - lo).toBeGreaterThan(0.5);
    const a = join(dir, 'a.png');
    writeFileSync(a, await png(4, 4, 1, 51));
    const alpha = await decodeImage(a, { channels: 1 });
    expect(alpha.channels).toBe(1);
    expect(alpha.data[0]).toBeCloseTo(0.2, 6);
  });
});

describe('preprocessing', () => {
  it('reads NHWC and NCHW input shapes; feeds the image in each layout', () => {
    expect(imageInputSpec([1, 256, 256, 3], 'm')).toMatchObject({ layout: 'NHWC', width: 256, height: 256, channels: 3 });
    expect(imageInputSpec([1, 3, 144, 256], 'm')).toMatchObject({ layout: 'NCHW', width: 256, height: 144, channels: 3 });
    expect(() => imageInputSpec([1, -1, -1, 3], 'm')).toThrow(/static image input/);
    const img = makeImage(2, 1, 3, Float32Array.from([1, 2, 3, 4, 5, 6]));
    expect(Array.from(toModelInput(img, imageInputSpec([1, 1, 2, 3], 'm')))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(toModelInput(img, imageInputSpec([1, 3, 1, 2], 'm', 'NCHW')))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(toModelInput(img, imageInputSpec([1, 1, 2, 3], 'm'), { mean: [1, 1, 1], std: [2, 2, 2] }))).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
  });

  it('reads outputs back as images', () => {
    const o = fromModelOutput(Float32Array.from([1, 4, 2, 5, 3, 6]), [1, 3, 1, 2], 'NCHW', 'out');
    expect([o.width, o.height, o.channels]).toEqual([2, 1, 3]);
    expect(Array.from(o.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fromModelOutput(new Float32Array(12), [1, 3, 4, 1], 'NHWC', 'out').channels).toBe(1);
  });

  it('bilinear resize keeps constants and averages neighbours at half-pixel centres', async () => {
    const c = resizeBilinear(makeImage(3, 3, 1, new Float32Array(9).fill(0.4)), 7, 5);
    expect(Array.from(c.data).every((v) => Math.abs(v - 0.4) < 1e-7)).toBe(true);
    const d = resizeBilinear(makeImage(2, 1, 1, Float32Array.from([0, 1])), 1, 1);
    expect(d.data[0]).toBeCloseTo(0.5, 7);
    const pngBytes = await encodePng(makeImage(2, 1, 1, Float32Array.from([0, 1])));
    expect((await sharp(pngBytes).metadata()).channels).toBe(1);
    const back = await sharp(pngBytes).extractChannel(0).raw().toBuffer();
    expect(Array.from(back)).toEqual([0, 255]);
  });
});
