/**
 * Reciprocal → DIV(1, x). Pow with a constant scalar exponent → the cheapest exact GPU op:
 * 2 → MUL(x, x), 1 → x, 0.5 → SQRT, −0.5 → RSQRT, −1 → DIV(1, x), other → POW(x, c);
 * a runtime or non-uniform exponent → POW with broadcasting (a runtime exponent of another
 * dtype is CAST to the base's; a uint64 one must be a constant: LiteRT's CAST has no uint64 case).
 * An integer base takes only non-negative integer exponents (checkIntExponent); an int64 one (no POW
 * kernel) with a constant exponent → exact int64 MULs (lowering/pow-int.ts).
 */
import { allocTyped, type DType } from '../../../ir/dtype.js';
import { primaryOf, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { checkIntExponent, importIntPow } from '../lowering/pow-int.js';
import { broadcastShapes } from '../../../ir/ndarray.js';

/** A one-element constant of `dtype` holding v (shape [] for a rank-0 partner so the output keeps rank 0). */
function scalarLike(ctx: ImportContext, base: string, dtype: DType, v: number, rank: number): string {
  const data = allocTyped(dtype, 1);
  if (dtype === 'int64') (data as BigInt64Array)[0] = BigInt(v);
  else (data as Float32Array)[0] = v;
  return ctx.constTensor(base, dtype, rank === 0 ? [] : [1], data);
}

function floatDType(d: DType): DType {
  return d === 'float16' ? 'float32' : d;
}

/** DIV(1, x) on x's own form into ONNX output `outName`. */
function reciprocal(ctx: ImportContext, node: OnnxNode, x: string, outName: string): void {
  const { tensor, form } = primaryOf(ctx, x);
  const dtype = floatDType(ctx.dtype(x));
  const one = scalarLike(ctx, `${node.name}_one`, dtype, 1, ctx.rank(x));
  ctx.emit('DIV', [one, tensor], [ctx.define(outName, dtype, ctx.shape(x), form)], { activation: 'NONE' });
}

export function importReciprocal(ctx: ImportContext, node: OnnxNode): void {
  reciprocal(ctx, node, node.input(0), node.outputs[0]!);
}

/** The exponent's single value when it is a constant whose elements are all equal and it does not widen the output. */
function uniformExponent(ctx: ImportContext, x: string, y: string): number | undefined {
  const v = ctx.constNumbers(y);
  if (!v || !v.length || v.some((e) => e !== v[0])) return undefined;
  const out = broadcastShapes(ctx.shape(x), ctx.shape(y));
  if (!out || out.length !== ctx.rank(x) || out.some((d, i) => d !== ctx.shape(x)[i])) return undefined;
  return v[0];
}

/** Shape-independent (opsets 1–6): the legacy `broadcast` with `axis` is not supported (its numpy form is). */
export function checkPowLegacy(ctx: ImportContext, node: OnnxNode): void {
  if (node.int('broadcast', 0) === 1 && node.has('axis')) {
    ctx.fail('unsupported-attribute', `Pow with legacy broadcast axis=${node.int('axis', 0)} (opset ${ctx.opset}) is not supported`);
  }
}

export function importPow(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const y = node.input(1);
  const outName = node.outputs[0]!;
  const dtype = floatDType(ctx.dtype(x));
  const isFloat = dtype === 'float32';
  if (dtype === 'int32' || dtype === 'int64') checkIntExponent(ctx, dtype, y);
  const e = uniformExponent(ctx, x, y);
  if (e !== undefined) {
    if (e === 1) return ctx.alias(outName, x);
    if (e === -1 && isFloat) return reciprocal(ctx, node, x, outName);
    const { tensor, form } = primaryOf(ctx, x);
    const out = () => ctx.define(outName, dtype, ctx.shape(x), form);
    if (e === 2) return void ctx.emit('MUL', [tensor, tensor], [out()], { activation: 'NONE' });
    if (e === 0.5 && isFloat) return void ctx.emit('SQRT', [tensor], [out()]);
    if (e === -0.5 && isFloat) return void ctx.emit('RSQRT', [tensor], [out()]);
    if (dtype === 'int64') return importIntPow(ctx, node, x, y, outName);
    const c = scalarLike(ctx, `${node.name}_exponent`, dtype, e, ctx.rank(x));
    return void ctx.emit('POW', [tensor, c], [out()]);
  }
  if (dtype === 'int64') return importIntPow(ctx, node, x, y, outName);
  const shape = broadcastShapes(ctx.shape(x), ctx.shape(y));
  if (!shape) ctx.fail('shape-mismatch', `shapes [${ctx.shape(x)}] and [${ctx.shape(y)}] do not broadcast`);
  if (ctx.isConst(y) && floatDType(ctx.dtype(y)) !== dtype) {
    // a constant exponent of another type is converted once (ONNX Pow allows mixed types)
    const name = `${node.name}__exponent_as_${dtype}`;
    const src = ctx.constNumbers(y)!;
    const data = allocTyped(dtype, src.length);
    src.forEach((v, i) => ((data as Float32Array | Int32Array)[i] = dtype === 'int32' ? Math.trunc(v) : v));
    ctx.defineConst(name, { dtype, shape: [...ctx.shape(y)], data });
    return emitPow(ctx, x, name, dtype, shape, outName);
  }
  emitPow(ctx, x, y, dtype, shape, outName);
}

function emitPow(ctx: ImportContext, x: string, y: string, dtype: DType, shape: number[], outName: string): void {
  const { tensors, form } = ctx.broadcastOperands([x, y]);
  let yt = tensors[1]!;
  const yd = ctx.g.tensor(yt).dtype;
  if (yd === 'uint64') ctx.fail('requires-constant-input', `Pow exponent '${y}' is uint64 at run time: LiteRT's CAST has no uint64 kernel to convert it to ${dtype}; give it as a constant`);
  if (yd !== dtype) {
    const cast = ctx.newTensor(`${yt}_as_${dtype}`, dtype, ctx.irShape(yt), ctx.g.tensor(yt).layout);
    ctx.emit('CAST', [yt], [cast], { inDataType: yd, outDataType: dtype });
    yt = cast;
  }
  ctx.emit('POW', [tensors[0]!, yt], [ctx.define(outName, dtype, shape, form)]);
}
