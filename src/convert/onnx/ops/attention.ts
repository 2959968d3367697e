/**
 * Attention (opset 23/24) as Q·Kᵀ (BATCH_MATMUL) × scale, softcap (DIV, TANH, MUL), + bias, SOFTMAX,
 * · V (BATCH_MATMUL). 3-D inputs are split into heads (RESHAPE, TRANSPOSE) by q_num_heads /
 * kv_num_heads; past_key / past_value are prepended on the sequence axis (CONCATENATION) and returned
 * as present_*; grouped KV heads are repeated (RESHAPE, CONCATENATION). The bias (attentionBias) sums
 * the attn_mask, the bottom-right causal mask and nonpad_kv_seqlen's padding mask (one constant when
 * nothing in it is a run-time value). A query row with no attendable key (false in a bool mask, below
 * −65504 in a float one, outside the causal / nonpad window) gets all-zero probabilities, decided from
 * the masks with finite comparisons only; scores are floored at −3·10⁴ before SOFTMAX (fp16 GPUs).
 * qk_matmul_output: modes 0/1 the scaled (softcapped) scores, 2 with the bias, 3 the probabilities.
 * Computed in float32 whatever softmax_precision says.
 */
import { primaryOf, type ImportContext } from '../context.js';
import { TO_NCHW } from '../layout.js';
import type { OnnxNode } from '../node.js';
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
/**
 * A float attn_mask value below this (fp16's lowest finite number, exact in fp16 and float32) masks its
 * key. The GPU holds the mask in fp16 (round to nearest), where values at or below −65520 become −inf
 * and those in (−65520, −65504) become −65504, so its `mask ≥ −65504` is the float32 one but for that sliver; it
 * compares with a finite constant only (comparisons against ±inf are unreliable in its fp16 shaders).
 * A row filled with a finite value below it (−1e9, float32's lowest) is treated as fully masked (zeros),
 * where onnxruntime's float32 softmax spreads it evenly.
 */
const MASKED_BELOW = -65504;

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
    // [B, kv, 1, T·d] copied r times on axis 2 (CONCATENATION; the WebGPU delegate fails to build a heads GATHER)
    const r = qh / kvh;
    const repeat = (t: string, d: number, s: string): string => {
      const flat = ctx.reshape(t, [b, kvh, 1, total * d], 'NCHW', v(`${s}_flat`));
      const copies = op('CONCATENATION', new Array<string>(r).fill(flat), `${s}_copies`, [b, kvh, r, total * d], { axis: 2, activation: 'NONE' });
      return ctx.reshape(copies, [b, qh, total, d], 'NCHW', v(`${s}_repeated`));
    };
    k = repeat(k, hs, 'key');
    val = repeat(val, hv, 'value');
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

  const { bias, biasShape, attendable } = attentionBias(ctx, node, st, { b, sq, total, past });
  if (bias) scores = arith('ADD', scores, bias, 'qk_biased', scoresShape);
  // −inf scores floored at −3·10⁴: the same zero after SOFTMAX, no NaN on the GPU's fp16 softmax
  const floored = bias ? op('MAXIMUM', [scores, scalar('score_floor', SCORE_FLOOR)], 'qk_floored', scoresShape) : scores;
  let probs = op('SOFTMAX', [floored], 'probs', scoresShape, { beta: 1 });
  if (bias) {
    // rows with no attendable key: zeros (SELECT_V2 on whether the row has a key marked attendable)
    const rowShape = [...biasShape.slice(0, 3), 1];
    const known = ctx.g.tensor(bias).data as Float32Array | undefined;
    const openRows = known && Uint8Array.from({ length: known.length / total }, (_, r) => (known.subarray(r * total, (r + 1) * total).some((x) => x >= MASKED_BELOW) ? 1 : 0));
    const open = openRows
      ? openRows.every((x) => x === 1) ? undefined : ctx.constTensor(v('row_open'), 'bool', rowShape, openRows, 'NCHW')
      : op('GREATER', [op('REDUCE_MAX', [attendable!, ctx.int32Const(v('last_axis'), [3])], 'row_attendable', rowShape, { keepDims: true }), scalar('none_attendable', 0)], 'row_open', rowShape, {}, 'bool');
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
 * Beside a run-time bias, `attendable` (same shape, 1 / 0) marks the keys a query may attend to: a
 * bool mask's true keys, a float mask's keys ≥ MASKED_BELOW, and the causal / nonpad keys allowed.
 */
function attentionBias(ctx: ImportContext, node: OnnxNode, st: Steps, dims: { b: number; sq: number; total: number; past: number }): { bias?: string; biasShape: number[]; attendable?: string } {
  const { v, op, arith, scalar, fail } = st;
  const { b, sq, total, past } = dims;
  const constant = constantBias(ctx, node, dims, fail);
  if (constant) return { bias: ctx.constTensor(v('bias'), 'float32', constant.shape, constant.data, 'NCHW'), biasShape: constant.shape };
  let bias: string | undefined;
  let attendable: string | undefined;
  let biasShape: number[] = [];
  const made = new Map<number, string>();
  const k = (x: number) => made.get(x) ?? made.set(x, scalar(x === 1 ? 'one' : x === 0 ? 'zero' : 'neg_inf', x)).get(x)!;
  const addBias = (t: string, allowed: string, shape: number[]) => {
    if (!bias) [bias, attendable, biasShape] = [t, allowed, shape];
    else {
      biasShape = biasShape.map((d, i) => Math.max(d, shape[i]!));
      bias = arith('ADD', bias, t, 'bias', biasShape);
      attendable = arith('MUL', attendable!, allowed, 'attendable', biasShape);
    }
  };
  const mask = node.input(3);
  if (mask) {
    const ms = ctx.shape(mask);
    if (ms.length > 4) fail(`attn_mask [${ms}] has rank above 4`);
    // bool → float where the mask is held, before any TRANSPOSE / RESHAPE (bool is no GPU tensor type);
    // a float mask's key counts as masked below MASKED_BELOW
    const held = primaryOf(ctx, mask);
    const heldShape = ctx.irShape(held.tensor);
    const inHeldForm = (code: 'SELECT_V2' | 'GREATER_EQUAL', ins: string[], s: string, dtype: Dt = 'float32'): string => {
      const out = ctx.newTensor(v(s), dtype, heldShape, held.form === 'NHWC' ? 'NHWC' : heldShape.length === 4 ? 'NCHW' : 'plain');
      ctx.emit(code, ins, [out]);
      return out;
    };
    const toOnnxOrder = (t: string, s: string) => (held.form === 'NHWC' ? ctx.permute(t, TO_NCHW, 'NCHW', v(s)) : t);
    const isBool = ctx.dtype(mask) === 'bool';
    const open = isBool ? held.tensor : inHeldForm('GREATER_EQUAL', [held.tensor, scalar('masked_below', MASKED_BELOW)], 'mask_open', 'bool');
    let m = isBool ? toOnnxOrder(inHeldForm('SELECT_V2', [held.tensor, k(0), k(-Infinity)], 'mask_bias'), 'mask_bias_nchw') : ctx.nchw(mask);
    let allowed = toOnnxOrder(inHeldForm('SELECT_V2', [open, k(1), k(0)], 'mask_attendable'), 'mask_attendable_nchw');
    let shape = [...new Array<number>(4 - ms.length).fill(1), ...ms];
    if (ms.length < 4) {
      m = ctx.reshape(m, shape, 'NCHW', v('mask_4d'));
      allowed = ctx.reshape(allowed, shape, 'NCHW', v('mask_attendable_4d'));
    }
    const padBy = total - shape[3]!;
    if (padBy < 0) fail(`attn_mask [${ms}] is longer than the ${total} keys`);
    if (padBy > 0) {
      // keys past the mask's end are masked
      const padShape = [...shape.slice(0, 3), padBy];
      const filled = (s: string, x: number) => ctx.constTensor(v(s), 'float32', padShape, new Float32Array(padShape.reduce((p, d) => p * d, 1)).fill(x), 'NCHW');
      shape = [...shape.slice(0, 3), total];
      m = op('CONCATENATION', [m, filled('mask_pad', -Infinity)], 'mask_padded', shape, { axis: 3, activation: 'NONE' });
      allowed = op('CONCATENATION', [allowed, filled('mask_attendable_pad', 0)], 'mask_attendable_padded', shape, { axis: 3, activation: 'NONE' });
    }
    addBias(m, allowed, shape);
  }
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
    addBias(op('SELECT_V2', [allowed, k(0), k(-Infinity)], 'kv_bias', shape), op('SELECT_V2', [allowed, k(1), k(0)], 'kv_attendable', shape), shape);
  } else if (causal) {
    const data = new Float32Array(sq * total);
    for (let i = 0; i < sq; i++) for (let j = 0; j < total; j++) data[i * total + j] = j <= i + past ? 0 : -Infinity;
    const allowed = Float32Array.from(data, (x) => (x === 0 ? 1 : 0));
    addBias(ctx.constTensor(v('causal'), 'float32', [1, 1, sq, total], data, 'NCHW'), ctx.constTensor(v('causal_attendable'), 'float32', [1, 1, sq, total], allowed, 'NCHW'), [1, 1, sq, total]);
  }
  return { bias, biasShape, attendable };
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
