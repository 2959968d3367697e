/**
 * LpNormalization: x divided by its L1 or L2 norm along `axis`, the norm from the reductions of
 * reduce.ts (NHWC-held x reduces its NHWC axis, no TRANSPOSE):
 *   p = 1: n = SUM(ABS x)      p = 2: n = SQRT(SUM(x·x))      y = x / (n + CAST(n == 0))
 * Adding 1 where the norm is 0 makes an all-zero slice 0, as onnxruntime gives (x / 0 would be NaN),
 * and changes no other result — on the fp16 GPU too (EQUAL, CAST, ADD are GPU ops).
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitBinary } from './binary.js';
import { emitReduce } from './reduce.js';
import { unaryValue } from '../lowering/unary-value.js';
import { castValue } from '../lowering/emit-cast.js';
import { axisAttr } from '../lowering/axis-attr.js';

export function checkLpNorm(ctx: ImportContext, node: OnnxNode): void {
  const p = node.int('p', 2);
  if (p !== 1 && p !== 2) ctx.fail('unsupported-attribute', `LpNormalization p = ${p}: ONNX defines p = 1 and p = 2 only`);
}

export function importLpNorm(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const rank = ctx.rank(x);
  const axis = axisAttr(ctx, node, rank, -1);
  if (!['float32', 'float16', 'float64'].includes(ctx.dtype(x))) ctx.fail('unsupported-dtype', `LpNormalization of ${ctx.dtype(x)} '${x}': only float inputs`);
  const v = (s: string) => `${node.name}__${s}`;
  if (node.int('p', 2) === 1) {
    emitReduce(ctx, node, 'SUM', unaryValue(ctx, 'ABS', x, v('abs')), [axis], v('norm'), true);
  } else {
    emitBinary(ctx, 'MUL', x, x, v('squared'));
    emitReduce(ctx, node, 'SUM', v('squared'), [axis], v('sum_squares'), true);
    unaryValue(ctx, 'SQRT', v('sum_squares'), v('norm'));
  }
  ctx.defineConst(v('zero'), { dtype: 'float32', shape: [], data: Float32Array.of(0) });
  const { tensors, form } = ctx.broadcastOperands([v('norm'), v('zero')]);
  ctx.emit('EQUAL', tensors, [ctx.define(v('norm_is_zero'), 'bool', ctx.shape(v('norm')), form)]);
  const zeroNorm = v('norm_is_zero');
  emitBinary(ctx, 'ADD', v('norm'), castValue(ctx, zeroNorm, 'float32', v('norm_is_zero_f')), v('norm_nonzero'));
  emitBinary(ctx, 'DIV', x, v('norm_nonzero'), node.outputs[0]!);
}
