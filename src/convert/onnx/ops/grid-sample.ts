/**
 * GridSample (4-D; bilinear / linear and nearest; zeros / border / reflection padding; align_corners)
 * lowered to TFLite builtins, following onnxruntime's kernel step by step:
 * - the grid [N, Ho, Wo, 2] (x, y in [−1, 1]) is denormalized per component with its formula
 *   (((g + 1) / 2)·(S − 1) with align_corners, ((g + 1)·S − 1) / 2 without), then clamped to the
 *   image (border) or reflected into [lo, hi] (reflection: lo + R − |((p − lo) mod 2R) − R|, R = hi − lo,
 *   lo / hi = 0 / S − 1 with align_corners, −½ / S − ½ without);
 * - corners: FLOOR and +1 (bilinear, weights 1 − f and f per component, multiplied by REDUCE_PROD) or
 *   rounding half to even (nearest, as nearbyint: FLOOR, then +1 by comparing the fraction with ½ and
 *   FLOOR_MOD 2 for ties); each corner's coordinates are clamped into the image
 *   for the GATHER, and with zeros padding a corner outside it gets weight 0;
 * - the image is held NHWC as a [N·H·W, C] table; each corner is one GATHER of rows by the index
 *   n·H·W + y·W + x (1-D int32), so the result [N, Ho, Wo, C] is NHWC with no TRANSPOSE.
 * Every op is one the GPU delegate takes; there the pixel coordinates are fp16, exact to about 1/2048
 * of the image size (LiteRT's WebGPU delegate on 8×5 images: within 0.98 of the fp16 tolerance), so
 * large images sample with visibly shifted weights. bicubic / cubic and volumetric (5-D) inputs are refused.
 */
import type { Attrs } from '../../../ir/node.js';
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

const LINEAR = new Set(['bilinear', 'linear']);
const PADDINGS = new Set(['zeros', 'border', 'reflection']);
/** Largest index a float32 holds exactly: the flat pixel index is computed in float32. */
const EXACT_FLOAT_INDEX = 2 ** 24;

/** The mode attribute's default: 'bilinear' in opsets 16–19, 'linear' from 20 (same meaning). */
export type GridSampleDefaultMode = 'bilinear' | 'linear';

export const checkGridSample = (defaultMode: GridSampleDefaultMode) => (ctx: ImportContext, node: OnnxNode): void => {
  const mode = node.string('mode', defaultMode);
  if (mode === 'bicubic' || mode === 'cubic') ctx.fail('unsupported-attribute', `GridSample mode '${mode}' is not lowered (its 4×4 neighbourhood of weighted gathers has no TFLite equivalent here): use 'bilinear' / 'linear' or 'nearest'`);
  if (!LINEAR.has(mode) && mode !== 'nearest') ctx.fail('invalid-model', `GridSample mode '${mode}' is not an ONNX mode`);
  const padding = node.string('padding_mode', 'zeros');
  if (!PADDINGS.has(padding)) ctx.fail('invalid-model', `GridSample padding_mode '${padding}' is not an ONNX padding mode`);
};

export const gridSample = (defaultMode: GridSampleDefaultMode) => (ctx: ImportContext, node: OnnxNode): void => {
  const x = node.input(0);
  const grid = node.input(1);
  const xs = ctx.shape(x);
  const gs = ctx.shape(grid);
  if (xs.length !== 4) ctx.fail('unsupported-shape', `GridSample of the rank-${xs.length} input '${x}' [${xs}]: only 4-D (N, C, H, W) inputs are lowered`);
  const [n, c, h, w] = xs as [number, number, number, number];
  if (gs.length !== 4 || gs[0] !== n || gs[3] !== 2) ctx.fail('shape-mismatch', `GridSample grid '${grid}' [${gs}] must be [${n}, Ho, Wo, 2] for input [${xs}]`);
  const [, ho, wo] = gs as [number, number, number, number];
  if (ctx.dtype(x) !== 'float32' || ctx.dtype(grid) !== 'float32') ctx.fail('unsupported-dtype', `GridSample of ${ctx.dtype(x)} '${x}' with a ${ctx.dtype(grid)} grid: float inputs only`);
  if (n * h * w >= EXACT_FLOAT_INDEX) ctx.fail('unsupported-shape', `GridSample of '${x}' [${xs}]: ${n * h * w} pixels exceed the 2^24 a float32 index holds exactly`);
  const linear = LINEAR.has(node.string('mode', defaultMode));
  const padding = node.string('padding_mode', 'zeros');
  const align = node.int('align_corners', 0) === 1;

  let k = 0;
  const base = `${node.name}_grid_sample`;
  const op = (code: BuiltinOpName, ins: string[], shape: number[], attrs: Attrs = {}, dtype: 'float32' | 'int32' | 'bool' = 'float32'): string => {
    const t = ctx.newTensor(`${base}_${k++}`, dtype, shape, 'plain');
    ctx.emit(code, ins, [t], attrs);
    return t;
  };
  const vec = (v: number[]) => ctx.float32Const(`${base}_const${k++}`, Float32Array.from(v), [v.length]);
  const pts = [n, ho, wo, 2];
  const arith = (code: 'ADD' | 'SUB' | 'MUL', a: string, b: string) => op(code, [a, b], pts, { activation: 'NONE' });
  const clamp = (t: string, lo: number[], hi: number[]) => op('MINIMUM', [op('MAXIMUM', [t, vec(lo)], pts), vec(hi)], pts);

  // pixel coordinates of the sample points, per component (x: width, y: height)
  const size = [w, h];
  const g = ctx.nchw(grid);
  const plus1 = arith('ADD', g, vec([1, 1]));
  let p = align
    ? arith('MUL', arith('MUL', plus1, vec([0.5, 0.5])), vec(size.map((s) => s - 1)))
    : arith('MUL', arith('SUB', arith('MUL', plus1, vec(size)), vec([1, 1])), vec([0.5, 0.5]));
  const inImage = { lo: [0, 0], hi: size.map((s) => s - 1) };
  if (padding === 'border') p = clamp(p, inImage.lo, inImage.hi);
  if (padding === 'reflection') {
    const lo = align ? [0, 0] : [-0.5, -0.5];
    const hi = size.map((s) => (align ? s - 1 : s - 0.5));
    const range = hi.map((v, i) => v - lo[i]!);
    // a zero range (one pixel, align_corners) has its only value at lo: the clamp below gives it
    const period = op('FLOOR_MOD', [arith('SUB', p, vec(lo)), vec(range.map((r) => (r > 0 ? 2 * r : 1)))], pts);
    const folded = op('ABS', [arith('SUB', period, vec(range))], pts);
    p = clamp(arith('SUB', vec(lo.map((v, i) => v + range[i]!)), folded), lo, hi);
  }

  // the corners: coordinates and per-component weights (undefined: weight 1)
  const corners: Array<{ at: string; weight?: string }> = [];
  if (!linear) {
    // round half to even (nearbyint) with GPU ops: r = ⌊p⌋, + 1 where the fraction is above ½, or is ½ and r is odd
    const floor = op('FLOOR', [p], pts);
    const frac = arith('SUB', p, floor);
    const half = vec([0.5, 0.5]);
    const asFloat = (cmp: 'GREATER' | 'EQUAL') => op('CAST', [op(cmp, [frac, half], pts, {}, 'bool')], pts, { inDataType: 'bool', outDataType: 'float32' });
    const odd = op('FLOOR_MOD', [floor, vec([2, 2])], pts);
    corners.push({ at: arith('ADD', arith('ADD', floor, asFloat('GREATER')), arith('MUL', asFloat('EQUAL'), odd)) });
  }
  else {
    const floor = op('FLOOR', [p], pts);
    const frac = arith('SUB', p, floor);
    for (const o of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
      const at = o[0] || o[1] ? arith('ADD', floor, vec(o)) : floor;
      corners.push({ at, weight: arith('ADD', arith('MUL', frac, vec(o.map((v) => 2 * v - 1))), vec(o.map((v) => 1 - v))) });
    }
  }

  const table = ctx.reshape(ctx.nhwc(x), [n * h * w, c], 'plain', `${base}_table`);
  const rows = [n, ho, wo];
  // each sample's image offset n·H·W, added to the flat index (a full-size constant: the GPU delegate
  // does not broadcast a constant along the batch)
  const samples = n * ho * wo;
  const imageStart = n > 1 ? ctx.float32Const(`${base}_image_start`, Float32Array.from({ length: samples }, (_, i) => Math.floor(i / (ho * wo)) * h * w), [samples]) : undefined;
  const terms = corners.map(({ at, weight }) => {
    const inside = clamp(at, inImage.lo, inImage.hi);
    let wc = weight;
    if (padding === 'zeros') {
      // 1 where the (integer) coordinate is inside the image, 0 where clamping moved it
      const valid = op('RELU', [arith('SUB', vec([1, 1]), op('ABS', [arith('SUB', at, inside)], pts))], pts);
      wc = wc ? arith('MUL', wc, valid) : valid;
    }
    const flat = op('SUM', [arith('MUL', inside, vec([1, w])), ctx.int32Const(`${base}_xy_axis${k++}`, [3])], rows, { keepDims: false });
    // flattened to 1-D before the CAST: the GPU delegate reshapes float tensors only
    // [1, samples] + the [samples] offsets: the delegate lines a 1-D constant up with the channels
    const offset = imageStart ? op('ADD', [ctx.reshape(flat, [1, samples], 'plain', `${base}_row${k++}`), imageStart], [1, samples], { activation: 'NONE' }) : flat;
    const index = op('CAST', [ctx.reshape(offset, [samples], 'plain', `${base}_index${k++}`)], [samples], { inDataType: 'float32', outDataType: 'int32' }, 'int32');
    const picked = op('GATHER', [table, index], [samples, c], { axis: 0, batchDims: 0 });
    const values = ctx.reshape(picked, [n, ho, wo, c], 'NHWC', `${base}_values${k++}`);
    if (!wc) return values;
    const scale = op('REDUCE_PROD', [wc, ctx.int32Const(`${base}_w_axis${k++}`, [3])], [n, ho, wo, 1], { keepDims: true });
    const t = ctx.newTensor(`${base}_term${k++}`, 'float32', [n, ho, wo, c], 'NHWC');
    ctx.emit('MUL', [values, scale], [t], { activation: 'NONE' });
    return t;
  });
  const out = ctx.define(node.outputs[0]!, 'float32', [n, c, ho, wo], 'NHWC');
  if (terms.length === 1) {
    ctx.emit('RESHAPE', [terms[0]!, ctx.int32Const(`${out}_shape`, [n, ho, wo, c])], [out], { newShape: [n, ho, wo, c] });
    return;
  }
  const pair = (a: string, b: string) => {
    const t = ctx.newTensor(`${base}_sum${k++}`, 'float32', [n, ho, wo, c], 'NHWC');
    ctx.emit('ADD', [a, b], [t], { activation: 'NONE' });
    return t;
  };
  ctx.emit('ADD', [pair(terms[0]!, terms[1]!), pair(terms[2]!, terms[3]!)], [out], { activation: 'NONE' });
};
