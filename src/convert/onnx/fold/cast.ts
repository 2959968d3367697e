/** Cast and CastLike on constants (float → integer truncates; float16 rounds to nearest even). */
import type { DType } from '../../../ir/dtype.js';
import { onnxDType } from '../tensor-data.js';
import type { FoldRule } from './types.js';
import { at, make, type Scalar, type Value } from './values.js';

function castTo(v: Value, to: DType): Value {
  if (v.dtype === to) return v;
  const out = new Array<Scalar>(v.data.length);
  for (let i = 0; i < out.length; i++) {
    const x = at(v, i);
    out[i] = to === 'int64' || to === 'uint64' ? (typeof x === 'bigint' ? x : x) : Number(x);
  }
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
