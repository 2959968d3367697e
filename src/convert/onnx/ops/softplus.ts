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
 * Mish x·tanh(softplus(x)) = x·n / (n + 2) with n = eˣ(eˣ + 2), written in w = e^−|x| ∈ (0, 1] so no
 * intermediate overflows — in float32 or in the GPU's fp16, where n itself passes 65504 at x ≈ 5.5:
 * x < 0: n = w(w + 2), ratio n / (n + 2); x ≥ 0: ratio (1 + 2w) / (1 + 2w + 2w²). No TANH either, whose
 * kernels are accurate only to ~1e−7 absolute (a 3e−3 relative error at x = −10). ABS, NEG, EXP, ADD,
 * MUL, DIV, GREATER_EQUAL → SELECT_V2.
 */
export function importMish(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const { tensor, form } = primaryOf(ctx, x);
  const t = (s: string) => temp(ctx, `${node.name}_${s}`, tensor);
  const one = scalar(ctx, `${node.name}_one`, 1);
  const two = scalar(ctx, `${node.name}_two`, 2);
  const abs = t('abs');
  ctx.emit('ABS', [tensor], [abs]);
  const negAbs = t('neg_abs');
  ctx.emit('NEG', [abs], [negAbs]);
  const w = t('w');
  ctx.emit('EXP', [negAbs], [w]);
  // x < 0
  const wPlus2 = t('w_plus_2');
  ctx.emit('ADD', [w, two], [wPlus2], { activation: 'NONE' });
  const nNeg = t('n_neg');
  ctx.emit('MUL', [w, wPlus2], [nNeg], { activation: 'NONE' });
  const dNeg = t('d_neg');
  ctx.emit('ADD', [nNeg, two], [dNeg], { activation: 'NONE' });
  const rNeg = t('ratio_neg');
  ctx.emit('DIV', [nNeg, dNeg], [rNeg], { activation: 'NONE' });
  // x ≥ 0
  const twoW = t('two_w');
  ctx.emit('MUL', [w, two], [twoW], { activation: 'NONE' });
  const p = t('p');
  ctx.emit('ADD', [twoW, one], [p], { activation: 'NONE' });
  const twoW2 = t('two_w2');
  ctx.emit('MUL', [w, twoW], [twoW2], { activation: 'NONE' });
  const dPos = t('d_pos');
  ctx.emit('ADD', [p, twoW2], [dPos], { activation: 'NONE' });
  const rPos = t('ratio_pos');
  ctx.emit('DIV', [p, dPos], [rPos], { activation: 'NONE' });
  const held = ctx.g.tensor(tensor);
  const nonNeg = ctx.newTensor(`${node.name}_non_negative`, 'bool', held.shape, held.layout);
  ctx.emit('GREATER_EQUAL', [tensor, scalar(ctx, `${node.name}_zero`, 0)], [nonNeg]);
  const ratio = t('tanh_softplus');
  ctx.emit('SELECT_V2', [nonNeg, rPos, rNeg], [ratio]);
  ctx.emit('MUL', [tensor, ratio], [ctx.define(node.outputs[0]!, ctx.dtype(x), ctx.shape(x), form)], { activation: 'NONE' });
}
