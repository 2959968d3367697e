/**
 * Resize (opsets 10, 11, 13, 18+) and Upsample (7, 9) on 4-D tensors over H and W → RESIZE_BILINEAR /
 * RESIZE_NEAREST_NEIGHBOR with flags from resize-mapping.ts. Scales or sizes must be constant; a scale
 * whose product with the input size is not exactly the output size is rejected (TFLite uses in/out).
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { mapLinear, mapNearest, resizeModeReason } from './resize-mapping.js';

function outFromScales(ctx: ImportContext, xs: number[], scales: number[]): number[] {
  if (scales.length !== xs.length) ctx.fail('unsupported-attribute', `scales has ${scales.length} values for a rank-${xs.length} input`);
  return xs.map((d, i) => {
    const s = Math.fround(scales[i]!);
    const exact = d * s;
    if (!Number.isInteger(exact)) {
      ctx.fail('unsupported-attribute', `scale ${s} on axis ${i} gives ${d}·${s} = ${exact}, not an integer size; TFLite computes coordinates with in/out and would differ from ONNX's 1/scale`);
    }
    return exact;
  });
}

interface ResizeModes {
  legacy: boolean;
  mode: string;
  coord: string;
  nearest: string;
}

function modes(ctx: ImportContext, node: OnnxNode): ResizeModes {
  const legacy = node.opType === 'Upsample' || ctx.opset <= 10;
  const mode = node.string('mode', 'nearest');
  if (legacy) return { legacy, mode: mode === 'bilinear' ? 'linear' : mode, coord: 'asymmetric', nearest: 'floor' };
  return { legacy, mode, coord: node.string('coordinate_transformation_mode', 'half_pixel'), nearest: node.string('nearest_mode', 'round_prefer_floor') };
}

/** Legacy scales: the attribute (Upsample < 9) or input 1; undefined when input 1 is unknown here. */
function legacyScales(ctx: ImportContext, node: OnnxNode): number[] | undefined {
  if (ctx.opset < 9 && node.opType === 'Upsample') {
    const s = node.floats('scales');
    if (!s) ctx.fail('requires-constant-input', 'Upsample scales attribute is missing');
    return s;
  }
  const name = node.input(1);
  if (name && !ctx.has(name)) return undefined;
  const s = ctx.constFloat32(name);
  if (!s) ctx.fail('requires-constant-input', `${node.opType} scales (input '${name}') must be a constant`);
  return Array.from(s);
}

/** Shape-independent checks: modes and flags TFLite cannot express, scales/sizes that are not constant. */
export function checkResize(ctx: ImportContext, node: OnnxNode): void {
  const { legacy, mode, coord, nearest } = modes(ctx, node);
  if (legacy) {
    const scales = legacyScales(ctx, node);
    if (scales?.some((s) => s < 1)) ctx.fail('unsupported-attribute', `${node.opType} (opset ${ctx.opset}) with scales [${scales}] < 1 (downsampling) is not supported`);
  } else {
    if (mode === 'cubic') ctx.fail('unsupported-attribute', "mode='cubic': TFLite has no bicubic resize");
    if (node.int('exclude_outside', 0) !== 0) ctx.fail('unsupported-attribute', 'exclude_outside=1 is not supported');
    if (node.int('antialias', 0) !== 0) ctx.fail('unsupported-attribute', 'antialias=1 is not supported: TFLite resizes without an antialiasing filter');
    const policy = node.string('keep_aspect_ratio_policy', 'stretch');
    if (policy !== 'stretch') ctx.fail('unsupported-attribute', `keep_aspect_ratio_policy='${policy}' is not supported`);
    if (coord === 'tf_crop_and_resize') ctx.fail('unsupported-attribute', "coordinate_transformation_mode='tf_crop_and_resize' is not supported (TFLite RESIZE_* cannot crop)");
    for (const [i, what] of [[2, 'scales'], [3, 'sizes']] as const) {
      const name = node.input(i);
      if (ctx.isRuntime(name)) ctx.fail('requires-constant-input', `Resize ${what} (input '${name}') must be a constant`);
    }
  }
  const why = resizeModeReason(mode, coord, nearest);
  if (why) ctx.fail('unsupported-attribute', why);
}

/** Runs after checkResize (the op table's check). */
export function importResize(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  if (xs.length !== 4) ctx.fail('unsupported-attribute', `only 4-D Resize is supported; input has rank ${xs.length}`);
  const { legacy, mode, coord, nearest } = modes(ctx, node);
  let outShape: number[];
  if (legacy) {
    outShape = outFromScales(ctx, xs, legacyScales(ctx, node)!);
  } else {
    const axes = node.ints('axes')?.map((a) => (a < 0 ? a + 4 : a));
    const expand = (vals: number[], fill: (i: number) => number): number[] => {
      if (!axes) return vals;
      const full = xs.map((_, i) => fill(i));
      axes.forEach((a, j) => (full[a] = vals[j]!));
      return full;
    };
    const sizesName = node.input(3);
    const scalesName = node.input(2);
    const sizes = sizesName ? ctx.constNumbers(sizesName) : undefined;
    const scales = scalesName ? ctx.constFloat32(scalesName) : undefined;
    if (sizes && sizes.length > 0) outShape = expand(sizes, (i) => xs[i]!);
    else if (scales && scales.length > 0) outShape = outFromScales(ctx, xs, expand(Array.from(scales), () => 1));
    else ctx.fail('requires-constant-input', 'Resize needs constant scales or sizes');
    // half_pixel_symmetric equals half_pixel exactly when out = in·scale (guaranteed for sizes, checked for scales above)
  }
  if (outShape[0] !== xs[0] || outShape[1] !== xs[1]) {
    ctx.fail('unsupported-attribute', `Resize of the batch or channel axis ([${xs}] → [${outShape}]) is not supported; only H and W`);
  }
  const inHW = [xs[2]!, xs[3]!];
  const outHW = [outShape[2]!, outShape[3]!];
  const flags = mode === 'linear' ? mapLinear(coord, inHW, outHW) : mapNearest(coord, nearest, inHW, outHW);
  if (typeof flags === 'string') ctx.fail('unsupported-attribute', flags);
  const input = ctx.nhwc(x);
  const out = ctx.define(node.outputs[0]!, ctx.dtype(x), outShape, 'NHWC');
  ctx.emit(flags.op, [input, ctx.int32Const(`${node.name}_size`, outHW)], [out], {
    alignCorners: flags.alignCorners,
    halfPixelCenters: flags.halfPixelCenters,
  });
}
