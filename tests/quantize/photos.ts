/**
 * Test inputs from the photographs in ../shared/samples (read in place, never
 * copied into the repo): each photo resized to size×size RGB, scaled to [0, 1],
 * NHWC float32; `crops` adds deterministic sub-crops so a few photos give more
 * calibration samples.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { HostTensor } from '../../src/runtime/types.js';

export const SAMPLES_DIR = join(import.meta.dirname, '../../../shared/samples');
export const hasSamples = existsSync(join(SAMPLES_DIR, 'astronaut.png'));

/** The photo as a [1, size, size, 3] float32 tensor in [0, 1]; `crop` (fractions) picks a region first. */
export async function photoTensor(file: string, size: number, crop?: { left: number; top: number; side: number }): Promise<HostTensor> {
  let img = sharp(join(SAMPLES_DIR, file));
  if (crop) {
    const meta = await img.metadata();
    const w = meta.width!;
    const h = meta.height!;
    const side = Math.floor(Math.min(w, h) * crop.side);
    img = sharp(join(SAMPLES_DIR, file)).extract({ left: Math.floor((w - side) * crop.left), top: Math.floor((h - side) * crop.top), width: side, height: side });
  }
  const raw = await img.removeAlpha().resize(size, size, { fit: 'cover' }).raw().toBuffer();
  const data = new Float32Array(size * size * 3);
  for (let i = 0; i < data.length; i++) data[i] = raw[i]! / 255;
  return { name: 'input', dtype: 'float32', shape: [1, size, size, 3], data };
}

const CROPS = [undefined, { left: 0, top: 0, side: 0.6 }, { left: 1, top: 1, side: 0.6 }, { left: 0.5, top: 0.5, side: 0.5 }, { left: 1, top: 0, side: 0.7 }];

/** Calibration samples: every crop of every photo in `files`. */
export async function photoSamples(files: string[], size: number, crops = CROPS.length): Promise<HostTensor[][]> {
  const out: HostTensor[][] = [];
  for (const f of files) for (const c of CROPS.slice(0, crops)) out.push([await photoTensor(f, size, c)]);
  return out;
}

/** Photos used for calibration vs held out (the only person photo is held out). */
export const CALIBRATION_PHOTOS = ['chelsea.png', 'coffee.png', 'hubble_deep_field.jpg'];
export const HELD_OUT_PHOTOS = ['astronaut.png'];
