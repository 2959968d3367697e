/** Constant: value (tensor), value_float(s), value_int(s) → a constant value (no IR node). */
import { readTensorProto } from '../tensor-data.js';
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

export function importConstant(ctx: ImportContext, node: OnnxNode): void {
  const out = node.outputs[0]!;
  const t = node.tensor('value');
  if (t) return ctx.defineConst(out, readTensorProto(t));
  const f = node.float('value_float');
  if (f !== undefined) return ctx.defineConst(out, { dtype: 'float32', shape: [], data: Float32Array.of(f) });
  const fs = node.floats('value_floats');
  if (fs) return ctx.defineConst(out, { dtype: 'float32', shape: [fs.length], data: Float32Array.from(fs) });
  const i = node.int('value_int');
  if (i !== undefined) return ctx.defineConst(out, { dtype: 'int64', shape: [], data: BigInt64Array.of(BigInt(i)) });
  const is = node.ints('value_ints');
  if (is) return ctx.defineConst(out, { dtype: 'int64', shape: [is.length], data: BigInt64Array.from(is.map((v) => BigInt(v))) });
  ctx.fail('unsupported-attribute', `Constant with attribute(s) [${node.attributeNames().join(', ')}] is not supported (sparse/string values)`);
}
