/**
 * Attention (opset 23/24) as Q·Kᵀ (BATCH_MATMUL) × scale, softcap (DIV, TANH, MUL), + bias, SOFTMAX,
 * · V (BATCH_MATMUL). 3-D inputs are split into heads (RESHAPE, TRANSPOSE) by q_num_heads /
 * kv_num_heads; past_key / past_value are prepended on the sequence axis (CONCATENATION) and returned
 * as present_*; grouped KV heads are repeated (SLICE pieces and a CONCATENATION, or one GATHER). The bias (attentionBias) sums the attn_mask,
 * the bottom-right causal mask and nonpad_kv_seqlen's padding mask (one constant when nothing in it is
 * a run-time value); a query row whose bias is −inf everywhere gets all-zero probabilities, and scores
 * are floored at −3·10⁴ before SOFTMAX (fp16 GPUs). qk_matmul_output: modes 0/1 the scaled (softcapped) scores,
 * 2 with the bias, 3 the probabilities. Computed in float32 whatever softmax_precision says.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitConstGather } from '../lowering/const-gather.js';
import type { Attrs } from '../../../ir/node.js';
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';

export function checkAttention(ctx: ImportContext, node: OnnxNode): void {
  if (node.input(6) && node.input(4)) ctx.fail('invalid-model', `Attention '${node.name}': nonpad_kv_seqlen cannot be combined with past_key / past_value`);
  if (!!node.input(4) !== !!node.input(5)) ctx.fail('invalid-model', `Attention '${node.name}': past_key and past_value must be given together`);
  const mode = node.int('qk_matmul_output_mode', 0)!;
  if (mode < 0 || mode > 3) ctx.fail('unsupported-attribute', `Attention '${node.name}': qk_matmul_output_mode ${mode} is not one of 0-3`);
}

type Dt = 'float32' | 'bool';
/** Far below any real score, within fp16 range: EXP of it minus a row maximum is 0. */
const SCORE_FLOOR = -3e4;

/** Emitting helpers naming their results after the node. */
function attentionSteps(ctx: ImportContext, node: OnnxNode) {
  const v = (s: string) => `${node.name}__${s}`;
  const op = (code: BuiltinOpName, ins: string[], s: string, shape: number[], attrs: Attrs = {}, dtype: Dt = 'float32'): string => {
    const out = ctx.newTensor(v(s), dtype, shape, shape.length === 4 ? 'NCHW' : 'plain');
    ctx.emit(code, ins, [out], attrs);
    return out;
  };
  return {
    v,
    op,
    arith: (code: 'ADD' | 'MUL' | 'DIV', a: string, b: string, s: string, shape: number[]) => op(code, [a, b], s, shape, { activation: 'NONE' }),
    scalar: (s: string, x: number) => ctx.constTensor(v(s), 'float32', [], Float32Array.of(x)),
    fail: (m: string): never => ctx.fail('unsupported-attribute', `Attention '${node.name}': ${m}`),
  };
}
type Steps = ReturnType<typeof attentionSteps>;

export function importAttention(ctx: ImportContext, node: OnnxNode): void {
  const st = attentionSteps(ctx, node);
  const { v, op, arith, scalar, fail } = st;
  const qs = ctx.shape(node.input(0));
  const threeD = qs.length === 3;
  if (!threeD && qs.length !== 4) fail(`Q [${qs}] must be 3-D or 4-D`);

  // Q, K, V as [B, heads, S, head_size]
  const heads = (i: number, attr: string): string => {
    const t = ctx.nchw(node.input(i));
    if (!threeD) return t;
    const [b, s, hidden] = ctx.shape(node.input(i)) as [number, number, number];
    const n = node.int(attr, 0)!;
    if (n <= 0 || hidden % n !== 0) fail(`${attr} ${n} must divide the hidden size ${hidden} of the 3-D input '${node.input(i)}'`);
    const split = ctx.reshape(t, [b, s, n, hidden / n], 'NCHW', v(`in${i}_split`));
    return ctx.permute(split, [0, 2, 1, 3], 'NCHW', v(`in${i}_heads`));
  };
  const q = heads(0, 'q_num_heads');
  let k = heads(1, 'kv_num_heads');
  let val = heads(2, 'kv_num_heads');
  const [b, qh, sq, hs] = ctx.irShape(q) as [number, number, number, number];
  const past = node.input(4) ? ctx.shape(node.input(4))[2]! : 0;
  if (node.input(4)) {
    k = op('CONCATENATION', [ctx.nchw(node.input(4)), k], 'present_key', [b, ctx.irShape(k)[1]!, past + ctx.irShape(k)[2]!, ctx.irShape(k)[3]!], { axis: 2, activation: 'NONE' });
    val = op('CONCATENATION', [ctx.nchw(node.input(5)), val], 'present_value', [b, ctx.irShape(val)[1]!, past + ctx.irShape(val)[2]!, ctx.irShape(val)[3]!], { axis: 2, activation: 'NONE' });
  }
  const [, kvh, total] = ctx.irShape(k) as [number, number, number, number];
  const hv = ctx.irShape(val)[3]!;
  if (node.outputs[1]) ctx.bind(node.outputs[1], k, 'float32', ctx.irShape(k), 'ONNX');
  if (node.outputs[2]) ctx.bind(node.outputs[2], val, 'float32', ctx.irShape(val), 'ONNX');
  // grouped-query attention: KV head j serves query heads j·r … j·r + r − 1
  if (kvh !== qh) {
    if (qh % kvh !== 0) fail(`${qh} query heads are not a multiple of ${kvh} KV heads`);
    const ids = Array.from({ length: qh }, (_, i) => Math.floor(i / (qh / kvh)));
    // SLICE pieces and a CONCATENATION when few (const-gather.ts), else one GATHER
    const repeat = (t: string, s: string, shape: number[]): string => {
      const out = ctx.newTensor(v(s), 'float32', shape, 'NCHW');
      if (!emitConstGather(ctx, t, 1, ids, out)) ctx.emit('GATHER', [t, ctx.int32Const(v(`${s}_ids`), ids)], [out], { axis: 1, batchDims: 0 });
      return out;
    };
    k = repeat(k, 'key_repeated', [b, qh, total, hs]);
    val = repeat(val, 'value_repeated', [b, qh, total, hv]);
  }

  // scores [B, heads, Sq, T]
  const scoresShape = [b, qh, sq, total];
  const qk = op('BATCH_MATMUL', [q, k], 'qk', scoresShape, { adjX: false, adjY: true });
  const scale = node.float('scale') ?? 1 / Math.sqrt(hs);
  let scores = arith('MUL', qk, scalar('scale', scale), 'qk_scaled', scoresShape);
  const softcap = node.float('softcap', 0)!;
  if (softcap > 0) {
    const cap = scalar('softcap', softcap);
    const t = op('TANH', [arith('DIV', scores, cap, 'qk_over_cap', scoresShape)], 'qk_tanh', scoresShape);
    scores = arith('MUL', t, cap, 'qk_capped', scoresShape);
  }
  const rawScores = scores;

  const { bias, biasShape } = attentionBias(ctx, node, st, { b, sq, total, past });
  if (bias) scores = arith('ADD', scores, bias, 'qk_biased', scoresShape);
  // −inf scores floored at −3·10⁴: the same zero after SOFTMAX, no NaN on the GPU's fp16 softmax
  const floored = bias ? op('MAXIMUM', [scores, scalar('score_floor', SCORE_FLOOR)], 'qk_floored', scoresShape) : scores;
  let probs = op('SOFTMAX', [floored], 'probs', scoresShape, { beta: 1 });
  if (bias) {
    // rows with no attendable key: zeros (SELECT_V2 on whether the row's bias is > −inf anywhere)
    const rowShape = [...biasShape.slice(0, 3), 1];
    const known = ctx.g.tensor(bias).data as Float32Array | undefined;
    const openRows = known && Uint8Array.from({ length: known.length / total }, (_, r) => (known.subarray(r * total, (r + 1) * total).some((x) => x > -Infinity) ? 1 : 0));
    const open = openRows
      ? openRows.every((x) => x === 1) ? undefined : ctx.constTensor(v('row_open'), 'bool', rowShape, openRows, 'NCHW')
      : op('GREATER', [op('REDUCE_MAX', [bias, ctx.int32Const(v('last_axis'), [3])], 'bias_row_max', rowShape, { keepDims: true }), scalar('neg_inf_row', -Infinity)], 'row_open', rowShape, {}, 'bool');
    if (open) probs = op('SELECT_V2', [open, probs, scalar('zero_prob', 0)], 'probs_guarded', scoresShape);
  }
  if (node.outputs[3]) {
    const mode = node.int('qk_matmul_output_mode', 0)!;
    const out = mode === 3 ? probs : mode === 2 ? scores : rawScores;
    ctx.bind(node.outputs[3], out, 'float32', scoresShape, 'ONNX');
  }

  const y = op('BATCH_MATMUL', [probs, val], 'y_heads', [b, qh, sq, hv], { adjX: false, adjY: false });
  if (!threeD) return ctx.bind(node.outputs[0]!, y, 'float32', [b, qh, sq, hv], 'ONNX');
  const seqMajor = ctx.permute(y, [0, 2, 1, 3], 'NCHW', v('y_seq_major'));
  ctx.bind(node.outputs[0]!, ctx.reshape(seqMajor, [b, sq, qh * hv], 'plain', v('y')), 'float32', [b, sq, qh * hv], 'ONNX');
}

/**
 * The additive bias [≤B, ≤heads, ≤Sq, T] (0 / −inf or the float mask), or none: attn_mask (bool →
 * SELECT_V2; −inf-padded to T keys) + the causal mask (a constant, query i sees keys j ≤ i + past) or,
 * with nonpad_kv_seqlen, each batch's real keys j < len[b] (and j ≤ i + len[b] − Sq when causal).
 */
function attentionBias(ctx: ImportContext, node: OnnxNode, st: Steps, dims: { b: number; sq: number; total: number; past: number }): { bias?: string; biasShape: number[] } {
  const { v, op, arith, scalar, fail } = st;
  const { b, sq, total, past } = dims;
  const constant = constantBias(ctx, node, dims, fail);
  if (constant) return { bias: ctx.constTensor(v('bias'), 'float32', constant.shape, constant.data, 'NCHW'), biasShape: constant.shape };
  let bias: string | undefined;
  let biasShape: number[] = [];
  const mask = node.input(3);
  if (mask) {
    const ms = ctx.shape(mask);
    if (ms.length > 4) fail(`attn_mask [${ms}] has rank above 4`);
    let m = ctx.nchw(mask);
    let shape = [...new Array<number>(4 - ms.length).fill(1), ...ms];
    if (ms.length < 4) m = ctx.reshape(m, shape, 'NCHW', v('mask_4d'));
    if (ctx.dtype(mask) === 'bool') m = op('SELECT_V2', [m, scalar('zero', 0), scalar('neg_inf', -Infinity)], 'mask_bias', shape);
    const padBy = total - shape[3]!;
    if (padBy < 0) fail(`attn_mask [${ms}] is longer than the ${total} keys`);
    if (padBy > 0) {
      const padShape = [...shape.slice(0, 3), padBy];
      const pad = ctx.constTensor(v('mask_pad'), 'float32', padShape, new Float32Array(padShape.reduce((p, x) => p * x, 1)).fill(-Infinity), 'NCHW');
      shape = [...shape.slice(0, 3), total];
      m = op('CONCATENATION', [m, pad], 'mask_padded', shape, { axis: 3, activation: 'NONE' });
    }
    bias = m;
    biasShape = shape;
  }
  const addBias = (t: string, shape: number[]) => {
    if (!bias) [bias, biasShape] = [t, shape];
    else {
      biasShape = biasShape.map((d, i) => Math.max(d, shape[i]!));
      bias = arith('ADD', bias, t, 'bias', biasShape);
    }
  };
  const causal = node.int('is_causal', 0) === 1;
  const lens = node.input(6);
  if (lens) {
    // nonpad_kv_seqlen[b]: keys j < len[b] are real; causal frontier j ≤ i + len[b] − Sq (bottom-right)
    const l = ctx.nchw(lens);
    const lf = ctx.dtype(lens) === 'float32' ? l : op('CAST', [l], 'kv_lens_f', [b], { inDataType: ctx.g.tensor(l).dtype, outDataType: 'float32' });
    const l4 = ctx.reshape(lf, [b, 1, 1, 1], 'NCHW', v('kv_lens_4d'));
    const keyIds = ctx.constTensor(v('key_ids'), 'float32', [1, 1, 1, total], Float32Array.from({ length: total }, (_, j) => j), 'NCHW');
    let allowed = op('LESS', [keyIds, l4], 'kv_unpadded', [b, 1, 1, total], {}, 'bool');
    let shape = [b, 1, 1, total];
    if (causal) {
      const need = Float32Array.from({ length: sq * total }, (_, x) => (x % total) - Math.floor(x / total) + sq);
      const frontier = op('LESS_EQUAL', [ctx.constTensor(v('causal_need'), 'float32', [1, 1, sq, total], need, 'NCHW'), l4], 'kv_causal', [b, 1, sq, total], {}, 'bool');
      shape = [b, 1, sq, total];
      allowed = op('LOGICAL_AND', [allowed, frontier], 'kv_allowed', shape, {}, 'bool');
    }
    addBias(op('SELECT_V2', [allowed, scalar('zero_kv', 0), scalar('neg_inf_kv', -Infinity)], 'kv_bias', shape), shape);
  } else if (causal) {
    const data = new Float32Array(sq * total);
    for (let i = 0; i < sq; i++) for (let j = 0; j < total; j++) data[i * total + j] = j <= i + past ? 0 : -Infinity;
    addBias(ctx.constTensor(v('causal'), 'float32', [1, 1, sq, total], data, 'NCHW'), [1, 1, sq, total]);
  }
  return { bias, biasShape };
}

/** The bias computed here when attn_mask is constant or absent (and there is no nonpad_kv_seqlen); undefined otherwise or when there is none. */
function constantBias(ctx: ImportContext, node: OnnxNode, dims: { sq: number; total: number; past: number }, fail: (m: string) => never): { data: Float32Array; shape: number[] } | undefined {
  const { sq, total, past } = dims;
  const mask = node.input(3);
  const causal = node.int('is_causal', 0) === 1;
  if (node.input(6) || (mask && !ctx.isConst(mask)) || (!mask && !causal)) return undefined;
  const ms = mask ? ctx.shape(mask) : [];
  if (ms.length > 4) fail(`attn_mask [${ms}] has rank above 4`);
  const m4 = mask ? [...new Array<number>(4 - ms.length).fill(1), ...ms] : [1, 1, 1, total];
  if (m4[3]! > total) fail(`attn_mask [${ms}] is longer than the ${total} keys`);
  const values = mask ? ctx.constNumbers(mask)! : undefined;
  const isBool = !!mask && ctx.dtype(mask) === 'bool';
  const shape = [m4[0]!, m4[1]!, causal ? sq : m4[2]!, total];
  const data = new Float32Array(shape.reduce((p, x) => p * x, 1));
  let o = 0;
  for (let i0 = 0; i0 < shape[0]!; i0++) for (let i1 = 0; i1 < shape[1]!; i1++) for (let i = 0; i < shape[2]!; i++) {
    const row = ((i0 * m4[1]! + i1) * m4[2]! + (m4[2] === 1 ? 0 : i)) * m4[3]!;
    for (let j = 0; j < total; j++, o++) {
      const m = !values ? 0 : j >= m4[3]! ? -Infinity : isBool ? (values[row + j] ? 0 : -Infinity) : values[row + j]!;
      data[o] = causal && j > i + past ? -Infinity : m;
    }
  }
  return { data, shape };
}
