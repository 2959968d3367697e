/**
 * Range whose start / limit / delta are computed at run time (constant ones fold at import:
 * fold/generate.ts) → TFLite RANGE, which accumulates value += delta in the output's type as
 * onnxruntime does. Its length depends on the inputs' values, so the output gets the static shape the
 * model declares for it (declared-shape.ts): RANGE's dynamically shaped result is RESHAPEd to [n],
 * which fails the run when the inputs give another length. LiteRT's RANGE also fails the run on a
 * zero delta (ONNX leaves it undefined).
 *
 * Numeric limit: TFLite counts float elements as ceil(|(limit − start) / delta|) with a float32
 * division, onnxruntime divides in float64; where the two differ (a quotient within float32 rounding
 * of an integer) the length differs by one and the run fails at the RESHAPE. Float16 runs in float32
 * (FLOAT16_NOTE). CPU only (the GPU delegate has no RANGE).
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { declaredOutputShape } from '../lowering/declared-shape.js';

const RANGE_DTYPES = ['float32', 'int32', 'int64'];

export function importRange(ctx: ImportContext, node: OnnxNode): void {
  const names = [0, 1, 2].map((i) => node.input(i));
  const tensors = names.map((n) => {
    const s = ctx.shape(n);
    if (s.length > 1 || (s.length === 1 && s[0] !== 1)) ctx.fail('invalid-model', `Range input '${n}' must be a scalar, is [${s}]`);
    const t = ctx.nchw(n);
    return s.length === 1 ? ctx.reshape(t, [], 'plain', `${t}_scalar`) : t;
  });
  const dtypes = tensors.map((t) => ctx.g.tensor(t).dtype);
  if (dtypes.some((d) => d !== dtypes[0])) ctx.fail('invalid-model', `Range inputs differ in type: ${dtypes.join(', ')}`);
  const dtype = dtypes[0]!;
  if (!RANGE_DTYPES.includes(dtype)) ctx.fail('unsupported-dtype', `Range on ${dtype}: TFLite RANGE takes ${RANGE_DTYPES.join(', ')}`);
  const runtime = names.filter((n) => ctx.isRuntime(n)).map((n) => `'${n}'`);
  const dims = declaredOutputShape(ctx, node, runtime.join(', '));
  if (dims.length !== 1) ctx.fail('shape-mismatch', `Range output '${node.outputs[0]}' is declared [${dims}], but Range gives a 1-D tensor`);
  const ranged = ctx.newTensor(`${node.name}_dynamic`, dtype, dims, 'plain');
  ctx.g.tensor(ranged).shapeSignature = [-1];
  ctx.emit('RANGE', tensors, [ranged]);
  const out = ctx.define(node.outputs[0]!, ctx.dtype(names[0]!), dims, 'ONNX');
  ctx.emit('RESHAPE', [ranged, ctx.int32Const(`${out}_shape`, dims)], [out], { newShape: dims });
}
