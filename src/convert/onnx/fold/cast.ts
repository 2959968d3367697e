/** Cast and CastLike on constants (float → integer truncates; float16 rounds to nearest even). */
import type { DType } from '../../../ir/dtype.js';
import { onnxDType } from '../tensor-data.js';
import type { FoldRule } from './types.js';
import { at, make, type Scalar, type Value } from './values.js';

export function castTo(v: Value, to: DType): Value {
  if (v.dtype === to) return v;
  // int64 stays bigint into int64 (exact); make() converts every other pairing with ONNX's rules
  const out = new Array<Scalar>(v.data.length);
  for (let i = 0; i < out.length; i++) out[i] = at(v, i);
  return make(to, v.shape, out);
}

export const CAST_FOLDS: FoldRule[] = [
  {
    onnxOp: 'Cast',
    fold(node, inputs) {
      const to = onnxDType(node.int('to', 0));
      if (!to || to === 'string' || inputs.values[0]!.dtype === 'string') return undefined; // the importer reports it
      return [castTo(inputs.values[0]!, to)];
    },
  },
  {
    onnxOp: 'CastLike',
    fold(_node, { values }) {
      return [castTo(values[0]!, values[1]!.dtype)];
    },
  },
];
