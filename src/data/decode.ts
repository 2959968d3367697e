/**
 * Decoding and resizing with sharp into FloatImage (values /255 → [0, 1]).
 * Colour images drop any alpha channel and are converted to sRGB; single-channel
 * (alpha matte) images take the first channel of a greyscale conversion; an
 * alpha channel is ignored in both cases (mattes are stored as grey PNGs).
 */
import sharp from 'sharp';
import { inputError } from '../core/errors.js';
import { readInputFile } from '../core/read-input.js';
import { makeImage, type FloatImage } from './image.js';

export interface DecodeOptions {
  /** 3 = RGB (default), 1 = greyscale / alpha */
  channels?: 1 | 3;
  /** resize to exactly this size (aspect ratio not kept: fit 'fill') */
  width?: number;
  height?: number;
  /** sharp resampling kernel (default 'linear' for alpha, 'lanczos3' for colour) */
  kernel?: 'nearest' | 'linear' | 'cubic' | 'mitchell' | 'lanczos2' | 'lanczos3';
}

/** Decode an encoded image (JPEG, PNG, WebP, TIFF …) held in memory; `file` names it in errors. */
export async function decodeImageBytes(bytes: Uint8Array, file: string, opts: DecodeOptions = {}): Promise<FloatImage> {
  const channels = opts.channels ?? 3;
  try {
    let p = sharp(bytes, { failOn: 'error' });
    if (opts.width !== undefined || opts.height !== undefined) {
      p = p.resize(opts.width, opts.height, { fit: 'fill', kernel: opts.kernel ?? (channels === 1 ? 'linear' : 'lanczos3') });
    }
    p = channels === 1 ? p.removeAlpha().greyscale().extractChannel(0) : p.toColourspace('srgb').removeAlpha();
    const { data, info } = await p.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== channels) throw new Error(`decoded ${info.channels} channels, expected ${channels}`);
    const out = makeImage(info.width, info.height, channels);
    for (let i = 0; i < out.data.length; i++) out.data[i] = data[i]! / 255;
    return out;
  } catch (e) {
    throw inputError('image-unreadable', `cannot decode image ${file}: ${(e as Error).message}`, { file, cause: e });
  }
}

/** Read and decode an image file; a missing or corrupt file is an exit-2 error naming it. */
export async function decodeImage(path: string, opts: DecodeOptions = {}): Promise<FloatImage> {
  const bytes = await readInputFile(path, 'image');
  return decodeImageBytes(bytes, path, opts);
}

/** Width and height of an encoded image (read from its header, pixels not decoded); `path` names it in errors. */
export async function imageSize(bytes: Uint8Array, path: string): Promise<{ width: number; height: number }> {
  try {
    const m = await sharp(bytes).metadata();
    if (!m.width || !m.height) throw new Error('no dimensions');
    return { width: m.width, height: m.height };
  } catch (e) {
    throw inputError('image-unreadable', `cannot read image ${path}: ${(e as Error).message}`, { file: path, cause: e });
  }
}
