/**
 * ReduceL1 / ReduceL2 / ReduceSumSquare / ReduceLogSum / ReduceLogSumExp, lowered onto the plain
 * reductions of reduce.ts (same axes, keepdims, noop_with_empty_axes and NHWC handling):
 *   L1 = SUM(ABS x), SumSquare = SUM(x·x), L2 = SQRT(SUM(x·x)), LogSum = LOG(SUM x),
 *   LogSumExp = m + LOG(SUM(EXP(x − m))), m = REDUCE_MAX(x) over the same axes clamped to the finite
 *   float32 range, so large inputs do not overflow EXP and ±inf inputs give what onnxruntime gives
 *   (+inf when some x is +inf, −inf when all are −inf). LiteRT's LOG(+inf) is finite (≈ 88.7), so the
 *   logs add a term that is +inf exactly when the sum is (logValue). On the fp16 GPU the FLT_MAX bound
 *   itself is inf, so there an infinite input or sum gives NaN (finite inputs are unaffected).
 *   NaN inputs give NaN (onnxruntime too, except its all-axes LogSumExp, which can skip a NaN).
 * With empty axes and noop_with_empty_axes = 1 nothing is reduced but the element-wise part is kept,
 * as onnxruntime does: L1 / L2 → |x|, SumSquare → x², LogSum → log x, LogSumExp → x.
 * Only float types (float16 / float64 are held in float32): the integer forms ONNX allows would need
 * exact int32 / int64 accumulation with a truncating SQRT / LOG, refused by name.
 * Reductions over an empty tensor fold to constants (fold/reduce.ts): 0, or −inf for the logs.
 */
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import { numElements } from '../../../ir/tensor.js';
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitBinary } from './binary.js';
import { emitReduce, reducedAxes } from './reduce.js';
import type { AxesSource } from '../lowering/axes.js';
import { unaryValue } from '../lowering/unary-value.js';

const FLOATS = new Set(['float32', 'float16', 'float64']);

/** Largest finite float32: the clamp that keeps LogSumExp's shift finite. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** A rank-0 float32 constant ONNX value. */
function floatConst(ctx: ImportContext, name: string, v: number): string {
  ctx.defineConst(name, { dtype: 'float32', shape: [], data: Float32Array.of(v) });
  return name;
}

/**
 * LOG of a sum `s` into `name`. LiteRT's LOG of +inf is log(FLT_MAX) ≈ 88.7, not +inf: the term
 * max(s − FLT_MAX, 0) (0 for every finite s, +inf for +inf) restores it; −inf (s = 0) stays. On the
 * fp16 GPU the bound is inf, so the term is max(−inf, 0) = 0 for finite sums there.
 */
function logValue(ctx: ImportContext, s: string, name: string): string {
  const over = binaryValue(ctx, 'SUB', s, floatConst(ctx, `${name}__float32_max`, FLOAT32_MAX), `${name}__above_max`);
  const inf = binaryValue(ctx, 'MAXIMUM', over, floatConst(ctx, `${name}__zero`, 0), `${name}__overflow`);
  return binaryValue(ctx, 'ADD', unaryValue(ctx, 'LOG', s, `${name}__log`), inf, name);
}

export function binaryValue(ctx: ImportContext, op: BuiltinOpName, a: string, b: string, name: string): string {
  emitBinary(ctx, op, a, b, name);
  return name;
}

export const reduceComposite = (axesOf: AxesSource) => (ctx: ImportContext, node: OnnxNode): void => {
  const op = node.opType;
  const x = node.input(0);
  const out = node.outputs[0]!;
  const dtype = ctx.dtype(x);
  if (!FLOATS.has(dtype)) {
    ctx.fail('unsupported-dtype', `${op} of ${dtype} '${x}' is not supported: only float inputs (an integer ${op} needs exact integer accumulation${op === 'ReduceL1' || op === 'ReduceSumSquare' ? '' : ' and a truncating ' + (op === 'ReduceL2' ? 'SQRT' : 'LOG')})`);
  }
  const xs = ctx.shape(x);
  if (numElements(xs) === 0) ctx.fail('shape-mismatch', `${op} of the empty tensor '${x}' [${xs}] was not folded`);
  const step = (tag: string) => `${out}__${tag}`;
  const axes = reducedAxes(ctx, node, xs.length, axesOf);
  if (!axes) {
    // noop_with_empty_axes with empty axes: each element is reduced alone
    if (op === 'ReduceL1' || op === 'ReduceL2') unaryValue(ctx, 'ABS', x, out);
    else if (op === 'ReduceSumSquare') binaryValue(ctx, 'MUL', x, x, out);
    else if (op === 'ReduceLogSum') logValue(ctx, x, out);
    else ctx.alias(out, x);
    return;
  }
  const sum = (v: string, name: string, keep?: boolean): string => {
    emitReduce(ctx, node, 'SUM', v, axes, name, keep);
    return name;
  };
  switch (op) {
    case 'ReduceL1':
      sum(unaryValue(ctx, 'ABS', x, step('abs')), out);
      return;
    case 'ReduceSumSquare':
      sum(binaryValue(ctx, 'MUL', x, x, step('square')), out);
      return;
    case 'ReduceL2':
      unaryValue(ctx, 'SQRT', sum(binaryValue(ctx, 'MUL', x, x, step('square')), step('sum')), out);
      return;
    case 'ReduceLogSum':
      logValue(ctx, sum(x, step('sum')), out);
      return;
    default:
      return logSumExp(ctx, node, x, axes, out);
  }
};

function logSumExp(ctx: ImportContext, node: OnnxNode, x: string, axes: number[], out: string): void {
  const step = (tag: string) => `${out}__${tag}`;
  const hi = floatConst(ctx, step('float32_max'), FLOAT32_MAX);
  const lo = floatConst(ctx, step('float32_lowest'), -FLOAT32_MAX);
  emitReduce(ctx, node, 'REDUCE_MAX', x, axes, step('max'), true);
  const m = binaryValue(ctx, 'MAXIMUM', binaryValue(ctx, 'MINIMUM', step('max'), hi, step('max_below')), lo, step('shift'));
  const e = unaryValue(ctx, 'EXP', binaryValue(ctx, 'SUB', x, m, step('centered')), step('exp'));
  emitReduce(ctx, node, 'SUM', e, axes, step('sum'), true);
  const kept = binaryValue(ctx, 'ADD', logValue(ctx, step('sum'), step('log')), m, node.int('keepdims', 1) === 1 ? out : step('kept'));
  // keepdims = 0: drop the reduced (now size-1) axes with a SUM over them, which reduce.ts lays out
  if (kept !== out) emitReduce(ctx, node, 'SUM', kept, axes, out, false);
}
