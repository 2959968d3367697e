/**
 * Sum and Mean (variadic, numpy broadcasting from opset 8; opsets 1–5's consumed_inputs is legacy
 * and ignored) → a left-to-right chain of ADD over emitBinary (binary.ts: operands follow the NHWC
 * activation, integers widen as Add's do). Mean multiplies the sum by float32(1/N), onnxruntime's
 * order of operations (Mean_8: the Sum, then `*= 1.0f / N`), so the results are the same bits.
 * One input is the input itself. ADD_N is not used: the GPU delegate takes it with 2 inputs only.
 */
import type { DType } from '../../../ir/dtype.js';
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitBinary } from './binary.js';

const FLOAT: ReadonlySet<DType> = new Set<DType>(['float32', 'float16', 'float64']);

/** Shape-independent: Mean is defined on float tensors only (its 1/N scaling has no integer form). */
export function checkMean(ctx: ImportContext, node: OnnxNode): void {
  const x = node.inputs.find((i) => i !== '');
  if (!x || !ctx.has(x)) return;
  const d = ctx.dtype(x);
  if (!FLOAT.has(d)) ctx.fail('unsupported-dtype', `Mean node '${node.name}' on ${d} input '${x}': ONNX Mean takes float tensors only`);
}

/** Emits the sum of ONNX values `ins` (left to right) into ONNX output `outName`. */
function emitSum(ctx: ImportContext, node: OnnxNode, ins: string[], outName: string): void {
  let acc = ins[0]!;
  for (let k = 1; k < ins.length; k++) {
    const out = k === ins.length - 1 ? outName : `${node.name}__add_${k}`;
    emitBinary(ctx, 'ADD', acc, ins[k]!, out);
    acc = out;
  }
}

function inputsOf(ctx: ImportContext, node: OnnxNode): string[] {
  const ins = node.inputs.filter((i) => i !== '');
  if (ins.length === 0) ctx.fail('invalid-model', `${node.opType} node '${node.name}' has no inputs`);
  return ins;
}

export function importSum(ctx: ImportContext, node: OnnxNode): void {
  const ins = inputsOf(ctx, node);
  if (ins.length === 1) return ctx.alias(node.outputs[0]!, ins[0]!);
  emitSum(ctx, node, ins, node.outputs[0]!);
}

export function importMean(ctx: ImportContext, node: OnnxNode): void {
  const ins = inputsOf(ctx, node);
  const outName = node.outputs[0]!;
  if (ins.length === 1) return ctx.alias(outName, ins[0]!);
  const sum = `${node.name}__sum`;
  emitSum(ctx, node, ins, sum);
  const scale = `${node.name}__inv_count`;
  ctx.defineConst(scale, { dtype: 'float32', shape: [], data: Float32Array.of(1 / ins.length) });
  emitBinary(ctx, 'MUL', sum, scale, outName);
}
