/**
 * QDQ and integer-quantized ONNX. Constant DequantizeLinear / QuantizeLinear fold (fold/quant.ts:
 * float weights that keep their quant params). Here, runtime tensors: an activation's
 * QuantizeLinear → DequantizeLinear pair (fake quantization) becomes the float tensor itself with
 * the pair's scale / zero point recorded as its `quant` (for `mai quantize` to reuse). Every other
 * runtime QuantizeLinear / DequantizeLinear / DynamicQuantizeLinear is integer data the model really
 * computes (a quantized graph input or output, integers between ops): a quantized input TFLite
 * DEQUANTIZE takes as it is → DEQUANTIZE, the rest → exact float32 compute (quant-runtime.ts).
 * Dynamic-quantized chains are rewritten into float ops before import (patterns/dynamic-quant.ts);
 * standalone ConvInteger / MatMulInteger are conv-matmul-integer.ts.
 */
import type { DType } from '../../../ir/dtype.js';
import type { QuantParams } from '../../../ir/tensor.js';
import { TO_NHWC } from '../layout.js';
import { primaryOf, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { lowerDequantize, lowerDynamicQuantize, lowerQuantize } from '../lowering/quant-runtime.js';

interface FakeQuant {
  /** The float value the QuantizeLinear read. */
  source: string;
  quant: QuantParams;
  scaleName: string;
  zpName: string;
}

/** QuantizeLinear outputs awaiting their DequantizeLinear, per import. */
const pending = new WeakMap<ImportContext, Map<string, FakeQuant>>();

function params(ctx: ImportContext, node: OnnxNode, x: string): { quant: QuantParams; zpType: DType } {
  const scale = ctx.requireConst(node.input(1), `${node.opType} scale`);
  const zpName = node.input(2);
  const zp = zpName ? ctx.requireConst(zpName, `${node.opType} zero point`) : scale.map(() => 0);
  const zpType: DType = zpName ? ctx.dtype(zpName) : 'uint8';
  if (ctx.rank(node.input(1)) > 1) ctx.fail('unsupported-attribute', `${node.opType} '${node.name}': a rank-${ctx.rank(node.input(1))} scale needs block_size > 0 (blocked quantization)`);
  if (scale.length === 1) return { quant: { scale, zeroPoint: zp }, zpType };
  const r = ctx.rank(x);
  const a = node.int('axis', 1);
  return { quant: { scale, zeroPoint: zp, axis: a < 0 ? a + r : a }, zpType };
}

const sameParams = (a: QuantParams, b: QuantParams) =>
  a.scale.length === b.scale.length && a.scale.every((s, i) => s === b.scale[i] && a.zeroPoint[i] === b.zeroPoint[i]) && a.axis === b.axis;

/** Scale and zero point are constants, or single runtime values (per tensor, computed: quant-runtime.ts). */
export function checkQuantParams(ctx: ImportContext, node: OnnxNode): void {
  for (const [i, what] of [[1, 'scale'], [2, 'zero point']] as const) {
    const n = node.input(i);
    if (n && ctx.isRuntime(n) && ctx.shape(n).reduce((p, q) => p * q, 1) !== 1) {
      ctx.fail('requires-constant-input', `${node.opType} ${what} (input '${n}') must be a constant (a runtime one only per tensor, a single value)`);
    }
  }
}

const runtimeParams = (ctx: ImportContext, node: OnnxNode) => [node.input(1), node.input(2)].some((n) => n && ctx.isRuntime(n));

/** QuantizeLinear of a runtime float tensor: half of a Q→DQ pair when only DequantizeLinear reads it, else computed. */
export function importQuantizeLinear(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const y = node.outputs[0]!;
  const users = ctx.consumers.get(y) ?? [];
  // integers used as such, parameters no TFLite quant params hold (blocked, computed at run time): computed
  if (users.some((u) => u !== 'DequantizeLinear') || node.int('block_size', 0) > 0 || runtimeParams(ctx, node)) return lowerQuantize(ctx, node);
  const { quant } = params(ctx, node, x);
  let m = pending.get(ctx);
  if (!m) pending.set(ctx, (m = new Map()));
  m.set(y, { source: x, quant, scaleName: node.input(1), zpName: node.input(2) });
  ctx.alias(y, x); // only DequantizeLinear reads it (checked above)
}

/** DequantizeLinear of a runtime tensor: the second half of a Q→DQ pair. */
export function importDequantizeLinear(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const fq = pending.get(ctx)?.get(x);
  if (!fq) return dequantizeRuntime(ctx, node, x);
  const { quant } = params(ctx, node, x);
  if (!sameParams(quant, fq.quant)) {
    ctx.fail('unsupported-attribute', `DequantizeLinear '${node.name}' uses scale/zero point [${quant.scale}]/[${quant.zeroPoint}] unlike its QuantizeLinear's [${fq.quant.scale}]/[${fq.quant.zeroPoint}] (requantization is not supported)`);
  }
  ctx.alias(node.outputs[0]!, fq.source);
  const v = ctx.value(fq.source);
  v.quant = fq.quant;
  for (const [form, t] of v.forms) {
    const q = fq.quant.axis !== undefined && form === 'NHWC' ? { ...fq.quant, axis: (TO_NHWC as readonly number[]).indexOf(fq.quant.axis) } : fq.quant;
    ctx.withQuant(t, q);
  }
}

/**
 * DequantizeLinear of a runtime integer tensor (a quantized graph input): TFLite DEQUANTIZE with the
 * parameters on its input where it takes them — per-tensor int8 / uint8 / int16 (zero point 0, as
 * TFLite requires), per-axis symmetric int8 — computing the same single-rounded float32 product as
 * onnxruntime; otherwise (uint16, int32, other zero points, blocked) the same computed exactly.
 */
function dequantizeRuntime(ctx: ImportContext, node: OnnxNode, x: string): void {
  const dtype = ctx.dtype(x);
  if (node.int('block_size', 0) > 0 || runtimeParams(ctx, node)) return lowerDequantize(ctx, node);
  const { quant } = params(ctx, node, x);
  const perAxis = quant.axis !== undefined;
  const ok = perAxis ? dtype === 'int8' && quant.zeroPoint.every((z) => z === 0) : dtype === 'int8' || dtype === 'uint8' || (dtype === 'int16' && quant.zeroPoint[0] === 0);
  if (!ok) return lowerDequantize(ctx, node);
  const { tensor, form } = primaryOf(ctx, x);
  const q = perAxis && form === 'NHWC' ? { ...quant, axis: (TO_NHWC as readonly number[]).indexOf(quant.axis!) } : quant;
  ctx.withQuant(tensor, q);
  const out = ctx.define(node.outputs[0]!, 'float32', ctx.shape(x), form);
  ctx.emit('DEQUANTIZE', [tensor], [out]);
}

/** DynamicQuantizeLinear whose outputs are all used by rewritten chains needs nothing; otherwise it is computed. */
export function importDynamicQuantizeLinear(ctx: ImportContext, node: OnnxNode): void {
  const used = node.outputs.filter((o) => o && (ctx.consumers.get(o) ?? []).length);
  if (used.length) lowerDynamicQuantize(ctx, node);
}
