/**
 * QuantizeLinear / DequantizeLinear / DynamicQuantizeLinear as exact float32 compute, for the nodes
 * that are not quantization parameters of a float tensor (quant.ts decides): a quantized graph input
 * or output, integer data flowing between ops. Each lowering is what onnxruntime computes, step by
 * step in float32, so integer results are equal and float results are equal to the bit:
 *
 *   DequantizeLinear  y = (float(x) − zp) · scale                CAST → SUB → MUL
 *   QuantizeLinear    y = clamp(round_even(x / scale) + zp)       DIV → ROUND → ADD → MAXIMUM → MINIMUM → CAST
 *   DynamicQuantizeLinear (uint8)
 *     lo = min(0, min x), hi = max(0, max x)                    REDUCE_MIN/MAX → MINIMUM/MAXIMUM
 *     scale = hi == lo ? 1 : (hi − lo) / 255                    SUB → DIV → EQUAL → SELECT_V2
 *     zp = round_even(clamp(−lo / scale, 0, 255)), y as above      NEG → MAXIMUM → MINIMUM → ROUND
 *
 * Exactness: x − zp of 8/16-bit integers is exact in float32 and the product is rounded once, like
 * onnxruntime's float multiply; x / scale is one IEEE float32 division in both, and TFLite ROUND rounds
 * half to even like onnxruntime's nearbyint. The all-zero DynamicQuantizeLinear input gets scale 1 and
 * zero point 0, as onnxruntime gives (the spec's formula would divide 0 by 0); subnormal ranges and +inf
 * match too. Not matched (ONNX leaves them unspecified): NaN inputs (onnxruntime's min/max search skips
 * them, REDUCE_MIN/MAX propagate them) and −inf in a DynamicQuantizeLinear input (−lo / scale = NaN,
 * whose clamp depends on the kernel's NaN rule: std::min in onnxruntime, XNNPACK's pmin in LiteRT.js).
 * Scale and zero point are constants — per-axis and blocked ones expanded at import into a constant
 * that broadcasts against x — or single runtime values (per tensor).
 */
import { integerRanges, type DType } from '../../../ir/dtype.js';
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import { onnxDType } from '../tensor-data.js';
import { primaryOf, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { quantConsts, quantizedType } from './quant-granularity.js';
import { broadcastShapes } from '../../../ir/ndarray.js';

/** The types QuantizeLinear lowers to, with their saturation bounds. */
const RANGE = integerRanges(['uint8', 'int8', 'uint16', 'int16']);

/** Builds one node's lowering: fresh ONNX value names, constants, elementwise steps. */
class Lowering {
  private n = 0;
  constructor(
    private readonly ctx: ImportContext,
    private readonly node: OnnxNode,
  ) {}

  private fresh(what: string): string {
    let name: string;
    do name = `${this.node.outputs[0] || this.node.name}::${what}_${this.n++}`;
    while (this.ctx.has(name));
    return name;
  }

  /** A float32 constant ONNX value. */
  constant(what: string, shape: number[], data: Float32Array): string {
    const name = this.fresh(what);
    this.ctx.defineConst(name, { dtype: 'float32', shape, data });
    return name;
  }

  scalar(v: number): string {
    return this.constant(`c${v}`, [], Float32Array.of(v));
  }

  /** Elementwise `op` with numpy broadcasting into ONNX value `out` (fresh when omitted). */
  binary(op: BuiltinOpName, a: string, b: string, dtype: DType = 'float32', out?: string): string {
    const shape = broadcastShapes(this.ctx.shape(a), this.ctx.shape(b))!;
    const { tensors, form } = this.ctx.broadcastOperands([a, b]);
    const name = out ?? this.fresh(op.toLowerCase());
    const attrs = op === 'ADD' || op === 'SUB' || op === 'MUL' || op === 'DIV' ? { activation: 'NONE' as const } : {};
    this.ctx.emit(op, tensors, [this.ctx.define(name, dtype, shape, form)], attrs);
    return name;
  }

  /** One-input op keeping x's layout (ROUND, NEG, CAST). */
  unary(op: BuiltinOpName, x: string, dtype: DType = 'float32', out?: string): string {
    const { tensor, form } = primaryOf(this.ctx, x);
    const name = out ?? this.fresh(op.toLowerCase());
    const t = this.ctx.define(name, dtype, this.ctx.shape(x), form);
    const attrs = op === 'CAST' ? { inDataType: this.ctx.dtype(x), outDataType: this.ctx.g.tensor(t).dtype } : {};
    this.ctx.emit(op, [tensor], [t], attrs);
    return name;
  }

  /** REDUCE_MIN / REDUCE_MAX over every axis to a scalar. */
  reduceAll(op: 'REDUCE_MIN' | 'REDUCE_MAX', x: string): string {
    const { tensor } = primaryOf(this.ctx, x);
    const name = this.fresh(op.toLowerCase());
    const out = this.ctx.define(name, 'float32', [], 'ONNX');
    const axes = this.ctx.irShape(tensor).map((_, i) => i);
    this.ctx.emit(op, [tensor, this.ctx.int32Const(`${out}_axes`, axes)], [out], { keepDims: false });
    return name;
  }

  /** round_even(clamp(v + zp)) cast to `to`, into ONNX value `out`; `zp` is an ONNX float value or none. */
  saturate(v: string, zp: string | undefined, to: DType, out: string): void {
    const [lo, hi] = RANGE[to]!;
    let r = this.unary('ROUND', v);
    if (zp) r = this.binary('ADD', r, zp);
    r = this.binary('MINIMUM', this.binary('MAXIMUM', r, this.scalar(lo)), this.scalar(hi));
    this.unary('CAST', r, to, out);
  }
}

/** DequantizeLinear of a runtime integer tensor: CAST → SUB(zero point) → MUL(scale). */
export function lowerDequantize(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const dtype = ctx.dtype(x);
  if (!RANGE[dtype] && dtype !== 'int32') {
    ctx.fail('unsupported-dtype', `DequantizeLinear '${node.name}' of ${dtype} tensor '${x}': mai dequantizes int8/uint8/int16/uint16/int32`);
  }
  const outType = dequantizeOutputType(ctx, node);
  const L = new Lowering(ctx, node);
  const p = paramOperands(ctx, node, L, x);
  if (dtype === 'int32' && p.zp) ctx.fail('unsupported-attribute', `DequantizeLinear '${node.name}' of int32 '${x}' has a non-zero zero point (the spec has none for int32)`);
  let f = L.unary('CAST', x, 'float32');
  if (p.zp) f = L.binary('SUB', f, p.zp);
  L.binary('MUL', f, p.scale, outType, node.outputs[0]!);
}

/**
 * Scale and zero point as float32 ONNX operands broadcasting against x: constants expanded to their
 * granularity (a zero point of zeros is left out); single runtime values (per tensor) used as they
 * are, the zero point cast to float32 (exact for 8/16-bit integers).
 */
function paramOperands(ctx: ImportContext, node: OnnxNode, L: Lowering, x: string): { scale: string; zp?: string } {
  const s = node.input(1);
  const z = node.input(2);
  if (ctx.isRuntime(s) || (z && ctx.isRuntime(z))) {
    if (node.int('block_size', 0) > 0) ctx.fail('requires-constant-input', `${node.opType} '${node.name}': blocked quantization needs a constant scale and zero point`);
    const one = (n: string, what: string) => Float32Array.of(ctx.requireConst(n, `${node.opType} ${what}`)[0]!);
    const scale = ctx.isRuntime(s) ? s : L.constant('scale', [], one(s, 'scale'));
    if (!z) return { scale };
    if (ctx.isRuntime(z)) return { scale, zp: L.unary('CAST', z, 'float32') };
    const zc = one(z, 'zero point');
    return zc[0] ? { scale, zp: L.constant('zero_point', [], zc) } : { scale };
  }
  const q = quantConsts(ctx, node, ctx.shape(x));
  const scale = L.constant('scale', q.shape, q.expand(q.scale));
  return q.zeroPoint.some((v) => v !== 0) ? { scale, zp: L.constant('zero_point', q.shape, q.expand(q.zeroPoint)) } : { scale };
}

function dequantizeOutputType(ctx: ImportContext, node: OnnxNode): DType {
  const code = node.int('output_dtype', 0);
  const t = code ? onnxDType(code) : ctx.dtype(node.input(1));
  if (t !== 'float32' && t !== 'float16') ctx.fail('unsupported-dtype', `DequantizeLinear '${node.name}' to ${t ?? `ONNX type ${code}`}: mai dequantizes to float32 (float16 computed as float32)`);
  return t;
}

/** QuantizeLinear of a runtime float tensor: DIV(scale) → ROUND → ADD(zero point) → clamp → CAST. */
export function lowerQuantize(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const to = quantizedType(node.input(2) ? ctx.dtype(node.input(2)) : undefined, node.int('output_dtype', 0));
  if (!to || !RANGE[to]) ctx.fail('unsupported-dtype', `QuantizeLinear '${node.name}' to ${to ?? `ONNX type ${node.int('output_dtype', 0)}`}: mai quantizes to uint8/int8/uint16/int16`);
  if (ctx.dtype(x) !== 'float32' && ctx.dtype(x) !== 'float16') ctx.fail('unsupported-dtype', `QuantizeLinear '${node.name}' of ${ctx.dtype(x)} '${x}': mai quantizes float32 (float16 widened exactly)`);
  // the division runs in the scale's precision (or `precision`): float32 is what TFLite's DIV computes
  const precision = node.int('precision', 0);
  const divType = precision ? onnxDType(precision) : ctx.dtype(node.input(1));
  if (divType !== 'float32') ctx.fail('unsupported-dtype', `QuantizeLinear '${node.name}' divides in ${divType ?? `ONNX type ${precision}`} precision: mai divides in float32 only`);
  const L = new Lowering(ctx, node);
  const p = paramOperands(ctx, node, L, x);
  L.saturate(L.binary('DIV', x, p.scale), p.zp, to, node.outputs[0]!);
}

/** DynamicQuantizeLinear (uint8) computed at run time, the outputs as onnxruntime gives them. */
export function lowerDynamicQuantize(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  if (ctx.dtype(x) !== 'float32') ctx.fail('unsupported-dtype', `DynamicQuantizeLinear '${node.name}' of ${ctx.dtype(x)} '${x}': the spec takes float32`);
  const [y, yScale, yZp] = node.outputs;
  const L = new Lowering(ctx, node);
  const zero = L.scalar(0);
  const lo = L.binary('MINIMUM', L.reduceAll('REDUCE_MIN', x), zero);
  const hi = L.binary('MAXIMUM', L.reduceAll('REDUCE_MAX', x), zero);
  const range = L.binary('SUB', hi, lo);
  const isZero = L.binary('EQUAL', range, zero, 'bool');
  const step = L.binary('DIV', range, L.scalar(255));
  // SELECT_V2(cond, 1, step): the all-zero input's scale is 1
  const scale = yScale || `${x}::dynamic_scale`;
  const { tensors } = ctx.broadcastOperands([isZero, L.scalar(1), step]);
  ctx.emit('SELECT_V2', tensors, [ctx.define(scale, 'float32', [], 'ONNX')]);
  // zp = round_even(clamp(0 − lo / scale, 0, 255))
  const negLo = L.unary('NEG', L.binary('DIV', lo, scale));
  const zpF = L.unary('ROUND', L.binary('MINIMUM', L.binary('MAXIMUM', negLo, zero), L.scalar(255)));
  if (yZp && ctx.consumers.get(yZp)?.length) L.unary('CAST', zpF, 'uint8', yZp);
  if (y && ctx.consumers.get(y)?.length) L.saturate(L.binary('DIV', x, scale), zpF, 'uint8', y);
}
