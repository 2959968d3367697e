/**
 * ConstantOfShape whose shape input is computed at run time (a constant shape folds at import:
 * fold/generate.ts). The output gets the static shape the model declares for it (declared-shape.ts)
 * and is FILL(declared dims, value). The shape input is checked against the declared dims at run
 * time: the number of dims that differ (NOT_EQUAL → CAST → SUM) indexes a one-element GATHER of the
 * fill value, so any other shape makes the run fail ("gather index out of bounds") instead of
 * returning a tensor of the wrong shape. All CPU ops (the GPU delegate has no FILL). A declared
 * shape with a 0 dim gives an empty output, which is known without running (empty.ts): the model
 * then has nothing to attach the check to, and a shape input that disagrees goes unnoticed.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { readTensorProto } from '../tensor-data.js';
import type { ConstData } from '../tensor-data.js';
import { declaredOutputShape } from '../lowering/declared-shape.js';

/** The `value` attribute (one element; float32 0 when absent). */
function fillValue(ctx: ImportContext, node: OnnxNode): ConstData {
  const t = node.tensor('value');
  if (!t) return { dtype: 'float32', shape: [1], data: Float32Array.from([0]) };
  const c = readTensorProto(t);
  if (!c.data || c.data.length !== 1) ctx.fail('unsupported-attribute', `ConstantOfShape value must hold exactly one element`);
  return { ...c, shape: [1] };
}

/** Value dtypes both FILL and GATHER have kernels for (float16 / float64 are held as float32). */
const VALUE_DTYPES = ['float32', 'float16', 'float64', 'int32', 'int64', 'int16', 'int8', 'uint8', 'bool'];

/** Shape-independent: the value attribute holds one element of a dtype FILL and GATHER take. */
export function checkConstantOfShape(ctx: ImportContext, node: OnnxNode): void {
  const { dtype } = fillValue(ctx, node);
  if (!VALUE_DTYPES.includes(dtype)) ctx.fail('unsupported-dtype', `ConstantOfShape of a run-time shape with a ${dtype} value: TFLite FILL / GATHER take ${VALUE_DTYPES.join(', ')}`);
}

export function importConstantOfShape(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  if (xs.length !== 1 || ctx.dtype(x) !== 'int64') ctx.fail('invalid-model', `ConstantOfShape input '${x}' must be a 1-D int64 tensor, is ${ctx.dtype(x)} [${xs}]`);
  const value = fillValue(ctx, node);
  const dims = declaredOutputShape(ctx, node, `'${x}'`);
  if (dims.length !== xs[0]) ctx.fail('shape-mismatch', `ConstantOfShape output '${node.outputs[0]}' is declared with rank ${dims.length}, but shape input '${x}' has ${xs[0]} elements`);
  const r = dims.length;
  const base = node.name;
  // run-time check: count of dims differing from the declared ones → the GATHER index (0 when equal)
  const declared = ctx.constTensor(`${base}_declared_dims`, 'int64', [r], BigInt64Array.from(dims.map(BigInt)));
  const differ = ctx.newTensor(`${base}_dims_differ`, 'bool', [r], 'plain');
  ctx.emit('NOT_EQUAL', [ctx.nchw(x), declared], [differ]);
  const differInt = ctx.newTensor(`${base}_dims_differ_int`, 'int32', [r], 'plain');
  ctx.emit('CAST', [differ], [differInt], { inDataType: 'bool', outDataType: 'int32' });
  const mismatches = ctx.newTensor(`${base}_mismatches`, 'int32', [], 'plain');
  ctx.emit('SUM', [differInt, ctx.int32Const(`${base}_axis`, [0])], [mismatches], { keepDims: false });
  // the value as a one-element constant in the dtype it is held in (float16 / float64 → float32)
  const valueName = `${base}__value`;
  ctx.defineConst(valueName, value);
  const values = ctx.nchw(valueName);
  const held = ctx.g.tensor(values).dtype;
  const checked = ctx.newTensor(`${base}_value_checked`, held, [], 'plain');
  ctx.emit('GATHER', [values, mismatches], [checked], { axis: 0, batchDims: 0 });
  const out = ctx.define(node.outputs[0]!, value.dtype, dims, 'ONNX');
  ctx.emit('FILL', [ctx.int32Const(`${base}_dims`, dims), checked], [out]);
}
