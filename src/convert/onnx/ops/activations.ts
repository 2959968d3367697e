/**
 * Parametric activations, all layout-agnostic (they run on the value's own form):
 * LeakyRelu → LEAKY_RELU; PRelu → PRELU (constant slope, brought to the input's layout);
 * Elu → ELU (alpha 1) or ELU + MINIMUM/MUL/ADD; HardSigmoid → MUL, ADD (fused RELU6), MUL;
 * HardSwish → HARD_SWISH; Gelu → GELU (approximate none | tanh).
 */
import type { Attrs } from '../../../ir/node.js';
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import { primaryOf, type Form, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { broadcastShapes } from '../../../ir/ndarray.js';

/** Emits one-input `op` on x's own form into the node's output. */
function emitOnOwnForm(ctx: ImportContext, node: OnnxNode, op: BuiltinOpName, attrs: Attrs = {}): void {
  const x = node.input(0);
  const { tensor, form } = primaryOf(ctx, x);
  ctx.emit(op, [tensor], [ctx.define(node.outputs[0]!, ctx.dtype(x), ctx.shape(x), form)], attrs);
}

/** A float32 scalar constant tensor. */
export function scalar(ctx: ImportContext, base: string, v: number): string {
  return ctx.float32Const(base, Float32Array.of(v), [1]);
}

/** Intermediate tensor shaped like `like` (same IR shape and layout). */
export function temp(ctx: ImportContext, base: string, like: string): string {
  const t = ctx.g.tensor(like);
  return ctx.newTensor(base, t.dtype, t.shape, t.layout);
}

export function importLeakyRelu(ctx: ImportContext, node: OnnxNode): void {
  emitOnOwnForm(ctx, node, 'LEAKY_RELU', { alpha: node.float('alpha', 0.01) });
}

export function importHardSwish(ctx: ImportContext, node: OnnxNode): void {
  emitOnOwnForm(ctx, node, 'HARD_SWISH');
}

/** Gelu's `approximate` is 'none' or 'tanh' (TFLite GELU approximate=true is the same tanh formula). */
export function checkGelu(ctx: ImportContext, node: OnnxNode): void {
  const a = node.string('approximate', 'none');
  if (a !== 'none' && a !== 'tanh') ctx.fail('unsupported-attribute', `Gelu approximate='${a}' is not 'none' or 'tanh'`);
}

export function importGelu(ctx: ImportContext, node: OnnxNode): void {
  emitOnOwnForm(ctx, node, 'GELU', { approximate: node.string('approximate', 'none') === 'tanh' });
}

/** PRelu's slope must be constant (TFLite PRELU on the GPU takes a constant alpha). */
export function checkPRelu(ctx: ImportContext, node: OnnxNode): void {
  const s = node.input(1);
  if (ctx.isRuntime(s)) ctx.fail('requires-constant-input', `PRelu slope (input '${s}') must be a constant`);
}

/**
 * PRelu. The slope is brought to the input's layout (an NHWC input gets it permuted like any
 * broadcast constant: [C,1,1] → [C]). A per-channel (or single) slope becomes PRELU with a [C]
 * alpha — the one shape both the GPU delegate (linear alpha) and XNNPack accept; any other
 * slope shape is decomposed exactly as x + (slope − 1)·min(x, 0): MINIMUM, MUL, ADD.
 */
export function importPRelu(ctx: ImportContext, node: OnnxNode): void {
  emitPRelu(ctx, node, node.input(1));
}

/** Opsets 1–6: a 1-D slope of length C applies to axis 1 (no numpy broadcasting). */
export function importPReluLegacy(ctx: ImportContext, node: OnnxNode): void {
  let slope = node.input(1);
  const xs = ctx.shape(node.input(0));
  const ss = ctx.shape(slope);
  if (ss.length === 1 && xs.length >= 2 && ss[0] === xs[1] && ss[0] !== 1) {
    const name = `${node.name}__slope_on_axis1`;
    ctx.defineConst(name, { ...ctx.constant(slope)!, shape: [ss[0]!, ...new Array<number>(xs.length - 2).fill(1)] });
    slope = name;
  }
  emitPRelu(ctx, node, slope);
}

function emitPRelu(ctx: ImportContext, node: OnnxNode, slope: string): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const { tensor, form } = primaryOf(ctx, x);
  const st = ctx.g.tensor(form === 'NHWC' ? ctx.nhwc(slope) : ctx.nchw(slope));
  const alpha = st.data as Float32Array;
  const irShape = ctx.irShape(tensor);
  const c = irShape[irShape.length - 1] ?? 1;
  const n = alpha.length;
  const perChannel = st.shape.slice(0, -1).every((d) => d === 1) && st.shape[st.shape.length - 1] === c;
  const out = () => ctx.define(node.outputs[0]!, ctx.dtype(x), xs, form);
  if (irShape.length > 0 && (n === 1 || perChannel)) {
    const a = ctx.float32Const(`${node.name}_alpha`, n === 1 ? new Float32Array(c).fill(alpha[0]!) : Float32Array.from(alpha), [c]);
    return void ctx.emit('PRELU', [tensor, a], [out()]);
  }
  const neg = temp(ctx, `${node.name}_neg`, tensor);
  ctx.emit('MINIMUM', [tensor, scalar(ctx, `${node.name}_zero`, 0)], [neg]);
  const scaled = ctx.newTensor(`${node.name}_neg_scaled`, st.dtype, broadcastShapes(irShape, st.shape)!, ctx.g.tensor(tensor).layout);
  const slopeMinus1 = ctx.float32Const(`${node.name}_slope_minus_1`, alpha.map((v) => v - 1), st.shape, st.layout);
  ctx.emit('MUL', [neg, slopeMinus1], [scaled], { activation: 'NONE' });
  ctx.emit('ADD', [tensor, scaled], [out()], { activation: 'NONE' });
}

/**
 * Elu: alpha = 1 is TFLite ELU. Otherwise elu_α(x) = e + (α − 1)·min(e, 0) with e = ELU(x)
 * (for x ≤ 0, e = exp(x) − 1 ≤ 0; for x > 0, e = x > 0 and the correction is 0) — exact, GPU ops only.
 */
export function importElu(ctx: ImportContext, node: OnnxNode): void {
  const alpha = node.float('alpha', 1);
  if (alpha === 1) return emitOnOwnForm(ctx, node, 'ELU');
  const x = node.input(0);
  const { tensor, form } = primaryOf(ctx, x);
  const e = temp(ctx, `${node.name}_elu`, tensor);
  ctx.emit('ELU', [tensor], [e]);
  const neg = temp(ctx, `${node.name}_elu_neg`, tensor);
  ctx.emit('MINIMUM', [e, scalar(ctx, `${node.name}_zero`, 0)], [neg]);
  const scaled = temp(ctx, `${node.name}_elu_neg_scaled`, tensor);
  ctx.emit('MUL', [neg, scalar(ctx, `${node.name}_alpha_minus_1`, alpha - 1)], [scaled], { activation: 'NONE' });
  ctx.emit('ADD', [e, scaled], [defineOut(ctx, node, form)], { activation: 'NONE' });
}

function defineOut(ctx: ImportContext, node: OnnxNode, form: Form): string {
  const x = node.input(0);
  return ctx.define(node.outputs[0]!, ctx.dtype(x), ctx.shape(x), form);
}

/**
 * HardSigmoid max(0, min(1, αx + β)) = RELU6(6αx + 6β) / 6: MUL, ADD with fused RELU6, MUL — all
 * GPU ops (TFLite has no fused 0..1 clamp).
 */
export function importHardSigmoid(ctx: ImportContext, node: OnnxNode): void {
  const alpha = node.float('alpha', 0.2);
  const beta = node.float('beta', 0.5);
  const x = node.input(0);
  const { tensor, form } = primaryOf(ctx, x);
  const scaled = temp(ctx, `${node.name}_scaled`, tensor);
  ctx.emit('MUL', [tensor, scalar(ctx, `${node.name}_6alpha`, 6 * alpha)], [scaled], { activation: 'NONE' });
  const clamped = temp(ctx, `${node.name}_relu6`, tensor);
  ctx.emit('ADD', [scaled, scalar(ctx, `${node.name}_6beta`, 6 * beta)], [clamped], { activation: 'RELU6' });
  ctx.emit('MUL', [clamped, scalar(ctx, `${node.name}_sixth`, 1 / 6)], [defineOut(ctx, node, form)], { activation: 'NONE' });
}
