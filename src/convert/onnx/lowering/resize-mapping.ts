/**
 * Exact mapping of ONNX Resize semantics onto TFLite's RESIZE_BILINEAR / RESIZE_NEAREST_NEIGHBOR
 * flags (align_corners, half_pixel_centers), or a reason why there is none.
 *
 * ONNX (Operators.md, Resize): x_orig from x_resized by coordinate_transformation_mode, with
 * scale = out/in (we only accept scales where in·scale is exactly the output size):
 *   half_pixel            (x + ½)/scale − ½
 *   pytorch_half_pixel    out > 1 ? (x + ½)/scale − ½ : 0
 *   align_corners         out > 1 ? x·(in − 1)/(out − 1) : 0
 *   asymmetric            x/scale
 *   tf_half_pixel_for_nn  (x + ½)/scale
 *   half_pixel_symmetric  = half_pixel when in·scale is an integer (offset term vanishes)
 * linear clamps x_orig to [0, in−1]; nearest rounds by nearest_mode then clamps.
 *
 * TFLite (kernels/internal/reference resize_bilinear / resize_nearest_neighbor):
 *   scale_t = align_corners && out > 1 ? (in−1)/(out−1) : in/out   (float32)
 *   bilinear: y = half_pixel_centers ? (x + ½)·scale_t − ½ : x·scale_t; y0 = max(floor y, 0),
 *             y1 = min(ceil y, in−1) — identical to ONNX linear with its clamp.
 *   nearest:  idx = min(align_corners ? round_half_away((x + off)·scale_t) : floor((x + off)·scale_t), in−1),
 *             off = half_pixel_centers ? ½ : 0, then max(idx, 0) when half_pixel_centers.
 *
 * Linear: half_pixel (and pytorch_half_pixel with every out > 1, half_pixel_symmetric) ↔ hpc;
 * align_corners ↔ ac; asymmetric ↔ neither. Nearest: the pixel chosen is an integer function of
 * (x, in, out), so for the model's static sizes we compute ONNX's index exactly (rationals) and
 * TFLite's index (float32 arithmetic emulated) for every output coordinate and pick flags that
 * agree everywhere — bit-exact by construction, or rejected.
 */
import { internalError } from '../../../core/errors.js';

export type ResizeOp = 'RESIZE_BILINEAR' | 'RESIZE_NEAREST_NEIGHBOR';
export interface ResizeFlags {
  op: ResizeOp;
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

const ACCEPTED_LINEAR = new Set(['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'half_pixel_symmetric']);

/** Flags for linear, or a reason string. `inHW`/`outHW`: spatial sizes. */
export function mapLinear(mode: string, inHW: number[], outHW: number[]): ResizeFlags | string {
  const why = resizeModeReason('linear', mode, '');
  if (why) return why;
  if (mode === 'pytorch_half_pixel' && outHW.some((o) => o === 1)) {
    return `coordinate_transformation_mode='pytorch_half_pixel' with an output size of 1 samples x=0, TFLite samples the centre`;
  }
  void inHW;
  if (mode === 'align_corners') return { op: 'RESIZE_BILINEAR', alignCorners: true, halfPixelCenters: false };
  if (mode === 'asymmetric') return { op: 'RESIZE_BILINEAR', alignCorners: false, halfPixelCenters: false };
  return { op: 'RESIZE_BILINEAR', alignCorners: false, halfPixelCenters: true };
}

function floorDiv(p: number, q: number): number {
  return Math.floor(p / q);
}

/** ONNX nearest source index, exact rational arithmetic. */
export function onnxNearestIndex(x: number, inL: number, outL: number, mode: string, nearest: string): number {
  let p: number;
  let q: number;
  switch (mode) {
    case 'half_pixel':
    case 'half_pixel_symmetric':
      [p, q] = [(2 * x + 1) * inL - outL, 2 * outL];
      break;
    case 'pytorch_half_pixel':
      [p, q] = outL > 1 ? [(2 * x + 1) * inL - outL, 2 * outL] : [0, 1];
      break;
    case 'align_corners':
      [p, q] = outL > 1 ? [x * (inL - 1), outL - 1] : [0, 1];
      break;
    case 'asymmetric':
      [p, q] = [x * inL, outL];
      break;
    case 'tf_half_pixel_for_nn':
      [p, q] = [(2 * x + 1) * inL, 2 * outL];
      break;
    default:
      throw internalError(`no nearest index for mode ${mode}`);
  }
  let i: number;
  switch (nearest) {
    case 'floor':
      i = floorDiv(p, q);
      break;
    case 'ceil':
      i = -floorDiv(-p, q);
      break;
    case 'round_prefer_floor': // ceil(v − ½)
      i = -floorDiv(-(2 * p - q), 2 * q);
      break;
    case 'round_prefer_ceil': // floor(v + ½)
      i = floorDiv(2 * p + q, 2 * q);
      break;
    default:
      throw internalError(`unknown nearest_mode ${nearest}`);
  }
  return Math.min(Math.max(i, 0), inL - 1);
}

/** TFLite's nearest source index with its float32 arithmetic. */
export function tfliteNearestIndex(x: number, inL: number, outL: number, alignCorners: boolean, halfPixel: boolean): number {
  const f = Math.fround;
  const scale = f(alignCorners && outL > 1 ? (inL - 1) / (outL - 1) : inL / outL);
  const v = f(f(x + (halfPixel ? 0.5 : 0)) * scale);
  let i = alignCorners ? Math.sign(v) * Math.round(Math.abs(v)) : Math.floor(v);
  i = Math.min(i, inL - 1);
  if (halfPixel) i = Math.max(0, i);
  return i;
}

const ACCEPTED_NEAREST_MODES = new Set(['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn', 'half_pixel_symmetric']);
const NEAREST_ROUNDING = new Set(['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil']);
const CANDIDATES: Array<[boolean, boolean]> = [
  [false, false],
  [false, true],
  [true, false],
];

export function mapNearest(mode: string, nearest: string, inHW: number[], outHW: number[]): ResizeFlags | string {
  const why = resizeModeReason('nearest', mode, nearest);
  if (why) return why;
  for (const [ac, hp] of CANDIDATES) {
    let ok = true;
    for (let a = 0; a < inHW.length && ok; a++) {
      for (let x = 0; x < outHW[a]! && ok; x++) {
        ok = onnxNearestIndex(x, inHW[a]!, outHW[a]!, mode, nearest) === tfliteNearestIndex(x, inHW[a]!, outHW[a]!, ac, hp);
      }
    }
    if (ok) return { op: 'RESIZE_NEAREST_NEIGHBOR', alignCorners: ac, halfPixelCenters: hp };
  }
  return `coordinate_transformation_mode='${mode}' with nearest_mode='${nearest}' for ${inHW.join('x')} → ${outHW.join('x')} picks pixels no TFLite align_corners/half_pixel_centers setting reproduces`;
}

/**
 * Why ONNX `mode` with this coordinate_transformation_mode / nearest_mode has no TFLite equivalent at
 * any size, or undefined (the size-dependent part is mapLinear / mapNearest).
 */
export function resizeModeReason(mode: string, coord: string, nearest: string): string | undefined {
  if (mode === 'linear') {
    return ACCEPTED_LINEAR.has(coord) ? undefined : `coordinate_transformation_mode='${coord}' with mode=linear: TFLite's RESIZE_BILINEAR has no such coordinate mapping`;
  }
  if (mode === 'nearest') {
    if (!ACCEPTED_NEAREST_MODES.has(coord)) return `coordinate_transformation_mode='${coord}' with mode=nearest has no TFLite equivalent`;
    if (!NEAREST_ROUNDING.has(nearest)) return `nearest_mode='${nearest}' is not an ONNX value`;
    return undefined;
  }
  if (mode === 'cubic') return "mode='cubic': TFLite has no bicubic resize";
  return `mode='${mode}' is not supported`;
}
