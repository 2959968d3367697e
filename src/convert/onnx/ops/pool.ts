/**
 * MaxPool / AveragePool (2-D) → MAX_POOL_2D / AVERAGE_POOL_2D (1-D: lowering/lift-1d.ts; 3-D: two 2-D passes, lowering/pool3d.ts).
 * MaxPool: pads equal to TFLite SAME → SAME (TFLite ignores padded cells, as ONNX's −∞ padding does);
 * other pads → PADV2 with −FLT_MAX then VALID; ceil_mode → extra end padding.
 * AveragePool: count_include_pad=0 with pads equal to TFLite's SAME split → SAME (TFLite's SAME
 * average divides by the number of real cells). Any other padding (and ceil_mode partial windows) →
 * PAD zeros + a VALID depthwise conv of 1/(kH·kW) (not AVERAGE_POOL_2D: the GPU delegate would merge the
 * PAD into the pool and change the divisor) followed, where ONNX's divisor differs, by a MUL with a
 * constant [oh, ow, 1] map of kH·kW / divisor — ONNX's exact divisor for every output cell.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { castValue } from '../lowering/emit-cast.js';
import { importDilatedPool } from '../lowering/pool-dilated.js';
import { importPool3d } from '../lowering/pool3d.js';
import { ceilOutSize, checkPadAttributes, emitPad, outSize, paddingKind, requireOutputCells, resolvePads, type Spatial2D } from '../lowering/pads.js';

const F32_LOWEST = -3.4028234663852886e38;

/** Shape-independent: no Indices output, a kernel_shape, positive dilations, pad attributes. */
export function checkPool(ctx: ImportContext, node: OnnxNode): void {
  if (node.outputs[1]) ctx.fail('unsupported-attribute', 'MaxPool Indices output is not supported (TFLite has no argmax pooling the GPU delegate takes)');
  if (!node.ints('kernel_shape')?.length) ctx.fail('unsupported-attribute', 'kernel_shape is missing');
  const dil = node.ints('dilations') ?? [];
  if (dil.some((d) => d < 1)) ctx.fail('unsupported-attribute', `dilations [${dil}] must be positive`);
  checkPadAttributes(ctx, node);
}

/** 8/16-bit integers: exact in float32, where TFLite's MAX_POOL_2D has its only non-quantized kernel. */
const SMALL_INTS = new Set(['uint8', 'int8', 'int16']);

/** Runs after checkPool (the op table's check). MaxPool of 8/16-bit integers: CAST to float32 and back (exact). */
export function pool(kind: 'max' | 'avg') {
  const floatPool = poolFloat(kind);
  const importer = (ctx: ImportContext, node: OnnxNode): void => {
    const x = node.input(0);
    if (ctx.rank(x) === 5) return importPool3d(ctx, node, importer);
    const dtype = ctx.dtype(x);
    if (kind !== 'max' || !SMALL_INTS.has(dtype)) return floatPool(ctx, node);
    const xf = castValue(ctx, x, 'float32', `${node.name}__as_float`);
    const yf = `${node.name}__float_max`;
    floatPool(ctx, Object.create(node, { inputs: { value: [xf] }, outputs: { value: [yf] } }) as OnnxNode);
    castValue(ctx, yf, dtype, node.outputs[0]!);
  };
  return importer;
}

function poolFloat(kind: 'max' | 'avg') {
  return (ctx: ImportContext, node: OnnxNode): void => {
    const x = node.input(0);
    const xs = ctx.shape(x);
    if (xs.length !== 4) ctx.fail('unsupported-attribute', `only 1-D, 2-D and 3-D pooling are supported; input has rank ${xs.length}`);
    const k = node.ints('kernel_shape');
    if (!k || k.length !== 2) ctx.fail('unsupported-attribute', `kernel_shape [${k ?? ''}] must have 2 values`);
    const strides = node.ints('strides') ?? [1, 1];
    const dil = node.ints('dilations') ?? [1, 1];
    if (dil.some((d) => d !== 1)) return importDilatedPool(ctx, node, kind, k, strides, dil);
    const inHW = [xs[2]!, xs[3]!];
    const pads: Spatial2D = resolvePads(ctx, node, inHW, k, strides);
    const ceil = node.int('ceil_mode', 0) === 1;
    // ONNX's own end pads (the divisor of count_include_pad=1 counts up to these, not the ceil extension)
    const onnxEnd: [number, number] = [pads.end[0], pads.end[1]];
    let extended = false;
    for (const a of [0, 1] as const) {
      if (!ceil) continue;
      const floorN = outSize(inHW[a]!, pads.begin[a], pads.end[a], k[a]!, strides[a]!);
      const ceilN = ceilOutSize(inHW[a]!, pads.begin[a], pads.end[a], k[a]!, strides[a]!);
      if (ceilN === floorN) continue;
      pads.end[a] += (ceilN - 1) * strides[a]! + k[a]! - (inHW[a]! + pads.begin[a] + pads.end[a]);
      extended = true;
    }
    const oh = outSize(inHW[0]!, pads.begin[0], pads.end[0], k[0]!, strides[0]!);
    const ow = outSize(inHW[1]!, pads.begin[1], pads.end[1], k[1]!, strides[1]!);
    requireOutputCells(ctx, node, [oh, ow], k, [0, 1].map((a) => inHW[a]! + pads.begin[a]! + pads.end[a]!));
    let input = ctx.nhwc(x);
    let padding = paddingKind(pads, inHW, k, strides);
    let divisorFix: Float32Array | undefined;
    if (kind === 'avg') {
      const includePad = node.int('count_include_pad', 0) === 1;
      const sameExcludes = padding === 'SAME' && !includePad && !extended;
      if (padding !== 'VALID' && !sameExcludes) {
        // PAD zeros + VALID divides every window by kH·kW; rescale each output cell by kH·kW / ONNX's divisor
        input = emitPad(ctx, input, pads);
        padding = 'VALID';
        divisorFix = avgDivisorFix(inHW, k, strides, pads.begin, onnxEnd, [oh, ow], includePad);
      }
    } else if (padding === 'EXPLICIT') {
      input = emitPad(ctx, input, pads, F32_LOWEST);
      padding = 'VALID';
    }
    const out = ctx.define(node.outputs[0]!, ctx.dtype(x), [xs[0]!, xs[1]!, oh, ow], 'NHWC');
    const pooled = divisorFix ? ctx.newTensor(`${node.name}_window_mean`, ctx.dtype(x), ctx.irShape(out), 'NHWC') : out;
    if (kind === 'avg' && input !== ctx.nhwc(x)) {
      // The GPU delegate merges a PAD into the AVERAGE_POOL_2D after it and then leaves the padded cells
      // out of the divisor (measured in WebGPU: PAD + AVERAGE_POOL_2D differs from the CPU by 200× the fp16
      // tolerance); a depthwise conv of 1/(kH·kW) sums zero padding the same way on both.
      const c = xs[1]!;
      const wt = ctx.float32Const(`${node.name}_window_weights`, new Float32Array(k[0]! * k[1]! * c).fill(1 / (k[0]! * k[1]!)), [1, k[0]!, k[1]!, c]);
      const attrs = { padding: 'VALID' as const, strideH: strides[0]!, strideW: strides[1]!, dilationH: 1, dilationW: 1, depthMultiplier: 1, activation: 'NONE' as const };
      ctx.emit('DEPTHWISE_CONV_2D', [input, wt, ctx.float32Const(`${node.name}_window_bias`, new Float32Array(c), [c])], [pooled], attrs);
      if (divisorFix) ctx.emit('MUL', [pooled, ctx.float32Const(`${node.name}_divisor_fix`, divisorFix, [oh, ow, 1])], [out], { activation: 'NONE' });
      return;
    }
    ctx.emit(kind === 'max' ? 'MAX_POOL_2D' : 'AVERAGE_POOL_2D', [input], [pooled], {
      padding: padding === 'EXPLICIT' ? 'VALID' : padding,
      strideH: strides[0]!,
      strideW: strides[1]!,
      filterH: k[0]!,
      filterW: k[1]!,
      activation: 'NONE',
    });
    if (divisorFix) ctx.emit('MUL', [pooled, ctx.float32Const(`${node.name}_divisor_fix`, divisorFix, [oh, ow, 1])], [out], { activation: 'NONE' });
  };
}

/**
 * Per output cell: kH·kW / ONNX divisor. count_include_pad=0 counts the real input cells of the window;
 * count_include_pad=1 counts cells up to the ONNX pads (not the ceil_mode extension). Undefined when
 * every factor is 1 (plain PAD + VALID is exact).
 */
function avgDivisorFix(inHW: number[], k: number[], s: number[], begin: number[], onnxEnd: number[], outHW: number[], includePad: boolean): Float32Array | undefined {
  const count = (a: number, i: number) => {
    const start = i * s[a]! - begin[a]!;
    const lo = includePad ? start : Math.max(start, 0);
    const hi = includePad ? Math.min(start + k[a]!, inHW[a]! + onnxEnd[a]!) : Math.min(start + k[a]!, inHW[a]!);
    return hi - lo;
  };
  const fix = new Float32Array(outHW[0]! * outHW[1]!);
  let trivial = true;
  for (let i = 0; i < outHW[0]!; i++) {
    for (let j = 0; j < outHW[1]!; j++) {
      const f = (k[0]! * k[1]!) / (count(0, i) * count(1, j));
      fix[i * outHW[1]! + j] = f;
      if (f !== 1) trivial = false;
    }
  }
  return trivial ? undefined : fix;
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

/**
 * GlobalMaxPool: 4-D → MAX_POOL_2D with a whole-image VALID window (NHWC kept; a pool the GPU
 * delegate takes); other ranks → REDUCE_MAX over the spatial axes with keep_dims.
 */
export function importGlobalMaxPool(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  if (xs.length < 3) ctx.fail('unsupported-attribute', `GlobalMaxPool needs a spatial axis; input has rank ${xs.length}`);
  const outShape = xs.map((d, i) => (i < 2 ? d : 1));
  if (xs.length === 4) {
    const out = ctx.define(node.outputs[0]!, ctx.dtype(x), outShape, 'NHWC');
    ctx.emit('MAX_POOL_2D', [ctx.nhwc(x)], [out], { padding: 'VALID', strideH: 1, strideW: 1, filterH: xs[2]!, filterW: xs[3]!, activation: 'NONE' });
    return;
  }
  const out = ctx.define(node.outputs[0]!, ctx.dtype(x), outShape, 'ONNX');
  ctx.emit('REDUCE_MAX', [ctx.nchw(x), ctx.int32Const(`${node.name}_axes`, xs.slice(2).map((_, i) => i + 2))], [out], { keepDims: true });
}
