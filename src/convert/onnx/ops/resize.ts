/**
 * Resize (opsets 10, 11, 13, 18+) and Upsample (7, 9) on 4-D tensors over H and W → RESIZE_BILINEAR /
 * RESIZE_NEAREST_NEIGHBOR with flags from resize-mapping.ts. Scales or sizes must be constant; a scale
 * whose product with the input size is not exactly the output size is rejected (TFLite uses in/out).
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { mapLinear, mapNearest } from './resize-mapping.js';

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

export function importResize(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  if (xs.length !== 4) ctx.fail('unsupported-attribute', `only 4-D Resize is supported; input has rank ${xs.length}`);
  const legacy = node.opType === 'Upsample' || ctx.opset <= 10;
  let mode = node.string('mode', 'nearest');
  let coord = 'asymmetric';
  let nearest = 'floor';
  let outShape: number[];
  if (legacy) {
    const scales = ctx.opset < 9 && node.opType === 'Upsample' ? node.floats('scales') : ctx.constFloat32(node.input(1)) && Array.from(ctx.constFloat32(node.input(1))!);
    if (!scales) ctx.fail('requires-constant-input', `${node.opType} scales (input '${node.input(1)}') must be a constant`);
    if (scales.some((s) => s < 1)) ctx.fail('unsupported-attribute', `${node.opType} (opset ${ctx.opset}) with scales [${scales}] < 1 (downsampling) is not supported`);
    outShape = outFromScales(ctx, xs, scales);
    if (mode === 'bilinear') mode = 'linear';
  } else {
    coord = node.string('coordinate_transformation_mode', 'half_pixel');
    nearest = node.string('nearest_mode', 'round_prefer_floor');
    if (mode === 'cubic') ctx.fail('unsupported-attribute', "mode='cubic': TFLite has no bicubic resize");
    if (node.int('exclude_outside', 0) !== 0) ctx.fail('unsupported-attribute', 'exclude_outside=1 is not supported');
    if (node.int('antialias', 0) !== 0) ctx.fail('unsupported-attribute', 'antialias=1 is not supported: TFLite resizes without an antialiasing filter');
    const policy = node.string('keep_aspect_ratio_policy', 'stretch');
    if (policy !== 'stretch') ctx.fail('unsupported-attribute', `keep_aspect_ratio_policy='${policy}' is not supported`);
    if (coord === 'tf_crop_and_resize') ctx.fail('unsupported-attribute', "coordinate_transformation_mode='tf_crop_and_resize' is not supported (TFLite RESIZE_* cannot crop)");
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
    if (sizesName && !sizes) ctx.fail('requires-constant-input', `Resize sizes (input '${sizesName}') must be a constant`);
    if (scalesName && !scales) ctx.fail('requires-constant-input', `Resize scales (input '${scalesName}') must be a constant`);
    if (sizes && sizes.length > 0) outShape = expand(sizes, (i) => xs[i]!);
    else if (scales && scales.length > 0) outShape = outFromScales(ctx, xs, expand(Array.from(scales), () => 1));
    else ctx.fail('requires-constant-input', 'Resize needs constant scales or sizes');
    if (coord === 'half_pixel_symmetric') {
      // equal to half_pixel exactly when out = in·scale (guaranteed for sizes, checked for scales above)
    }
  }
  if (outShape[0] !== xs[0] || outShape[1] !== xs[1]) {
    ctx.fail('unsupported-attribute', `Resize of the batch or channel axis ([${xs}] → [${outShape}]) is not supported; only H and W`);
  }
  const inHW = [xs[2]!, xs[3]!];
  const outHW = [outShape[2]!, outShape[3]!];
  let flags;
  if (mode === 'linear') flags = mapLinear(coord, inHW, outHW);
  else if (mode === 'nearest') flags = mapNearest(coord, nearest, inHW, outHW);
  else ctx.fail('unsupported-attribute', `mode='${mode}' is not supported`);
  if (typeof flags === 'string') ctx.fail('unsupported-attribute', flags);
  const input = ctx.nhwc(x);
  const out = ctx.define(node.outputs[0]!, ctx.dtype(x), outShape, 'NHWC');
  ctx.emit(flags.op, [input, ctx.int32Const(`${node.name}_size`, outHW)], [out], {
    alignCorners: flags.alignCorners,
    halfPixelCenters: flags.halfPixelCenters,
  });
}
