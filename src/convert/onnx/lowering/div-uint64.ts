/**
 * uint64 Div, exactly, with no 64-bit divide kernel (TFLite DIV: float32 / int32): float32 estimates
 * refined on an exact int64 remainder. All integers are uint64 bits held in int64 (BITCAST, widen.ts).
 *
 * Invariant: R = A − Q·B with 0 ≤ R (Q = 0, R = A at the start). Each step adds
 *   dq = max(0, trunc(f(R) / f(B) · (1 − 2^-18)) − 1)
 * where f is a float32 conversion (relative error ≤ 2^-22) and the division rounds once more, so the
 * estimate is below R / B and dq ≤ ⌊R / B⌋: dq·B ≤ R, and Q + dq, R − dq·B stay exact in [0, 2^64)
 * (int64 MUL / SUB / ADD wrap modulo 2^64, the same bits). Each step leaves R / B ≤ (R / B)·2^-17.6 + 2
 * (the CAST to int64 saturates at 2^63 − 1, which only B = 1 reaches, costing one step): from
 * R / B < 2^64, five steps bring R / B below 3, and three steps "R ≥ B: Q += 1, R −= B" (unsigned
 * comparison by order keys) end with R < B, so Q = ⌊A / B⌋. Division by zero is undefined in ONNX: a
 * constant divisor holding 0 is refused at import (binary.ts); a run-time 0 gives garbage, not an error.
 */
import type { ImportContext } from '../context.js';
import { irSteps } from './ir-steps.js';
import { bitsAsUint64, int64Bits, unsignedOrderKey } from './widen.js';

const ESTIMATE_STEPS = 5;
const UNIT_STEPS = 3;

export function emitUint64Div(ctx: ImportContext, a: string, b: string, out: string): void {
  const { op, arith, cast, scalar } = irSteps(ctx, out, 'u64div');
  const i64 = (v: bigint) => scalar('int64', v);
  const f32 = (v: number) => scalar('float32', v);
  /** float32 near the uint64 value of int64 bits `x` (relative error ≤ 2^-22). */
  const toFloat = (x: string) => {
    const f = cast(x, 'float32');
    return op('SELECT_V2', [op('LESS', [x, i64(0n)], 'bool'), arith('ADD', f, f32(2 ** 64), 'float32'), f], 'float32');
  };

  const A = int64Bits(ctx, a);
  const B = int64Bits(ctx, b);
  const fB = toFloat(B);
  const keyB = unsignedOrderKey(ctx, B);
  let Q: string | undefined;
  let R = A;
  for (let step = 0; step < ESTIMATE_STEPS; step++) {
    const est = arith('MUL', arith('DIV', toFloat(R), fB, 'float32'), f32(1 - 2 ** -18), 'float32');
    const dq = op('MAXIMUM', [arith('SUB', cast(est, 'int64'), i64(1n), 'int64'), i64(0n)], 'int64');
    R = arith('SUB', R, arith('MUL', dq, B, 'int64'), 'int64');
    Q = Q ? arith('ADD', Q, dq, 'int64') : dq;
  }
  for (let step = 0; step < UNIT_STEPS; step++) {
    const c = cast(op('GREATER_EQUAL', [unsignedOrderKey(ctx, R), keyB], 'bool'), 'int64');
    Q = arith('ADD', Q!, c, 'int64');
    if (step < UNIT_STEPS - 1) R = arith('SUB', R, arith('MUL', c, B, 'int64'), 'int64');
  }
  bitsAsUint64(ctx, Q!, out);
}
