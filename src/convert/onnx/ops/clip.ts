/**
 * Clip: [0,6] → RELU6, [-1,1] → RELU_N1_TO_1, [0,∞) → RELU, otherwise MINIMUM/MAXIMUM with
 * constant bounds. min/max come from attributes (opset < 11) or constant inputs (opset ≥ 11).
 */
import { primaryOf, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

const F32_MAX = 3.4028234663852886e38;

function bound(ctx: ImportContext, node: OnnxNode, index: number, what: string): number | undefined {
  const name = node.input(index);
  if (!name) return undefined;
  const v = ctx.constFloat32(name);
  if (!v) ctx.fail('requires-constant-input', `Clip ${what} (input '${name}') must be a constant`);
  return v[0];
}

export function importClip(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  let lo: number | undefined;
  let hi: number | undefined;
  if (ctx.opset < 11) {
    lo = node.float('min');
    hi = node.float('max');
  } else {
    lo = bound(ctx, node, 1, 'min');
    hi = bound(ctx, node, 2, 'max');
  }
  const noLo = lo === undefined || lo <= -F32_MAX;
  const noHi = hi === undefined || hi >= F32_MAX;
  const { tensor, form } = primaryOf(ctx, x);
  const dtype = ctx.dtype(x);
  const shape = ctx.shape(x);
  const outName = node.outputs[0]!;
  if (lo === 0 && hi === 6) return void ctx.emit('RELU6', [tensor], [ctx.define(outName, dtype, shape, form)]);
  if (lo === -1 && hi === 1) return void ctx.emit('RELU_N1_TO_1', [tensor], [ctx.define(outName, dtype, shape, form)]);
  if (lo === 0 && noHi) return void ctx.emit('RELU', [tensor], [ctx.define(outName, dtype, shape, form)]);
  if (noLo && noHi) return ctx.alias(outName, x);
  let cur = tensor;
  const layout = ctx.g.tensor(tensor).layout;
  if (!noHi) {
    const c = ctx.float32Const(`${node.name}_max`, Float32Array.of(hi!), [1]);
    const out = noLo ? ctx.define(outName, dtype, shape, form) : ctx.newTensor(`${node.name}_min`, dtype, ctx.irShape(tensor), layout);
    ctx.emit('MINIMUM', [cur, c], [out]);
    cur = out;
  }
  if (!noLo) {
    const c = ctx.float32Const(`${node.name}_min`, Float32Array.of(lo!), [1]);
    ctx.emit('MAXIMUM', [cur, c], [ctx.define(outName, dtype, shape, form)]);
  }
}
