/**
 * GroupNormalization as ops the GPU delegate takes: the channels split into `num_groups` groups, each
 * group normalized over its channels and the spatial axes, then a per-channel scale and bias.
 *   NHWC-held x [N,H,W,C]: RESHAPE [N, H·W, G, C/G], statistics over axes 1 and 3 (no TRANSPOSE)
 *   otherwise  x [N,C,…]:  RESHAPE [N, G, C/G·…],    statistics over axis 2
 * then RESHAPE back, MUL by scale and ADD bias, both [1, C, 1, …]. Opsets 18–20 give scale and bias per
 * group ([G], repeated over the group's channels here), opset 21 per channel ([C]).
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { permuteShape } from '../../../ir/ndarray.js';
import { TO_NHWC } from '../layout.js';
import { emitBinary } from './binary.js';
import { emitReshape } from '../lowering/emit-reshape.js';
import { normalize } from './normalization.js';

/** Per-channel constant [1, C, 1, …] from a per-channel ([C]) or per-group ([G]) input. */
function channelConst(ctx: ImportContext, node: OnnxNode, i: number, what: 'scale' | 'bias', channels: number, groups: number, perGroup: boolean, rank: number): string {
  const data = ctx.constFloat32(node.input(i));
  if (!data) ctx.fail('requires-constant-input', `GroupNormalization ${what} (input '${node.input(i)}') must be a constant`);
  const want = perGroup ? groups : channels;
  if (data.length !== want) {
    ctx.fail('shape-mismatch', `GroupNormalization (opset ${ctx.opset}) ${what} has ${data.length} elements; it must have one per ${perGroup ? `group (${groups})` : `channel (${channels})`}`);
  }
  const size = channels / groups;
  const full = perGroup ? Float32Array.from({ length: channels }, (_, c) => data[Math.floor(c / size)]!) : Float32Array.from(data);
  const name = `${node.name}__${what}_per_channel`;
  ctx.defineConst(name, { dtype: 'float32', shape: [1, channels, ...new Array<number>(rank - 2).fill(1)], data: full });
  return name;
}

export function groupNorm(perGroup: boolean) {
  return (ctx: ImportContext, node: OnnxNode): void => {
    const x = node.input(0);
    const xs = ctx.shape(x);
    if (xs.length < 3) ctx.fail('unsupported-shape', `GroupNormalization needs an input [N, C, spatial…]; '${x}' is [${xs}]`);
    const [n, channels] = [xs[0]!, xs[1]!];
    const groups = node.int('num_groups') ?? 0;
    if (groups <= 0 || channels % groups !== 0) ctx.fail('unsupported-attribute', `GroupNormalization num_groups ${groups} must divide the ${channels} channels`);
    const scale = channelConst(ctx, node, 1, 'scale', channels, groups, perGroup, xs.length);
    const bias = channelConst(ctx, node, 2, 'bias', channels, groups, perGroup, xs.length);
    const eps = node.float('epsilon', 1e-5)!;
    const v = (s: string) => `${node.name}__${s}`;
    const spatial = xs.slice(2).reduce((p, d) => p * d, 1);
    if (xs.length === 4 && ctx.isNhwc(x)) {
      // channels last: the groups are contiguous runs of C/G channels at every pixel
      const view = [n, spatial, groups, channels / groups];
      ctx.bind(v('grouped'), ctx.reshape(ctx.nhwc(x), view, 'plain', v('grouped')), 'float32', view, 'ONNX');
      const y = normalize(ctx, node.name, v('grouped'), [1, 3], eps, undefined, false, {});
      ctx.bind(v('normalized_full'), ctx.reshape(ctx.nchw(y), permuteShape(xs, TO_NHWC), 'NHWC', v('normalized_full')), 'float32', xs, 'NHWC');
    } else {
      emitReshape(ctx, x, [n, groups, (channels / groups) * spatial], v('grouped'));
      const y = normalize(ctx, node.name, v('grouped'), [2], eps, undefined, false, {});
      emitReshape(ctx, y, xs, v('normalized_full'));
    }
    emitBinary(ctx, 'MUL', v('normalized_full'), scale, v('scaled'));
    emitBinary(ctx, 'ADD', v('scaled'), bias, node.outputs[0]!);
  };
}
