/**
 * uint32 Div, exactly, from TFLite's int32 DIV (truncating; TFLite has no int64 or unsigned DIV, and
 * float32 cannot hold 32-bit quotients). In int64, with A, B the operands (0 ≤ A, B < 2^32):
 * - B ≥ 2^31: the quotient is 0 or 1 (A < 2^32 ≤ 2B): A ≥ B;
 * - B < 2^31: A = h·2^31 + L with h ∈ {0, 1}, L < 2^31. Both L and 2^31 − 1 fit int32, so
 *   L = ql·B + rl and 2^31 − 1 = Q·B + R by int32 DIV; then A = (ql + h·Q)·B + (rl + h·(R + 1)) with
 *   the last term < 2B, so the quotient is ql + h·(Q + [R + 1 ≥ B − rl]) (that comparison stays in
 *   int32: both sides are in [1, B]).
 * Division by zero is undefined in ONNX: a constant divisor holding 0 is refused at import (binary.ts);
 * a run-time 0 is int32 DIV's (LiteRT reports an error).
 */
import type { ImportContext } from '../context.js';
import { irSteps } from './ir-steps.js';
import { widenTensor } from './widen.js';

const TWO31 = 2 ** 31;

export function emitUint32Div(ctx: ImportContext, a: string, b: string, out: string): void {
  const { op, arith, cast, scalar } = irSteps(ctx, out, 'udiv');
  const i64 = (v: number) => scalar('int64', v);
  const i32 = (v: number) => scalar('int32', v);

  const A = widenTensor(ctx, a, 'int64');
  const B = widenTensor(ctx, b, 'int64');
  const h = op('GREATER_EQUAL', [A, i64(TWO31)], 'bool');
  const low = cast(op('SELECT_V2', [h, arith('SUB', A, i64(TWO31), 'int64'), A], 'int64'), 'int32');
  const bBig = op('GREATER_EQUAL', [B, i64(TWO31)], 'bool');
  const bs = cast(op('SELECT_V2', [bBig, i64(1), B], 'int64'), 'int32'); // B, or 1 where B ≥ 2^31 (that branch is not divided)
  const max = i32(TWO31 - 1);
  const ql = arith('DIV', low, bs, 'int32');
  const rl = arith('SUB', low, arith('MUL', ql, bs, 'int32'), 'int32');
  const Q = arith('DIV', max, bs, 'int32');
  const R1 = arith('ADD', arith('SUB', max, arith('MUL', Q, bs, 'int32'), 'int32'), i32(1), 'int32');
  const carry = cast(op('GREATER_EQUAL', [R1, arith('SUB', bs, rl, 'int32')], 'bool'), 'int64');
  const high = op('SELECT_V2', [h, arith('ADD', cast(Q, 'int64'), carry, 'int64'), i64(0)], 'int64');
  const small = arith('ADD', cast(ql, 'int64'), high, 'int64');
  const q = op('SELECT_V2', [bBig, cast(op('GREATER_EQUAL', [A, B], 'bool'), 'int64'), small], 'int64');
  ctx.emit('CAST', [q], [out], { inDataType: 'int64', outDataType: 'uint32' });
}
