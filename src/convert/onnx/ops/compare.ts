/**
 * Equal / Less / Greater / LessOrEqual / GreaterOrEqual → EQUAL / LESS / GREATER / LESS_EQUAL /
 * GREATER_EQUAL (bool result), and Where → SELECT_V2. Operands follow the NHWC activation like the
 * arithmetic binary ops; 8/16-bit and 32-bit unsigned integers are compared as int64, uint64 as its
 * int64 bits (EQUAL directly, the order through unsignedOrderKey). Bool values are meant as intermediates feeding Where (the GPU delegate
 * takes a comparison only when a SELECT or CAST consumes it; LiteRT.js cannot return bool outputs).
 */
import type { DType } from '../../../ir/dtype.js';
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import { primaryOf, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { int64Bits, unsignedOrderKey, widenTensor } from '../lowering/widen.js';
import { broadcastShapes } from '../../../ir/ndarray.js';

function broadcastAll(ctx: ImportContext, names: string[]): number[] {
  let shape: number[] | undefined = ctx.shape(names[0]!);
  for (const n of names.slice(1)) {
    shape = shape && broadcastShapes(shape, ctx.shape(n));
    if (!shape) ctx.fail('shape-mismatch', `shapes ${names.map((m) => `[${ctx.shape(m)}]`).join(', ')} do not broadcast`);
  }
  return shape!;
}

/**
 * Integer types TFLite compares only through its quantized kernels (or not at all): widened exactly
 * to int64 first (a CAST of the runtime operand; constants converted once).
 */
const WIDEN: ReadonlySet<DType> = new Set<DType>(['int8', 'uint8', 'int16', 'uint16', 'uint32']);

function widened(ctx: ImportContext, op: BuiltinOpName, tensor: string): string {
  const dtype = ctx.g.tensor(tensor).dtype;
  if (dtype === 'uint64') return op === 'EQUAL' || op === 'NOT_EQUAL' ? int64Bits(ctx, tensor) : unsignedOrderKey(ctx, int64Bits(ctx, tensor));
  return WIDEN.has(dtype) ? widenTensor(ctx, tensor, 'int64') : tensor;
}

/** `op` of the node's two operands, broadcast (each IR operand through `operand`), into its bool output. */
function emitBoolResult(ctx: ImportContext, node: OnnxNode, op: BuiltinOpName, operand: (tensor: string) => string = (t) => t): void {
  const [a, b] = [node.input(0), node.input(1)];
  const shape = broadcastAll(ctx, [a, b]);
  const { tensors, form } = ctx.broadcastOperands([a, b]);
  ctx.emit(op, tensors.map(operand), [ctx.define(node.outputs[0]!, 'bool', shape, form)]);
}

export function comparison(op: BuiltinOpName) {
  return (ctx: ImportContext, node: OnnxNode): void => emitBoolResult(ctx, node, op, (t) => widened(ctx, op, t));
}

export function importWhere(ctx: ImportContext, node: OnnxNode): void {
  const names = [node.input(0), node.input(1), node.input(2)];
  if (ctx.dtype(names[0]!) !== 'bool') ctx.fail('invalid-model', `Where condition '${names[0]}' is ${ctx.dtype(names[0]!)}, not bool`);
  const shape = broadcastAll(ctx, names);
  const dtype = ctx.dtype(names[1]!) === 'float16' ? 'float32' : ctx.dtype(names[1]!);
  for (const i of [1, 2]) names[i] = uniformAsScalar(ctx, names, i, shape, `${node.outputs[0]}_branch${i}`);
  const { tensors, form } = ctx.broadcastOperands(names);
  ctx.emit('SELECT_V2', tensors, [ctx.define(node.outputs[0]!, dtype, shape, form)]);
}

/**
 * A float constant branch holding one value throughout (exporters' zeros_like / full_like) as a
 * scalar, when the other operands already give the output shape: the GPU delegate takes scalar
 * SELECT branches, not 2-D constant ones.
 */
function uniformAsScalar(ctx: ImportContext, names: string[], i: number, shape: number[], scalarName: string): string {
  const c = ctx.constNumbers(names[i]!);
  if (!c?.length || ctx.shape(names[i]!).length === 0 || ctx.dtype(names[i]!) !== 'float32' || !c.every((x) => Object.is(x, c[0]))) return names[i]!;
  if (broadcastAll(ctx, names.filter((_, j) => j !== i)).join(',') !== shape.join(',')) return names[i]!;
  ctx.defineConst(scalarName, { dtype: 'float32', shape: [], data: Float32Array.of(c[0]!) });
  return scalarName;
}

/** And / Or / Xor on bool → LOGICAL_AND / LOGICAL_OR / NOT_EQUAL (xor of bools is inequality), broadcasting. */
export function logical(op: 'LOGICAL_AND' | 'LOGICAL_OR' | 'NOT_EQUAL') {
  return (ctx: ImportContext, node: OnnxNode): void => emitBoolResult(ctx, node, op);
}

/** Not → LOGICAL_NOT on the value's own form. */
export function importNot(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const { tensor, form } = primaryOf(ctx, x);
  ctx.emit('LOGICAL_NOT', [tensor], [ctx.define(node.outputs[0]!, 'bool', ctx.shape(x), form)]);
}
