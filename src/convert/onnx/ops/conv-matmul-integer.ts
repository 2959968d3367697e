/**
 * ConvInteger / MatMulInteger (8-bit operands, int32 result) as float ops — the nodes left after
 * patterns/dynamic-quant.ts has rewritten the DynamicQuantizeLinear → …Integer → Cast → Mul chains:
 *
 *   a' = a − a_zero_point, b' = b − b_zero_point   (a constant operand folded; a runtime one CAST to float32 + SUB)
 *   y  = CAST(Conv(a', b') | MatMul(a', b') in float32, int32)
 *
 * Exactness: float32 holds every integer of magnitude ≤ 2^24. Each product of two differences is an
 * integer of magnitude ≤ 255·255, and every partial sum — in any order or FMA grouping a kernel uses —
 * is bounded by the sum of the absolute values of the products. The import computes that bound from
 * what it knows: the constant operand's Σ|b'| per output channel / column, and the runtime operand's
 * largest |a − zp| for its dtype and zero point (uint8 with zero point 128 → 128; a runtime zero point →
 * 255). A node whose bound exceeds 2^24 is refused, naming K and the bound; with nothing constant the
 * rule is K·255·255 ≤ 2^24, i.e. K ≤ 258. Below the bound the result equals onnxruntime's integers.
 * (The float32 arithmetic is the CPU's: LiteRT's GPU delegate computes float ops in float16 when
 * allowed, which holds integers exactly only up to 2048; the 8-bit input CASTs stay on the CPU.)
 *
 * ConvInteger pads the zero-point-subtracted input with 0, i.e. pads x with x_zero_point (onnxruntime
 * and the ONNX test data agree). Zero points: a scalar or, as the spec allows, per output channel ([M],
 * ConvInteger w), per row (MatMulInteger A: [M] for a 2-D A, or [..., M, 1]) or per column (B: [N] or
 * [..., 1, N]); the zero point of a constant operand must be constant.
 */
import { integerRanges } from '../../../ir/dtype.js';
import { numElements } from '../../../ir/tensor.js';
import type { ImportContext } from '../context.js';
import { OnnxNode } from '../node.js';
import { onnx, type AttributeProto } from '../proto.js';
import { emitBinary } from './binary.js';
import { castValue } from '../lowering/emit-cast.js';
import { checkConv, importConv } from './conv.js';
import { lift1d } from '../lowering/lift-1d.js';
import { importMatMul } from './matmul.js';
import { broadcastIndex, broadcastShapes } from '../../../ir/ndarray.js';

/** Largest integer float32 holds exactly with all smaller ones. */
const EXACT = 2 ** 24;
const RANGE = integerRanges<Int8Type>(['uint8', 'int8']);
type Int8Type = 'uint8' | 'int8';

/** The float32 ONNX value of x − zp, and the largest |x − zp| it can hold. */
interface Shifted {
  value: string;
  maxAbs: number;
  /** Constant operand: x − zp in ONNX order. */
  data?: Float32Array;
  shape: number[];
}

function int8Type(ctx: ImportContext, node: OnnxNode, i: number): Int8Type {
  const d = ctx.dtype(node.input(i));
  if (d !== 'uint8' && d !== 'int8') ctx.fail('unsupported-dtype', `${node.opType} '${node.name}' input ${i} ('${node.input(i)}') is ${d}; the spec allows int8 and uint8`);
  return d;
}

/** Shape-independent: ConvInteger weights are constant (as Conv's); known inputs are 8-bit. */
export function checkIntegerOp(ctx: ImportContext, node: OnnxNode): void {
  if (node.opType === 'ConvInteger' && (!node.input(1) || ctx.isRuntime(node.input(1)))) {
    ctx.fail('requires-constant-input', `ConvInteger weights (input '${node.input(1)}') must be a constant`);
  }
  for (const i of [0, 1]) if (ctx.has(node.input(i))) int8Type(ctx, node, i);
}

/**
 * The zero point of operand `i` (input i + 2) as a shape broadcasting against the operand in numpy
 * terms, or undefined when absent (0). `perRow`: MatMulInteger A's 1-D per-row form [M] → [M, 1].
 */
function zeroPointShape(ctx: ImportContext, node: OnnxNode, i: number): number[] | undefined {
  const zp = node.input(i + 2);
  if (!zp) return undefined;
  if (ctx.dtype(zp) !== ctx.dtype(node.input(i))) ctx.fail('invalid-model', `${node.opType} '${node.name}' zero point '${zp}' is ${ctx.dtype(zp)}, its operand '${node.input(i)}' ${ctx.dtype(node.input(i))}`);
  const zs = ctx.shape(zp);
  const xs = ctx.shape(node.input(i));
  const n = numElements(zs);
  if (n === 1) return [];
  const bad = (what: string) => ctx.fail('unsupported-attribute', `${node.opType} '${node.name}' zero point '${zp}' [${zs}] is not per-tensor or ${what} for input [${xs}]`);
  if (node.opType === 'ConvInteger') {
    if (i === 1 && zs.length === 1 && zs[0] === xs[0]) return zs; // per output channel, applied to the constant weights
    return bad(i === 0 ? 'a scalar (x_zero_point)' : 'per output channel [M]');
  }
  const r = xs.length;
  if (i === 0) {
    if (r === 2 && zs.length === 1 && zs[0] === xs[0]) return [xs[0]!, 1];
    if (zs.length === r && r >= 2 && zs[r - 1] === 1 && zs[r - 2] === xs[r - 2] && broadcastShapes(zs, xs)) return zs;
    return bad('per row ([M] for a 2-D A, or [..., M, 1])');
  }
  if (r >= 2 && zs.length === 1 && zs[0] === xs[r - 1]) return zs;
  if (zs.length === r && r >= 2 && zs[r - 2] === 1 && zs[r - 1] === xs[r - 1] && broadcastShapes(zs, xs)) return zs;
  return bad('per column ([N], or [..., 1, N])');
}

function shifted(ctx: ImportContext, node: OnnxNode, i: number): Shifted {
  const x = node.input(i);
  const type = int8Type(ctx, node, i);
  const [lo, hi] = RANGE[type];
  const name = (s: string) => `${node.name}__${i === 0 ? 'a' : 'b'}_${s}`;
  const shape = ctx.shape(x);
  const zpName = node.input(i + 2);
  const zpShape = zeroPointShape(ctx, node, i);
  const zp = zpName ? ctx.constNumbers(zpName) : [0];
  const xs = ctx.constNumbers(x);
  if (xs) {
    if (!zp) ctx.fail('requires-constant-input', `${node.opType} '${node.name}' zero point '${zpName}' of constant input '${x}' must be a constant`);
    const data = new Float32Array(xs.length);
    if (zpShape && zpShape.length && node.opType === 'ConvInteger') {
      // per output channel of the weights [M, C/g, k…]
      const inner = xs.length / shape[0]!;
      for (let e = 0; e < xs.length; e++) data[e] = xs[e]! - zp[Math.floor(e / inner)]!;
    } else {
      const idx = zpShape && zpShape.length ? broadcastIndex(zpShape, shape) : undefined;
      for (let e = 0; e < xs.length; e++) data[e] = xs[e]! - zp[idx ? idx[e]! : 0]!;
    }
    ctx.defineConst(name('shifted'), { dtype: 'float32', shape: [...shape], data });
    return { value: name('shifted'), maxAbs: data.reduce((m, v) => Math.max(m, Math.abs(v)), 0), data, shape };
  }
  castValue(ctx, x, 'float32', name('float'));
  if (!zpName || zp?.every((z) => z === 0)) return { value: name('float'), maxAbs: Math.max(-lo, hi), shape };
  let zpFloat: string;
  if (zp) {
    ctx.defineConst(name('zero_point'), { dtype: 'float32', shape: zpShape!, data: Float32Array.from(zp) });
    zpFloat = name('zero_point');
  } else {
    // a runtime zero point (e.g. DynamicQuantizeLinear's): a scalar, CAST like its operand
    if (zpShape!.length) ctx.fail('requires-constant-input', `${node.opType} '${node.name}' zero point '${zpName}' [${ctx.shape(zpName)}] must be a constant unless it is a scalar`);
    zpFloat = castValue(ctx, zpName, 'float32', name('zero_point'));
  }
  emitBinary(ctx, 'SUB', name('float'), zpFloat, name('shifted'));
  const maxAbs = zp ? Math.max(...zp.map((z) => Math.max(Math.abs(lo - z), Math.abs(hi - z)))) : hi - lo;
  return { value: name('shifted'), maxAbs, shape };
}

/** Max over the leading index of Σ|v| over `inner` consecutive values ([M, inner] rows). */
function maxRowSum(v: Float32Array, inner: number): number {
  let best = 0;
  for (let r = 0; r * inner < v.length; r++) {
    let s = 0;
    for (let k = 0; k < inner; k++) s += Math.abs(v[r * inner + k]!);
    best = Math.max(best, s);
  }
  return best;
}

/** Max over batch and column of Σ_k |v[…, k, n]| for v [..., K, N]. */
function maxColumnSum(v: Float32Array, shape: number[]): number {
  const [k, n] = [shape[shape.length - 2]!, shape[shape.length - 1]!];
  let best = 0;
  for (let b = 0; b * k * n < v.length; b++) {
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let r = 0; r < k; r++) s += Math.abs(v[(b * k + r) * n + c]!);
      best = Math.max(best, s);
    }
  }
  return best;
}

function requireExact(ctx: ImportContext, node: OnnxNode, k: number, bound: number, how: string): void {
  if (bound <= EXACT) return;
  ctx.fail(
    'unsupported-shape',
    `${node.opType} '${node.name}' sums K = ${k} products whose absolute values add up to ${bound} (${how}) > 2^24 = ${EXACT}: float32, which computes it, no longer holds every partial sum exactly`,
  );
}

/** Conv attributes rebuilt for the float Conv node (ConvInteger has Conv's attributes minus none, plus no bias). */
function convAttributes(ctx: ImportContext, node: OnnxNode): AttributeProto[] {
  const T = onnx.AttributeProto.AttributeType;
  return node.attributeNames().map((name) => {
    if (name === 'auto_pad') return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(node.string(name, 'NOTSET')) }) as AttributeProto;
    if (name === 'group') return onnx.AttributeProto.create({ name, type: T.INT, i: node.int(name, 1) }) as AttributeProto;
    if (['dilations', 'kernel_shape', 'pads', 'strides'].includes(name)) return onnx.AttributeProto.create({ name, type: T.INTS, ints: node.ints(name)! }) as AttributeProto;
    return ctx.fail('unsupported-attribute', `ConvInteger '${node.name}' has attribute '${name}', which ConvInteger does not define`);
  });
}

/** An ONNX node of `opType` over float inputs, named after `node`. */
function floatNode(node: OnnxNode, opType: string, inputs: string[], output: string, attribute: AttributeProto[] = []): OnnxNode {
  const p = onnx.NodeProto.create({ name: node.name, opType, input: inputs, output: [output], attribute });
  return new OnnxNode(p as ConstructorParameters<typeof OnnxNode>[0], 0);
}

export function importConvInteger(ctx: ImportContext, node: OnnxNode): void {
  checkIntegerOp(ctx, node);
  const [xs, ws] = [ctx.shape(node.input(0)), ctx.shape(node.input(1))];
  if (ws.length !== xs.length || xs.length < 3) ctx.fail('shape-mismatch', `ConvInteger '${node.name}' weights '${node.input(1)}' [${ws}] must be [M, C/group, k…] of x's rank (x is [${xs}])`);
  const w = shifted(ctx, node, 1);
  const x = shifted(ctx, node, 0);
  const inner = numElements(w.shape.slice(1)); // K = C/group · kernel size
  requireExact(ctx, node, inner, x.maxAbs * maxRowSum(w.data!, inner), `|x − x_zero_point| ≤ ${x.maxAbs} times Σ|w − w_zero_point| per output channel`);
  const y = `${node.name}__float`;
  const conv = floatNode(node, 'Conv', [x.value, w.value], y, convAttributes(ctx, node));
  checkConv(ctx, conv);
  lift1d(importConv)(ctx, conv);
  castValue(ctx, y, 'int32', node.outputs[0]!);
}

export function importMatMulInteger(ctx: ImportContext, node: OnnxNode): void {
  checkIntegerOp(ctx, node);
  const a = shifted(ctx, node, 0);
  const b = shifted(ctx, node, 1);
  const k = a.shape[a.shape.length - 1]!;
  if (b.data && b.shape.length >= 2) {
    requireExact(ctx, node, k, a.maxAbs * maxColumnSum(b.data, b.shape), `|A − a_zero_point| ≤ ${a.maxAbs} times Σ|B − b_zero_point| per column`);
  } else if (a.data && a.shape.length >= 2) {
    requireExact(ctx, node, k, maxRowSum(a.data, k) * b.maxAbs, `Σ|A − a_zero_point| per row times |B − b_zero_point| ≤ ${b.maxAbs}`);
  } else {
    requireExact(ctx, node, k, k * a.maxAbs * b.maxAbs, `K times |A − a_zero_point| ≤ ${a.maxAbs} times |B − b_zero_point| ≤ ${b.maxAbs}`);
  }
  const y = `${node.name}__float`;
  importMatMul(ctx, floatNode(node, 'MatMul', [a.value, b.value], y));
  castValue(ctx, y, 'int32', node.outputs[0]!);
}
