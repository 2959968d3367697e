/**
 * Pow on int64 (TFLite POW has float32 / int32 kernels only) with a constant exponent whose values are
 * non-negative integers (int or float typed): square-and-multiply in int64 MULs, exact modulo 2^64
 * like ONNX's integer Mul (LiteRT's int64 MUL wraps). Per-element exponents use one 0/1 mask per bit:
 * factor_k = 1 + m_k·(x^(2^k) − 1), a ring identity, so every step stays exact. A runtime exponent
 * needs a constant (no integer POW kernel to feed it to); negative or fractional exponents are refused
 * (their integer results are truncated reciprocals / roots, not products).
 */

import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { broadcastShapes } from '../../../ir/ndarray.js';

/** Exponents beyond 2^31 − 1 would need more than 31 squarings; refused to keep graphs small. */
const MAX_BITS = 31;

/**
 * The exponent an integer base (int32 / int64) takes: a constant of non-negative integers below 2^31
 * (a negative or fractional one makes the integer power a truncated reciprocal or root, which TFLite's
 * int32 POW would get wrong by truncating the exponent), or for int32 a runtime int32 exponent (TFLite's
 * int32 POW; a negative value is a run-time error there, as integer powers with negative exponents are
 * in numpy). Anything else is refused naming the exponent.
 */
export function checkIntExponent(ctx: ImportContext, dtype: 'int32' | 'int64', y: string): void {
  if (!ctx.isConst(y)) {
    if (dtype === 'int32' && ctx.dtype(y) === 'int32') return;
    const why = dtype === 'int64' ? 'TFLite POW has no int64 kernel; a constant exponent becomes exact int64 MULs' : 'its values must be checked to be non-negative integers';
    ctx.fail('requires-constant-input', `Pow on ${dtype} with a ${ctx.dtype(y)} exponent: the exponent '${y}' must be a constant (${why})`);
  }
  const bad = ctx.constNumbers(y)!.find((e) => !Number.isInteger(e) || e < 0 || e >= 2 ** MAX_BITS);
  if (bad !== undefined) {
    ctx.fail('unsupported-dtype', `Pow on ${dtype} with exponent ${bad} (input '${y}'): only integer exponents in [0, 2^${MAX_BITS}) are computed exactly`);
  }
}

export function importIntPow(ctx: ImportContext, node: OnnxNode, x: string, y: string, outName: string): void {
  const dtype = 'int64';
  checkIntExponent(ctx, dtype, y);
  const shape = broadcastShapes(ctx.shape(x), ctx.shape(y));
  if (!shape) ctx.fail('shape-mismatch', `shapes [${ctx.shape(x)}] and [${ctx.shape(y)}] do not broadcast`);
  const { tensors, form } = ctx.broadcastOperands([x, y]);
  const [xt, yt] = tensors as [string, string];
  const out = ctx.define(outName, dtype, shape, form);
  const o = ctx.g.tensor(out);
  const yIr = ctx.g.tensor(yt);
  // the exponent in the IR tensor's element order (it may have been permuted to NHWC)
  const e = Array.from(yIr.data as ArrayLike<number | bigint>, Number);
  const xLayout = ctx.g.tensor(xt).layout;
  const tmp = (base: string, s: number[], layout = xLayout) => ctx.newTensor(`${out}_${base}`, dtype, s, layout);
  const mul = (a: string, b: string, into: string) => void ctx.emit('MUL', [a, b], [into], { activation: 'NONE' });
  const add = (op: 'ADD' | 'SUB', a: string, b: string, into: string) => void ctx.emit(op, [a, b], [into], { activation: 'NONE' });
  const scalar = (v: bigint) => ctx.scalarConst(`${out}_${v}`, 'int64', v);
  const mask = (k: number) => ctx.constTensor(`${out}_bit${k}`, 'int64', yIr.shape, BigInt64Array.from(e, (v) => BigInt((v >>> k) & 1)), yIr.layout);

  const bits = Math.max(0, ...e.map((v) => (v === 0 ? 0 : Math.floor(Math.log2(v)) + 1)));
  const uniform = e.every((v) => v === e[0]) && o.shape.length === ctx.g.tensor(xt).shape.length && o.shape.every((d, i) => d === ctx.g.tensor(xt).shape[i]);
  if (bits === 0) {
    // x^0 = 1 everywhere (0^0 included): 0·x + 1 keeps the runtime dependency and the broadcast shape
    const zero = tmp('zero', o.shape, o.layout);
    mul(xt, ctx.constTensor(`${out}_zeros`, 'int64', yIr.shape, new BigInt64Array(e.length), yIr.layout), zero);
    return add('ADD', zero, scalar(1n), out);
  }
  // factors[k]: the tensor to multiply in for bit k (undefined when no element has the bit)
  const factors: string[] = [];
  let p = xt; // x^(2^k)
  for (let k = 0; k < bits; k++) {
    if (k > 0) {
      const sq = tmp(`pow2_${k}`, ctx.g.tensor(xt).shape);
      mul(p, p, sq);
      p = sq;
    }
    const set = e.filter((v) => (v >>> k) & 1).length;
    if (set === 0) continue;
    if (uniform) {
      factors.push(p);
      continue;
    }
    // 1 + m_k·(p − 1): p where the bit is set, 1 elsewhere, in the output's broadcast shape
    const one = scalar(1n);
    const pm1 = tmp(`pm1_${k}`, ctx.g.tensor(xt).shape);
    add('SUB', p, one, pm1);
    const masked = tmp(`masked_${k}`, o.shape, o.layout);
    mul(pm1, mask(k), masked);
    const f = tmp(`factor_${k}`, o.shape, o.layout);
    add('ADD', masked, one, f);
    factors.push(f);
  }
  if (factors.length === 1) {
    // a single factor: x^(2^k) or the masked factor; copy it into `out` by multiplying with 1
    return mul(factors[0]!, scalar(1n), out);
  }
  let acc = factors[0]!;
  for (let i = 1; i < factors.length; i++) {
    const into = i === factors.length - 1 ? out : tmp(`acc_${i}`, o.shape, o.layout);
    mul(acc, factors[i]!, into);
    acc = into;
  }
}
