/**
 * Between images and model tensors: an image input's layout and size from the
 * model's declared input shape, FloatImage → NHWC/NCHW float32 tensor, and an
 * output tensor → FloatImage.
 */
import { inputError, internalError } from '../core/errors.js';
import { nchwToNhwc, nhwcToNchw } from '../core/layout.js';
import { makeImage, type FloatImage } from './image.js';

export type ImageLayout = 'NHWC' | 'NCHW';

export interface ImageInputSpec {
  layout: ImageLayout;
  width: number;
  height: number;
  channels: number;
  shape: number[];
}

/**
 * Reads a rank-4 image input shape: [1,C,H,W] with C ∈ {1,3} and W ∉ {1,3} is
 * NCHW (ONNX), [1,H,W,C] is NHWC (TFLite). `prefer` breaks the tie of shapes
 * that read both ways (e.g. [1,3,3,3]).
 */
export function imageInputSpec(shape: readonly number[], what: string, prefer: ImageLayout = 'NHWC'): ImageInputSpec {
  if (shape.length !== 4 || shape.slice(1).some((d) => !(d > 0))) {
    throw inputError('unsupported-input', `${what}: expected a static image input [1,H,W,C] or [1,C,H,W], got [${shape.join(',')}]`, {
      hint: 'models with dynamic input sizes need a fixed size first (e.g. mai convert --input-shape)',
    });
  }
  const [, a, b, c] = shape as [number, number, number, number];
  const nchw = (a === 1 || a === 3) && !(c === 1 || c === 3);
  const nhwc = (c === 1 || c === 3) && !(a === 1 || a === 3);
  const layout: ImageLayout = nchw ? 'NCHW' : nhwc ? 'NHWC' : (c === 1 || c === 3) && (a === 1 || a === 3) ? prefer : 'NHWC';
  if (layout === 'NHWC' && !(c === 1 || c === 3)) throw inputError('unsupported-input', `${what}: input [${shape.join(',')}] is not an image with 1 or 3 channels`);
  return layout === 'NCHW' ? { layout, channels: a, height: b, width: c, shape: [...shape] } : { layout, height: a, width: b, channels: c, shape: [...shape] };
}

export interface ScaleOptions {
  /** value = (pixel − mean[c]) / std[c] with pixel in [0, 1]; default mean 0, std 1 (plain [0, 1]) */
  mean?: number[];
  std?: number[];
}

/** A decoded image (already at the model's size) as the model's float32 input tensor. */
export function toModelInput(img: FloatImage, spec: ImageInputSpec, scale: ScaleOptions = {}): Float32Array {
  if (img.width !== spec.width || img.height !== spec.height || img.channels !== spec.channels) {
    throw internalError(`image ${img.width}×${img.height}×${img.channels} does not match the model input ${spec.width}×${spec.height}×${spec.channels}`);
  }
  let nhwc = img.data;
  if (scale.mean || scale.std) {
    nhwc = new Float32Array(img.data.length);
    for (let i = 0; i < nhwc.length; i++) {
      const c = i % img.channels;
      nhwc[i] = (img.data[i]! - (scale.mean?.[c] ?? 0)) / (scale.std?.[c] ?? 1);
    }
  } else nhwc = Float32Array.from(img.data);
  return spec.layout === 'NCHW' ? nhwcToNchw(nhwc, [1, spec.height, spec.width, spec.channels]) : nhwc;
}

/**
 * A model output tensor as an image: [1,H,W,C] / [1,C,H,W] (decided like the
 * input: `layout` of the model's input unless the shape says otherwise),
 * [1,H,W] or [H,W] as one channel.
 */
export function fromModelOutput(data: ArrayLike<number>, shape: readonly number[], layout: ImageLayout, what: string): FloatImage {
  const f32 = data instanceof Float32Array ? data : Float32Array.from(data);
  const dims = shape.length === 4 ? shape : shape.length === 3 ? [1, shape[1]!, shape[2]!, 1] : shape.length === 2 ? [1, shape[0]!, shape[1]!, 1] : undefined;
  if (!dims || dims[0] !== 1) throw inputError('unsupported-output', `${what}: cannot read output of shape [${shape.join(',')}] as an image`);
  let l = layout;
  if (shape.length === 4) {
    const [, a, , c] = dims as [number, number, number, number];
    if ((c === 1 || c === 3) && !(a === 1 || a === 3)) l = 'NHWC';
    else if ((a === 1 || a === 3) && !(c === 1 || c === 3)) l = 'NCHW';
  } else l = 'NHWC';
  if (l === 'NCHW') {
    const [, c, h, w] = dims as [number, number, number, number];
    return makeImage(w, h, c, nchwToNhwc(f32, [1, c, h, w]));
  }
  const [, h, w, c] = dims as [number, number, number, number];
  return makeImage(w, h, c, Float32Array.from(f32));
}
