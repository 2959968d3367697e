/**
 * MaxPool / AveragePool (2-D) → MAX_POOL_2D / AVERAGE_POOL_2D.
 * MaxPool: pads equal to TFLite SAME → SAME (TFLite ignores padded cells, as ONNX's −∞ padding does);
 * other pads → PADV2 with −FLT_MAX then VALID; ceil_mode → extra end padding.
 * AveragePool: count_include_pad=0 → SAME only when pads equal TFLite's SAME split (TFLite's SAME
 * average divides by the number of real cells), else rejected; count_include_pad=1 → PAD zeros +
 * VALID (divides by the full window).
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitPad, outSize, paddingKind, resolvePads, type Spatial2D } from './pads.js';

const F32_LOWEST = -3.4028234663852886e38;

/** ONNX ceil_mode output size (the last window must start inside the input or its begin padding). */
function ceilOut(inSize: number, begin: number, end: number, k: number, s: number): number {
  let out = Math.ceil((inSize + begin + end - k) / s) + 1;
  if ((out - 1) * s >= inSize + begin) out--;
  return out;
}

export function pool(kind: 'max' | 'avg') {
  return (ctx: ImportContext, node: OnnxNode): void => {
    const x = node.input(0);
    const xs = ctx.shape(x);
    if (xs.length !== 4) ctx.fail('unsupported-attribute', `only 2-D pooling is supported; input has rank ${xs.length}`);
    if (node.outputs[1]) ctx.fail('unsupported-attribute', 'MaxPool Indices output is not supported');
    const k = node.ints('kernel_shape');
    if (!k || k.length !== 2) ctx.fail('unsupported-attribute', `kernel_shape [${k ?? ''}] must have 2 values`);
    const strides = node.ints('strides') ?? [1, 1];
    const dil = node.ints('dilations') ?? [1, 1];
    if (dil.some((d) => d !== 1)) ctx.fail('unsupported-attribute', `dilations [${dil}] on pooling are not supported by TFLite pools`);
    const inHW = [xs[2]!, xs[3]!];
    const pads: Spatial2D = resolvePads(ctx, node, inHW, k, strides);
    const ceil = node.int('ceil_mode', 0) === 1;
    for (const a of [0, 1] as const) {
      const floorN = outSize(inHW[a]!, pads.begin[a], pads.end[a], k[a]!, strides[a]!);
      if (!ceil) continue;
      const ceilN = ceilOut(inHW[a]!, pads.begin[a], pads.end[a], k[a]!, strides[a]!);
      if (ceilN === floorN) continue;
      if (kind === 'avg') ctx.fail('unsupported-attribute', `AveragePool ceil_mode=1 adds a partial window (output ${ceilN} instead of ${floorN}) whose divisor TFLite cannot reproduce`);
      pads.end[a] += (ceilN - 1) * strides[a]! + k[a]! - (inHW[a]! + pads.begin[a] + pads.end[a]);
    }
    const oh = outSize(inHW[0]!, pads.begin[0], pads.end[0], k[0]!, strides[0]!);
    const ow = outSize(inHW[1]!, pads.begin[1], pads.end[1], k[1]!, strides[1]!);
    let input = ctx.nhwc(x);
    let padding = paddingKind(pads, inHW, k, strides);
    if (kind === 'avg') {
      const includePad = node.int('count_include_pad', 0) === 1;
      if (padding !== 'VALID' && includePad) {
        input = emitPad(ctx, input, pads);
        padding = 'VALID';
      } else if (padding === 'EXPLICIT') {
        ctx.fail('unsupported-attribute', `AveragePool pads [${pads.begin},${pads.end}] with count_include_pad=0 differ from TFLite's SAME split; TFLite cannot exclude these padded cells from the divisor`);
      }
    } else if (padding === 'EXPLICIT') {
      input = emitPad(ctx, input, pads, F32_LOWEST);
      padding = 'VALID';
    }
    const out = ctx.define(node.outputs[0]!, ctx.dtype(x), [xs[0]!, xs[1]!, oh, ow], 'NHWC');
    ctx.emit(kind === 'max' ? 'MAX_POOL_2D' : 'AVERAGE_POOL_2D', [input], [out], {
      padding,
      strideH: strides[0]!,
      strideW: strides[1]!,
      filterH: k[0]!,
      filterW: k[1]!,
      activation: 'NONE',
    });
  };
}

/** GlobalAveragePool → MEAN over H, W with keep_dims. */
export function importGlobalAveragePool(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  if (xs.length !== 4) ctx.fail('unsupported-attribute', `only 4-D GlobalAveragePool is supported; input has rank ${xs.length}`);
  const input = ctx.nhwc(x);
  const out = ctx.define(node.outputs[0]!, ctx.dtype(x), [xs[0]!, xs[1]!, 1, 1], 'NHWC');
  ctx.emit('MEAN', [input, ctx.int32Const(`${node.name}_axes`, [1, 2])], [out], { keepDims: true });
}
