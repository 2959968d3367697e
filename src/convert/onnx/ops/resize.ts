/**
 * Resize (opsets 10, 11, 13, 18+) and Upsample (7, 9) on 4-D tensors over H and W; each version with
 * its own modes and scales is a table row (UPSAMPLE_7, UPSAMPLE_9 = Resize 10, RESIZE_11). Where TFLite's
 * RESIZE_BILINEAR / RESIZE_NEAREST_NEIGHBOR reproduce ONNX exactly (flags from resize-mapping.ts) they
 * are emitted; every other mode — cubic, tf_crop_and_resize, antialias, exclude_outside,
 * keep_aspect_ratio_policy, scales whose product with the input size is not whole, nearest
 * combinations no flag pair reproduces — is computed exactly as two constant weight matrices
 * (resize-weights.ts) applied with FULLY_CONNECTED over W and H (TRANSPOSE brings each axis last).
 * Scales, sizes and roi must be constant.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { mapLinear, mapNearest, resizeModeReason, type ResizeFlags } from '../lowering/resize-mapping.js';
import { axisWeights, isIdentity, type AxisResize, type AxisWeights } from '../lowering/resize-weights.js';

interface ResizeModes {
  legacy: boolean;
  mode: string;
  coord: string;
  nearest: string;
}

/** How a Resize / Upsample version reads its modes; a legacy one also its scales (else `plan` reads roi / scales / sizes). */
export interface ResizeVersion {
  modes(node: OnnxNode): ResizeModes;
  /** Legacy scales, undefined when input 1 is unknown here. */
  legacyScales?(ctx: ImportContext, node: OnnxNode): number[] | undefined;
}

function legacyModes(node: OnnxNode): ResizeModes {
  const mode = node.string('mode', 'nearest');
  return { legacy: true, mode: mode === 'bilinear' ? 'linear' : mode, coord: 'asymmetric', nearest: 'floor' };
}

/** Upsample 7–8: scales is an attribute. */
export const UPSAMPLE_7: ResizeVersion = {
  modes: legacyModes,
  legacyScales: (ctx, node) => node.floats('scales') ?? ctx.fail('requires-constant-input', 'Upsample scales attribute is missing'),
};

/** Upsample 9 and Resize 10: scales is input 1. */
export const UPSAMPLE_9: ResizeVersion = {
  modes: legacyModes,
  legacyScales: (ctx, node) => {
    const name = node.input(1);
    if (name && !ctx.has(name)) return undefined;
    const s = ctx.constFloat32(name) ?? ctx.fail('requires-constant-input', `${node.opType} scales (input '${name}') must be a constant`);
    return Array.from(s);
  },
};

/** Resize 11+: coordinate transformation and nearest modes; roi / scales / sizes inputs. */
export const RESIZE_11: ResizeVersion = {
  modes: (node) => ({ legacy: false, mode: node.string('mode', 'nearest'), coord: node.string('coordinate_transformation_mode', 'half_pixel'), nearest: node.string('nearest_mode', 'round_prefer_floor') }),
};

const MODES = new Set(['nearest', 'linear', 'cubic']);
const COORDS = new Set(['half_pixel', 'half_pixel_symmetric', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_crop_and_resize', 'tf_half_pixel_for_nn']);
const NEAREST = new Set(['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil']);

/** Shape-independent checks: attribute values ONNX defines, constant scales/sizes/roi. */
export const checkResize = (v: ResizeVersion) => (ctx: ImportContext, node: OnnxNode): void => {
  const { legacy, mode, coord, nearest } = v.modes(node);
  if (!MODES.has(mode)) ctx.fail('unsupported-attribute', `mode='${mode}' is not an ONNX Resize mode`);
  if (legacy) {
    if (mode === 'cubic') ctx.fail('unsupported-attribute', `${node.opType} has no cubic mode`);
    v.legacyScales!(ctx, node);
    return;
  }
  if (!COORDS.has(coord)) ctx.fail('unsupported-attribute', `coordinate_transformation_mode='${coord}' is not an ONNX value`);
  if (mode === 'nearest' && !NEAREST.has(nearest)) ctx.fail('unsupported-attribute', `nearest_mode='${nearest}' is not an ONNX value`);
  if (mode === 'linear' && coord === 'tf_half_pixel_for_nn') ctx.fail('unsupported-attribute', "coordinate_transformation_mode='tf_half_pixel_for_nn' is defined for nearest only");
  const policy = node.string('keep_aspect_ratio_policy', 'stretch');
  if (!['stretch', 'not_larger', 'not_smaller'].includes(policy)) ctx.fail('unsupported-attribute', `keep_aspect_ratio_policy='${policy}' is not an ONNX value`);
  for (const [i, what] of [[1, 'roi'], [2, 'scales'], [3, 'sizes']] as const) {
    const name = node.input(i);
    if (ctx.isRuntime(name) && (what !== 'roi' || coord === 'tf_crop_and_resize')) ctx.fail('requires-constant-input', `Resize ${what} (input '${name}') must be a constant`);
  }
};

interface ResizePlan {
  outShape: number[];
  /** Per-axis scale used by the coordinate mapping. */
  scales: number[];
  /** Scales whose product with the input size is exactly the output size (TFLite's in/out mapping agrees). */
  exact: boolean;
  roi: Array<[number, number]>;
}

/** Output shape and per-axis scales as ONNX computes them (sizes, scales, axes, keep_aspect_ratio_policy). */
function plan(ctx: ImportContext, node: OnnxNode, xs: number[], v: ResizeVersion): ResizePlan {
  const rank = xs.length;
  const full = xs.map((): [number, number] => [0, 1]);
  if (v.legacyScales) {
    const scales = v.legacyScales(ctx, node)!.map((s) => Math.fround(s));
    if (scales.length !== rank) ctx.fail('unsupported-attribute', `scales has ${scales.length} values for a rank-${rank} input`);
    const outShape = xs.map((d, i) => Math.floor(d * scales[i]!));
    return { outShape, scales, exact: xs.every((d, i) => Number.isInteger(d * scales[i]!)), roi: full };
  }
  const axes = node.ints('axes')?.map((a) => (a < 0 ? a + rank : a)) ?? xs.map((_, i) => i);
  const roiVals = node.input(1) ? ctx.constFloat32(node.input(1)) : undefined;
  const roi = full.map((r): [number, number] => [...r]);
  if (roiVals && roiVals.length) {
    if (roiVals.length !== 2 * axes.length) ctx.fail('unsupported-attribute', `roi has ${roiVals.length} values, expected ${2 * axes.length}`);
    axes.forEach((a, j) => (roi[a] = [roiVals[j]!, roiVals[j + axes.length]!]));
  }
  const sizes = node.input(3) ? ctx.constNumbers(node.input(3)) : undefined;
  const given = node.input(2) ? ctx.constFloat32(node.input(2)) : undefined;
  const scales = xs.map(() => 1);
  const outShape = [...xs];
  if (sizes && sizes.length) {
    if (sizes.length !== axes.length) ctx.fail('unsupported-attribute', `sizes has ${sizes.length} values for ${axes.length} axes`);
    axes.forEach((a, j) => (scales[a] = sizes[j]! / xs[a]!));
    const policy = node.string('keep_aspect_ratio_policy', 'stretch');
    if (policy !== 'stretch') {
      const picked = axes.map((a) => scales[a]!);
      const s = policy === 'not_larger' ? Math.min(...picked) : Math.max(...picked);
      for (const a of axes) {
        scales[a] = s;
        outShape[a] = Math.floor(s * xs[a]! + 0.5);
      }
    } else axes.forEach((a, j) => (outShape[a] = sizes[j]!));
    return { outShape, scales, exact: axes.every((a) => scales[a]! * xs[a]! === outShape[a]), roi };
  }
  if (!given || !given.length) ctx.fail('requires-constant-input', 'Resize needs constant scales or sizes');
  if (given.length !== axes.length) ctx.fail('unsupported-attribute', `scales has ${given.length} values for ${axes.length} axes`);
  axes.forEach((a, j) => {
    scales[a] = given[j]!;
    outShape[a] = Math.floor(xs[a]! * given[j]!);
  });
  return { outShape, scales, exact: xs.every((d, i) => d * scales[i]! === outShape[i]), roi };
}

/** TFLite flags reproducing this resize exactly, or why there are none. */
function nativeFlags(node: OnnxNode, m: ResizeModes, p: ResizePlan, inHW: number[], outHW: number[]): ResizeFlags | string {
  if (!p.exact) return 'the scales are not out/in (TFLite computes coordinates with in/out)';
  if (!m.legacy) {
    if (node.int('antialias', 0) !== 0 && outHW.some((o, i) => o < inHW[i]!)) return 'antialias when downscaling';
    if (node.string('keep_aspect_ratio_policy', 'stretch') !== 'stretch') return 'keep_aspect_ratio_policy';
  }
  const why = resizeModeReason(m.mode, m.coord, m.nearest);
  if (why) return why;
  return m.mode === 'linear' ? mapLinear(m.coord, inHW, outHW) : mapNearest(m.coord, m.nearest, inHW, outHW);
}

/** Runs after checkResize (the op table's check). */
export const resize = (v: ResizeVersion) => (ctx: ImportContext, node: OnnxNode): void => {
  const x = node.input(0);
  const xs = ctx.shape(x);
  if (xs.length !== 4) ctx.fail('unsupported-attribute', `only 4-D Resize is supported; input has rank ${xs.length}`);
  const m = v.modes(node);
  const p = plan(ctx, node, xs, v);
  const outShape = p.outShape;
  if (outShape.some((d) => d < 1)) ctx.fail('unsupported-attribute', `Resize output shape [${outShape}] has an empty axis`);
  const inHW = [xs[2]!, xs[3]!];
  const outHW = [outShape[2]!, outShape[3]!];
  // An axis kept at its size with scale 1 is not resized (onnxruntime copies it; under
  // tf_half_pixel_for_nn the reference formula would shift it by half a sample).
  const weights = xs.map((d, i) => (d === outShape[i] && p.scales[i] === 1 && i < 2 ? identityWeights(d) : axisWeights(axisResize(node, m, p, d, i))));
  for (const i of [0, 1]) {
    if (!isIdentity(weights[i]!, xs[i]!, outShape[i]!)) ctx.fail('unsupported-attribute', `Resize of the batch or channel axis ([${xs}] → [${outShape}]) is not supported; only H and W`);
  }
  const flags = nativeFlags(node, m, p, inHW, outHW);
  const input = ctx.nhwc(x);
  const out = ctx.define(node.outputs[0]!, ctx.dtype(x), outShape, 'NHWC');
  if (typeof flags !== 'string') {
    ctx.emit(flags.op, [input, ctx.int32Const(`${node.name}_size`, outHW)], [out], { alignCorners: flags.alignCorners, halfPixelCenters: flags.halfPixelCenters });
    return;
  }
  if (ctx.dtype(x) !== 'float32') ctx.fail('unsupported-dtype', `Resize on ${ctx.dtype(x)} needs TFLite's RESIZE flags, which cannot express it (${flags})`);
  emitMatrixResize(ctx, node.name, input, out, xs, outShape, weights[2]!, weights[3]!, node.float('extrapolation_value', 0));
};

function identityWeights(n: number): AxisWeights {
  const weights = new Float64Array(n * n);
  for (let i = 0; i < n; i++) weights[i * n + i] = 1;
  return { weights, inside: new Array<boolean>(n).fill(true) };
}

function axisResize(node: OnnxNode, m: ResizeModes, p: ResizePlan, inLen: number, axis: number): AxisResize {
  return {
    inLen,
    outLen: p.outShape[axis]!,
    scale: p.scales[axis]!,
    coord: m.coord,
    mode: m.mode as AxisResize['mode'],
    nearest: m.nearest,
    cubicA: m.legacy ? -0.75 : node.float('cubic_coeff_a', -0.75),
    excludeOutside: !m.legacy && node.int('exclude_outside', 0) !== 0,
    antialias: !m.legacy && node.int('antialias', 0) !== 0,
    roi: p.roi[axis]!,
  };
}

/**
 * x [N,H,W,C] → TRANSPOSE [N,H,C,W] → FC(Ww) → [N,H,C,W'] → TRANSPOSE [N,W',C,H] → FC(Wh) →
 * [N,W',C,H'] → TRANSPOSE [N,H',W',C]; an identity axis skips its FC. tf_crop_and_resize samples
 * outside the input get the extrapolation value (zero rows in the weights, plus a constant ADD).
 */
function emitMatrixResize(ctx: ImportContext, base: string, input: string, out: string, xs: number[], os: number[], wh: AxisWeights, ww: AxisWeights, extrapolation: number): void {
  const [n, c, h, w] = xs as [number, number, number, number];
  const [h2, w2] = [os[2]!, os[3]!];
  const doW = !isIdentity(ww, w, w2);
  const doH = !isIdentity(wh, h, h2);
  const outside = wh.inside.some((v) => !v) || ww.inside.some((v) => !v);
  const transpose = (src: string, perm: number[], shape: number[], dst?: string): string => {
    const t = dst ?? ctx.newTensor(`${base}_t`, 'float32', shape, 'plain');
    ctx.emit('TRANSPOSE', [src, ctx.int32Const(`${base}_perm`, perm)], [t]);
    return t;
  };
  const fc = (src: string, weights: Float64Array, outLen: number, inLen: number, shape: number[]): string => {
    const t = ctx.newTensor(`${base}_fc`, 'float32', shape, 'plain');
    const wt = ctx.float32Const(`${base}_weights`, Float32Array.from(weights), [outLen, inLen]);
    const bias = ctx.float32Const(`${base}_bias`, new Float32Array(outLen), [outLen]);
    ctx.emit('FULLY_CONNECTED', [src, wt, bias], [t], { activation: 'NONE', keepNumDims: true });
    return t;
  };
  const product = outside && extrapolation !== 0 ? ctx.newTensor(`${base}_resized`, 'float32', [n, h2, w2, c], 'NHWC') : out;
  let cur = input;
  if (doW) {
    cur = transpose(cur, [0, 1, 3, 2], [n, h, c, w]);
    cur = fc(cur, ww.weights, w2, w, [n, h, c, w2]);
    if (doH) {
      cur = transpose(cur, [0, 3, 2, 1], [n, w2, c, h]);
      cur = fc(cur, wh.weights, h2, h, [n, w2, c, h2]);
      transpose(cur, [0, 3, 1, 2], [n, h2, w2, c], product);
    } else transpose(cur, [0, 1, 3, 2], [n, h2, w2, c], product);
  } else if (doH) {
    cur = transpose(cur, [0, 2, 3, 1], [n, w, c, h]);
    cur = fc(cur, wh.weights, h2, h, [n, w2, c, h2]);
    transpose(cur, [0, 3, 1, 2], [n, h2, w2, c], product);
  } else {
    ctx.emit('RESHAPE', [cur, ctx.int32Const(`${base}_shape`, [n, h2, w2, c])], [product], { newShape: [n, h2, w2, c] });
  }
  if (product !== out) {
    const e = new Float32Array(h2 * w2);
    for (let i = 0; i < h2; i++) for (let j = 0; j < w2; j++) e[i * w2 + j] = wh.inside[i] && ww.inside[j] ? 0 : extrapolation;
    ctx.emit('ADD', [product, ctx.float32Const(`${base}_extrapolation`, e, [1, h2, w2, 1])], [out], { activation: 'NONE' });
  }
}
