/**
 * One image file → one model input tensor, as a `Preprocess` declares it:
 * crop (source pixels) → resize (stretch | fit + pad | cover + centre crop,
 * sharp, lanczos3) → [0, 1] → RGB/BGR → (x − mean) / std or [lo, hi] →
 * NHWC or NCHW. The model's input shape gives the size and the layout.
 */
import sharp from 'sharp';
import { inputError, internalError } from '../../core/errors.js';
import { readInputFile } from '../../core/read-input.js';
import { imageInputSpec, toModelInput, type ImageInputSpec } from '../../data/preprocess.js';
import { makeImage, type FloatImage } from '../../data/image.js';
import type { Preprocess } from './preprocess-config.js';

/** The size, channels and layout an image input takes, from its shape (or the declared layout). */
export function imageSpecFor(shape: readonly number[], what: string, pre: Preprocess): ImageInputSpec {
  const spec = imageInputSpec(shape, what, pre.layout === 'NCHW' ? 'NCHW' : 'NHWC');
  if (pre.layout === 'auto' || spec.layout === pre.layout) return spec;
  // the declared layout overrides what the shape suggests
  const [, a, b, c] = shape as [number, number, number, number];
  if (pre.layout === 'NCHW') return { layout: 'NCHW', channels: a, height: b, width: c, shape: [...shape] };
  return { layout: 'NHWC', height: a, width: b, channels: c, shape: [...shape] };
}

/** Decode, crop and resize an encoded image to exactly spec's size, values in [0, 1]. */
export async function decodeForModel(bytes: Uint8Array, file: string, spec: ImageInputSpec, pre: Preprocess): Promise<FloatImage> {
  const channels = spec.channels;
  if (channels !== 1 && channels !== 3) throw inputError('unsupported-input', `model input takes ${channels} channels; images give 1 or 3`, { file });
  try {
    let p = sharp(bytes, { failOn: 'error' });
    if (pre.crop) {
      const m = await sharp(bytes).metadata();
      const { x, y, width, height } = pre.crop;
      if (!m.width || !m.height || x + width > m.width || y + height > m.height) {
        throw inputError('preprocess-crop', `crop [${x}, ${y}, ${width}, ${height}] does not fit inside ${file} (${m.width}×${m.height})`, { file });
      }
      p = p.extract({ left: x, top: y, width, height });
    }
    const pad = Math.round(Math.min(Math.max(pre.padValue, 0), 1) * 255);
    const fit = pre.resize === 'stretch' ? 'fill' : pre.resize === 'fit' ? 'contain' : 'cover';
    p = p.resize(spec.width, spec.height, { fit, position: 'centre', kernel: 'lanczos3', background: { r: pad, g: pad, b: pad, alpha: 1 } });
    p = channels === 1 ? p.removeAlpha().greyscale().extractChannel(0) : p.toColourspace('srgb').removeAlpha();
    const { data, info } = await p.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== channels || info.width !== spec.width || info.height !== spec.height) {
      throw internalError(`decoded ${info.width}×${info.height}×${info.channels}, expected ${spec.width}×${spec.height}×${channels}`);
    }
    const img = makeImage(info.width, info.height, channels);
    for (let i = 0; i < img.data.length; i++) img.data[i] = data[i]! / 255;
    return img;
  } catch (e) {
    if ((e as { code?: string }).code === 'preprocess-crop') throw e;
    throw inputError('image-unreadable', `cannot decode image ${file}: ${(e as Error).message}`, { file, cause: e });
  }
}

/** A decoded [0, 1] image → the model's float32 input (channel order, scaling, layout). */
export function imageToInput(img: FloatImage, spec: ImageInputSpec, pre: Preprocess): Float32Array {
  let src = img;
  if (pre.channels === 'bgr' && img.channels === 3) {
    src = makeImage(img.width, img.height, 3);
    for (let i = 0; i < img.data.length; i += 3) {
      src.data[i] = img.data[i + 2]!;
      src.data[i + 1] = img.data[i + 1]!;
      src.data[i + 2] = img.data[i]!;
    }
  }
  let mean = pre.mean;
  let std = pre.std;
  if (pre.range) {
    // lo + x·(hi − lo) = (x − mean) / std with mean = −lo/(hi − lo), std = 1/(hi − lo)
    const [lo, hi] = pre.range;
    mean = [-lo / (hi - lo)];
    std = [1 / (hi - lo)];
  }
  const expand = (v: number[] | undefined) => (v && v.length === 1 ? Array(img.channels).fill(v[0]) : v);
  mean = expand(mean);
  std = expand(std);
  for (const [name, v] of [['mean', mean], ['std', std]] as const) {
    if (v && v.length !== img.channels) throw inputError('preprocess-invalid', `${name} has ${v.length} values, the model input has ${img.channels} channels`);
  }
  return toModelInput(src, spec, { mean, std });
}

/** Read, decode and preprocess one image file into a model input. */
export async function imageFileToInput(file: string, spec: ImageInputSpec, pre: Preprocess): Promise<Float32Array> {
  const bytes = await readInputFile(file, 'image');
  return imageToInput(await decodeForModel(bytes, file, spec, pre), spec, pre);
}
