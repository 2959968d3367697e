/**
 * ONNX Resize along one axis as an explicit weight matrix: out[x] = Σ_i W[x][i] · in[i] (+ the
 * extrapolation value where tf_crop_and_resize samples outside the input). Every ONNX mode reduces
 * to this — nearest, linear and cubic, each coordinate_transformation_mode, exclude_outside,
 * antialias, non-integer scales — because Resize is separable and linear per axis.
 *
 * Follows the ONNX specification's reference interpolation (Operators.md, Resize; the reference
 * implementation's 1-D step): x_original from the coordinate mode, ratio = x_original − ⌊x_original⌋
 * (1 when x_original is whole), coefficients from the mode, and the n nearest samples of the input
 * padded by ⌈n/2⌉ in edge mode (ties prefer the lower index), so edge clamping is part of the weights.
 */
import { internalError } from '../../../core/errors.js';

export interface AxisResize {
  inLen: number;
  outLen: number;
  /** The scale the coordinate mapping uses: the given scale, or out/in when sizes were given. */
  scale: number;
  coord: string;
  mode: 'nearest' | 'linear' | 'cubic';
  nearest: string;
  cubicA: number;
  excludeOutside: boolean;
  antialias: boolean;
  /** tf_crop_and_resize region [start, end] in normalized coordinates. */
  roi: [number, number];
}

export interface AxisWeights {
  /** Row-major [outLen, inLen]. */
  weights: Float64Array;
  /** Output positions sampled inside the input (false only for tf_crop_and_resize outside the roi). */
  inside: boolean[];
}

function nearestCoeffs(ratio: number, whole: boolean, mode: string): number[] {
  if (whole) return [0, 1];
  switch (mode) {
    case 'round_prefer_floor':
      return ratio <= 0.5 ? [1, 0] : [0, 1];
    case 'round_prefer_ceil':
      return ratio < 0.5 ? [1, 0] : [0, 1];
    case 'floor':
      return [1, 0];
    case 'ceil':
      return [0, 1];
    default:
      throw internalError(`unknown nearest_mode '${mode}'`);
  }
}

function linearCoeffs(ratio: number, scale: number, antialias: boolean): number[] {
  if (!antialias) return [1 - ratio, ratio];
  const s = Math.min(scale, 1);
  const start = Math.floor(-1 / s) + 1;
  const footprint = 2 - 2 * start;
  const c: number[] = [];
  for (let i = start; i < start + footprint; i++) c.push(Math.min(1, Math.max(0, 1 - Math.abs((i - ratio) * s))));
  const sum = c.reduce((a, b) => a + b, 0);
  return c.map((v) => v / sum);
}

function cubicCoeffs(ratio: number, scale: number, A: number, antialias: boolean): number[] {
  if (!antialias) {
    const r1 = ratio + 1;
    const q = 1 - ratio;
    const q1 = q + 1;
    return [
      ((A * r1 - 5 * A) * r1 + 8 * A) * r1 - 4 * A,
      ((A + 2) * ratio - (A + 3)) * ratio * ratio + 1,
      ((A + 2) * q - (A + 3)) * q * q + 1,
      ((A * q1 - 5 * A) * q1 + 8 * A) * q1 - 4 * A,
    ];
  }
  const s = Math.min(scale, 1);
  const k = (x: number): number => {
    const a = Math.abs(x);
    if (a <= 1) return (A + 2) * a ** 3 - (A + 3) * a * a + 1;
    if (a < 2) return A * a ** 3 - 5 * A * a * a + 8 * A * a - 4 * A;
    return 0;
  };
  const start = Math.floor(-2 / s) + 1;
  const end = 2 - start;
  const c: number[] = [];
  for (let i = start; i < end; i++) c.push(k(s * (i - ratio)));
  const sum = c.reduce((a, b) => a + b, 0);
  return c.map((v) => v / sum);
}

/** The n indexes of [0, limit) nearest to x, ties to the lower, ascending. */
function neighbourIndexes(x: number, n: number, limit: number): number[] {
  const idx = Array.from({ length: limit }, (_, i) => i);
  idx.sort((a, b) => Math.abs(x - a) - Math.abs(x - b) || a - b);
  return idx.slice(0, n).sort((a, b) => a - b);
}

/** x_original for output coordinate x, or undefined when tf_crop_and_resize samples outside the input. */
function originalCoordinate(x: number, a: AxisResize): number | undefined {
  const outW = a.scale * a.inLen;
  switch (a.coord) {
    case 'align_corners':
      return outW === 1 ? 0 : (x * (a.inLen - 1)) / (outW - 1);
    case 'asymmetric':
      return x / a.scale;
    case 'tf_crop_and_resize': {
      const [s, e] = a.roi;
      let v = outW === 1 ? ((e - s) * (a.inLen - 1)) / 2 : (x * (e - s) * (a.inLen - 1)) / (outW - 1);
      v += s * (a.inLen - 1);
      return v < 0 || v > a.inLen - 1 ? undefined : v;
    }
    case 'pytorch_half_pixel':
      return outW === 1 ? -0.5 : (x + 0.5) / a.scale - 0.5;
    case 'half_pixel':
      return (x + 0.5) / a.scale - 0.5;
    case 'half_pixel_symmetric': {
      const adjustment = a.outLen / outW;
      const center = a.inLen / 2;
      return center * (1 - adjustment) + (x + 0.5) / a.scale - 0.5;
    }
    case 'tf_half_pixel_for_nn':
      return (x + 0.5) / a.scale;
    default:
      throw internalError(`unknown coordinate_transformation_mode '${a.coord}'`);
  }
}

export function axisWeights(a: AxisResize): AxisWeights {
  const weights = new Float64Array(a.outLen * a.inLen);
  const inside: boolean[] = [];
  for (let x = 0; x < a.outLen; x++) {
    const xo = originalCoordinate(x, a);
    if (xo === undefined) {
      inside.push(false);
      continue;
    }
    inside.push(true);
    const whole = Number.isInteger(xo);
    const ratio = whole ? 1 : xo - Math.floor(xo);
    let coeffs =
      a.mode === 'nearest' ? nearestCoeffs(ratio, whole, a.nearest) : a.mode === 'linear' ? linearCoeffs(ratio, a.scale, a.antialias) : cubicCoeffs(ratio, a.scale, a.cubicA, a.antialias);
    const pad = Math.ceil(coeffs.length / 2);
    const idx = neighbourIndexes(xo + pad, coeffs.length, a.inLen + 2 * pad).map((i) => i - pad);
    if (a.excludeOutside) {
      coeffs = coeffs.map((c, k) => (idx[k]! < 0 || idx[k]! >= a.inLen ? 0 : c));
      const sum = coeffs.reduce((p, c) => p + c, 0);
      coeffs = coeffs.map((c) => c / sum);
    }
    coeffs.forEach((c, k) => {
      const src = Math.min(a.inLen - 1, Math.max(0, idx[k]!));
      weights[x * a.inLen + src] += c;
    });
  }
  return { weights, inside };
}

export function isIdentity(w: AxisWeights, inLen: number, outLen: number): boolean {
  if (inLen !== outLen || w.inside.some((v) => !v)) return false;
  for (let r = 0; r < outLen; r++) for (let c = 0; c < inLen; c++) if (w.weights[r * inLen + c] !== (r === c ? 1 : 0)) return false;
  return true;
}
