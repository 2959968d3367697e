/**
 * Softplus log(1 + eˣ) and Mish x·tanh(softplus(x)). TFLite has no builtin for either. Softplus is
 * computed in its overflow-free form max(x, 0) + log1p(e^−|x|) (RELU, ABS, NEG, EXP, ADD, SUB, DIV,
 * LOG — all GPU ops), so large |x| neither overflows EXP nor loses the linear part.
 */
import type { ImportContext } from '../context.js';
import { primaryOf } from '../context.js';
import type { OnnxNode } from '../node.js';
import { scalar, temp } from './activations.js';

/** Emits softplus(x) of IR tensor `x` into `out`. */
function emitSoftplus(ctx: ImportContext, base: string, x: string, out: string): void {
  const t = (s: string) => temp(ctx, `${base}_${s}`, x);
  const abs = t('abs');
  ctx.emit('ABS', [x], [abs]);
  const neg = t('neg');
  ctx.emit('NEG', [abs], [neg]);
  const exp = t('exp');
  ctx.emit('EXP', [neg], [exp]);
  // log1p(e) = log(y) + (e − (y − 1)) / y with y = fl(1 + e): the rounding of 1 + e corrected
  // (y − 1 is exact), so e^−|x| below float32's epsilon is not lost (softplus(−10) ≈ 4.54e−5)
  const one = scalar(ctx, `${base}_one`, 1);
  const y = t('one_plus');
  ctx.emit('ADD', [exp, one], [y], { activation: 'NONE' });
  const log = t('log');
  ctx.emit('LOG', [y], [log]);
  const yMinus1 = t('y_minus_one');
  ctx.emit('SUB', [y, one], [yMinus1], { activation: 'NONE' });
  const lost = t('lost');
  ctx.emit('SUB', [exp, yMinus1], [lost], { activation: 'NONE' });
  const corr = t('correction');
  ctx.emit('DIV', [lost, y], [corr], { activation: 'NONE' });
  const log1p = t('log1p');
  ctx.emit('ADD', [log, corr], [log1p], { activation: 'NONE' });
  const pos = t('relu');
  ctx.emit('RELU', [x], [pos]);
  ctx.emit('ADD', [pos, log1p], [out], { activation: 'NONE' });
}

export function importSoftplus(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const { tensor, form } = primaryOf(ctx, x);
  emitSoftplus(ctx, node.name, tensor, ctx.define(node.outputs[0]!, ctx.dtype(x), ctx.shape(x), form));
}

/**
 * Mish x·tanh(softplus(x)) = x·n / (n + 2) with n = eˣ(eˣ + 2) — no TANH, whose kernels are accurate
 * only to ~1e−7 absolute (a 3e−3 relative error at x = −10); eˣ is taken of min(x, 20), beyond which
 * n / (n + 2) is 1 in float32 (MINIMUM, EXP, ADD, MUL, DIV).
 */
export function importMish(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const { tensor, form } = primaryOf(ctx, x);
  const t = (s: string) => temp(ctx, `${node.name}_${s}`, tensor);
  const clamped = t('min20');
  ctx.emit('MINIMUM', [tensor, scalar(ctx, `${node.name}_twenty`, 20)], [clamped]);
  const e = t('exp');
  ctx.emit('EXP', [clamped], [e]);
  const two = scalar(ctx, `${node.name}_two`, 2);
  const ePlus2 = t('exp_plus_2');
  ctx.emit('ADD', [e, two], [ePlus2], { activation: 'NONE' });
  const n = t('n');
  ctx.emit('MUL', [e, ePlus2], [n], { activation: 'NONE' });
  const nPlus2 = t('n_plus_2');
  ctx.emit('ADD', [n, two], [nPlus2], { activation: 'NONE' });
  const ratio = t('tanh_softplus');
  ctx.emit('DIV', [n, nPlus2], [ratio], { activation: 'NONE' });
  ctx.emit('MUL', [tensor, ratio], [ctx.define(node.outputs[0]!, ctx.dtype(x), ctx.shape(x), form)], { activation: 'NONE' });
}
