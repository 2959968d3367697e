/**
 * LpNormalization: x divided by its L1 or L2 norm along `axis`, the norm from the reductions of
 * reduce.ts (NHWC-held x reduces its NHWC axis, no TRANSPOSE):
 *   p = 1: y = x / max(SUM(ABS x), FLT_MIN)      p = 2: y = x / max(SQRT(SUM(x·x)), FLT_MIN)
 * The bound makes an all-zero slice 0, as onnxruntime gives (x / 0 would be NaN); it changes no other
 * float32 result. On the fp16 GPU the bound itself is 0, so there a zero slice gives NaN.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitBinary } from './binary.js';
import { emitReduce } from './reduce.js';
import { unaryValue } from '../lowering/unary-value.js';

/** Smallest normal float32. */
const FLT_MIN = 1.1754943508222875e-38;

export function checkLpNorm(ctx: ImportContext, node: OnnxNode): void {
  const p = node.int('p', 2);
  if (p !== 1 && p !== 2) ctx.fail('unsupported-attribute', `LpNormalization p = ${p}: ONNX defines p = 1 and p = 2 only`);
}

export function importLpNorm(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const rank = ctx.rank(x);
  const given = node.int('axis', -1)!;
  const axis = given < 0 ? given + rank : given;
  if (axis < 0 || axis >= rank) ctx.fail('unsupported-attribute', `LpNormalization axis ${given} is outside rank ${rank}`);
  if (!['float32', 'float16', 'float64'].includes(ctx.dtype(x))) ctx.fail('unsupported-dtype', `LpNormalization of ${ctx.dtype(x)} '${x}': only float inputs`);
  const v = (s: string) => `${node.name}__${s}`;
  if (node.int('p', 2) === 1) {
    emitReduce(ctx, node, 'SUM', unaryValue(ctx, 'ABS', x, v('abs')), [axis], v('norm'), true);
  } else {
    emitBinary(ctx, 'MUL', x, x, v('squared'));
    emitReduce(ctx, node, 'SUM', v('squared'), [axis], v('sum_squares'), true);
    unaryValue(ctx, 'SQRT', v('sum_squares'), v('norm'));
  }
  ctx.defineConst(v('flt_min'), { dtype: 'float32', shape: [], data: Float32Array.of(FLT_MIN) });
  emitBinary(ctx, 'MAXIMUM', v('norm'), v('flt_min'), v('norm_bounded'));
  emitBinary(ctx, 'DIV', x, v('norm_bounded'), node.outputs[0]!);
}
