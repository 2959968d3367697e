/**
 * RMSNormalization (opset 23): y = x · rsqrt(mean(x², axes [axis, rank)) + ε) · scale, as MUL, MEAN
 * (keep dims, NHWC axes for an NHWC-held x), ADD, RSQRT, MUL — GPU ops. Computed in float32 whatever
 * stash_type says (float16 values are held in float32).
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitBinary } from './binary.js';
import { emitReduce } from './reduce.js';
import { fullRank } from './normalization.js';
import { unaryValue } from '../lowering/unary-value.js';
import { axisAttr } from '../lowering/axis-attr.js';

export function importRmsNorm(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const rank = ctx.rank(x);
  const axis = axisAttr(ctx, node, rank, -1);
  const v = (s: string) => `${node.name}__${s}`;
  emitBinary(ctx, 'MUL', x, x, v('squared'));
  emitReduce(ctx, node, 'MEAN', v('squared'), [...Array(rank).keys()].slice(axis), v('mean_square'), true);
  ctx.defineConst(v('epsilon'), { dtype: 'float32', shape: [], data: Float32Array.of(node.float('epsilon', 1e-5)!) });
  emitBinary(ctx, 'ADD', v('mean_square'), v('epsilon'), v('mean_square_eps'));
  unaryValue(ctx, 'RSQRT', v('mean_square_eps'), v('inv_rms'));
  emitBinary(ctx, 'MUL', x, v('inv_rms'), v('normalized'));
  // a constant scale is padded to 4-D against a 4-D x (the broadcast the GPU delegate accepts)
  const scale = ctx.isConst(node.input(1)) ? fullRank(ctx, node.input(1), rank) : node.input(1);
  emitBinary(ctx, 'MUL', v('normalized'), scale, node.outputs[0]!);
}
