/**
 * Clip: [0,6] → RELU6, [-1,1] → RELU_N1_TO_1, [0,∞) → RELU, otherwise MINIMUM/MAXIMUM with
 * constant bounds. min/max come from attributes (opsets 1–10, `clipAttributeBounds`) or constant
 * inputs (11+, `clipInputBounds`): one table row each.
 */
import { allocTyped } from '../../../ir/dtype.js';
import { primaryOf, type Form, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

const F32_MAX = 3.4028234663852886e38;

function bound(ctx: ImportContext, node: OnnxNode, index: number, what: string): number | undefined {
  const name = node.input(index);
  if (!name) return undefined;
  const v = ctx.constFloat32(name);
  if (!v) ctx.fail('requires-constant-input', `Clip ${what} (input '${name}') must be a constant`);
  return v[0];
}

/** The node's lower and upper bound (undefined: unbounded). */
type ClipBounds = (ctx: ImportContext, node: OnnxNode) => { lo: number | undefined; hi: number | undefined };

export const clipAttributeBounds: ClipBounds = (_ctx, node) => ({ lo: node.float('min'), hi: node.float('max') });

export const clipInputBounds: ClipBounds = (ctx, node) => ({ lo: bound(ctx, node, 1, 'min'), hi: bound(ctx, node, 2, 'max') });

/** Shape-independent: the bound inputs are constants. */
export function checkClipInputs(ctx: ImportContext, node: OnnxNode): void {
  for (const [i, what] of [[1, 'min'], [2, 'max']] as const) {
    const name = node.input(i);
    if (ctx.isRuntime(name)) ctx.fail('requires-constant-input', `Clip ${what} (input '${name}') must be a constant`);
  }
}

export const clip = (bounds: ClipBounds) => (ctx: ImportContext, node: OnnxNode): void => {
  const x = node.input(0);
  const { lo, hi } = bounds(ctx, node);
  const noLo = lo === undefined || lo <= -F32_MAX;
  const noHi = hi === undefined || hi >= F32_MAX;
  const { tensor, form } = primaryOf(ctx, x);
  const dtype = ctx.dtype(x);
  const shape = ctx.shape(x);
  const outName = node.outputs[0]!;
  if (noLo && noHi) return ctx.alias(outName, x);
  if (dtype !== 'float32') return minMax(ctx, node, tensor, form, lo, hi, noLo, noHi);
  if (lo === 0 && hi === 6) return void ctx.emit('RELU6', [tensor], [ctx.define(outName, dtype, shape, form)]);
  if (lo === -1 && hi === 1) return void ctx.emit('RELU_N1_TO_1', [tensor], [ctx.define(outName, dtype, shape, form)]);
  if (lo === 0 && noHi) return void ctx.emit('RELU', [tensor], [ctx.define(outName, dtype, shape, form)]);
  minMax(ctx, node, tensor, form, lo, hi, noLo, noHi);
};

/** ONNX Clip = min(max(x, lo), hi): MAXIMUM first, then MINIMUM (so lo > hi gives hi, as ONNX says). */
function minMax(ctx: ImportContext, node: OnnxNode, tensor: string, form: Form, lo: number | undefined, hi: number | undefined, noLo: boolean, noHi: boolean): void {
  const x = node.input(0);
  const dtype = ctx.dtype(x);
  const scalar = (name: string, v: number) => {
    const data = allocTyped(dtype, 1);
    if (dtype === 'int64') (data as BigInt64Array)[0] = BigInt(Math.round(v));
    else (data as Float32Array)[0] = v;
    return ctx.constTensor(name, dtype, ctx.irShape(tensor).length ? [1] : [], data); // a rank-0 x keeps rank 0
  };
  let cur = tensor;
  if (!noLo) {
    const out = noHi ? ctx.define(node.outputs[0]!, dtype, ctx.shape(x), form) : ctx.newTensor(`${node.name}_max`, dtype, ctx.irShape(tensor), ctx.g.tensor(tensor).layout);
    ctx.emit('MAXIMUM', [cur, scalar(`${node.name}_lo`, lo!)], [out]);
    cur = out;
  }
  if (!noHi) ctx.emit('MINIMUM', [cur, scalar(`${node.name}_hi`, hi!)], [ctx.define(node.outputs[0]!, dtype, ctx.shape(x), form)]);
}
