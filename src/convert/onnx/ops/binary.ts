/**
 * Add, Sub, Mul, Div with numpy broadcasting; operands follow the NHWC activation when there is one.
 * Integer types without a kernel: 8/16-bit and uint32 computed in int32 / int64 and cast back, uint64 on
 * its int64 bits (widen.ts), uint32 Div from int32 DIVs (lowering/div-uint32.ts), uint64 Div from float32
 * estimates refined on an exact remainder (lowering/div-uint64.ts).
 */
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import type { DType } from '../../../ir/dtype.js';
import { missingKernel } from '../kernel-dtypes.js';
import { bitsAsUint64, int64Bits, widenTensor } from '../lowering/widen.js';
import { emitUint32Div } from '../lowering/div-uint32.js';
import { emitUint64Div } from '../lowering/div-uint64.js';
import { broadcastShapes } from '../../../ir/ndarray.js';

/** Emits `op` over ONNX values a, b into ONNX output `outName`. */
export function emitBinary(ctx: ImportContext, op: BuiltinOpName, a: string, b: string, outName: string): void {
  const shape = broadcastShapes(ctx.shape(a), ctx.shape(b));
  if (!shape) ctx.fail('shape-mismatch', `shapes [${ctx.shape(a)}] and [${ctx.shape(b)}] do not broadcast`);
  // float16 constants are materialized as float32; a runtime dtype without a kernel is rejected by ctx.emit
  const dtype = ctx.dtype(a) === 'float16' ? 'float32' : ctx.dtype(a);
  const { tensors, form } = ctx.broadcastOperands([a, b]);
  const out = ctx.define(outName, dtype, shape, form);
  if (dtype === 'uint64') return emitUint64(ctx, op, tensors, out);
  if (dtype === 'uint32' && op === 'DIV') return emitUint32Div(ctx, tensors[0]!, tensors[1]!, out);
  const wide = widerInteger(op, dtype);
  if (!wide) {
    ctx.emit(op, tensors, [out], { activation: 'NONE' });
    return;
  }
  // No TFLite kernel for this integer type: compute in a wider one and cast back. CAST truncates
  // modulo 2^bits like ONNX's integer arithmetic, and the quotient of in-range values is in range.
  const widened = tensors.map((t) => widenTensor(ctx, t, wide));
  const o = ctx.g.tensor(out);
  const result = ctx.newTensor(`${out}_${wide}`, wide, o.shape, o.layout);
  ctx.emit(op, widened, [result], { activation: 'NONE' });
  ctx.emit('CAST', [result], [out]);
}

/**
 * uint64 ADD / SUB / MUL: the same bits as int64 arithmetic modulo 2^64, so the operands are
 * reinterpreted as int64 (BITCAST), computed there and reinterpreted back; DIV: lowering/div-uint64.ts.
 */
function emitUint64(ctx: ImportContext, op: BuiltinOpName, tensors: string[], out: string): void {
  if (op === 'DIV') return emitUint64Div(ctx, tensors[0]!, tensors[1]!, out);
  if (op !== 'ADD' && op !== 'SUB' && op !== 'MUL') ctx.fail('unsupported-dtype', `${ctx.node?.opType ?? op} on uint64: TFLite ${op} has no uint64 kernel`);
  const o = ctx.g.tensor(out);
  const result = ctx.newTensor(`${out}_bits`, 'int64', o.shape, o.layout);
  ctx.emit(op, tensors.map((t) => int64Bits(ctx, t)), [result], { activation: 'NONE' });
  bitsAsUint64(ctx, result, out);
}

/** The integer type `op` computes `dtype` in when TFLite has no kernel for `dtype` itself. */
function widerInteger(op: BuiltinOpName, dtype: DType): 'int32' | 'int64' | undefined {
  if (!missingKernel(op, [dtype])) return undefined;
  if (['int8', 'uint8', 'int16', 'uint16'].includes(dtype)) return 'int32';
  if (dtype === 'uint32' && !missingKernel(op, ['int64'])) return 'int64';
  return undefined;
}

const legacyAxis = (node: OnnxNode) => node.int('broadcast', 0) === 1 && node.has('axis');

/** Shape-independent (opsets 1–6): a legacy broadcast with axis needs a constant B. */
export function checkLegacyBroadcast(ctx: ImportContext, node: OnnxNode): void {
  const b = node.input(1);
  if (legacyAxis(node) && ctx.isRuntime(b)) {
    ctx.fail('requires-constant-input', `legacy broadcast with axis=${node.int('axis', 0)} needs a constant second input ('${b}')`);
  }
}

/** Opset 7+: numpy broadcasting. */
export function binary(op: BuiltinOpName) {
  return (ctx: ImportContext, node: OnnxNode): void => emitArithmetic(ctx, node, op, node.input(1));
}

/** Opsets 1–6: `broadcast=1, axis=k` lines B up with A at axis k. */
export function binaryLegacy(op: BuiltinOpName) {
  return (ctx: ImportContext, node: OnnxNode): void => emitArithmetic(ctx, node, op, legacyAxis(node) ? legacyAxisOperand(ctx, node, node.input(1)) : node.input(1));
}

function emitArithmetic(ctx: ImportContext, node: OnnxNode, op: BuiltinOpName, b: string): void {
  if (op === 'DIV') checkConstantDivisor(ctx, node, b);
  emitBinary(ctx, op, node.input(0), b, node.outputs[0]!);
}

const INTEGER: ReadonlySet<DType> = new Set<DType>(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64']);

/**
 * An integer Div by a constant holding 0 is refused: ONNX leaves integer division by zero undefined,
 * and the converted model would fail every run (TFLite's int32 DIV) or return garbage (uint64, div-uint64.ts).
 */
function checkConstantDivisor(ctx: ImportContext, node: OnnxNode, b: string): void {
  if (!INTEGER.has(ctx.dtype(b))) return;
  const zero = ctx.constNumbers(b)?.indexOf(0) ?? -1;
  if (zero >= 0) ctx.fail('invalid-model', `Div '${node.name}': the constant divisor '${b}' holds 0 at element ${zero}; integer division by zero is undefined in ONNX (the converted model would fail or give garbage on every run)`);
}

/**
 * Opsets 1–6 `broadcast=1, axis=k`: B's dims line up with A's starting at axis k. For a constant B this
 * is B reshaped with trailing 1s (numpy broadcasting then agrees); a runtime B is not supported.
 */
function legacyAxisOperand(ctx: ImportContext, node: OnnxNode, b: string): string {
  const ra = ctx.rank(node.input(0));
  let axis = node.int('axis', 0);
  if (axis < 0) axis += ra;
  const c = ctx.constant(b);
  if (!c?.data) ctx.fail('requires-constant-input', `legacy broadcast with axis=${axis} needs a constant second input ('${b}')`);
  const trailing = ra - axis - c.shape.length;
  if (trailing < 0) ctx.fail('shape-mismatch', `legacy broadcast: B [${c.shape}] does not fit A at axis ${axis}`);
  const name = `${node.name}__b_at_axis`;
  ctx.defineConst(name, { ...c, shape: [...c.shape, ...new Array<number>(trailing).fill(1)] });
  return name;
}
