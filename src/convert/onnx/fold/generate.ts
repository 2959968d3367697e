/** ConstantOfShape and Range: values generated from constant shapes / bounds. */
import { numElements } from '../../../ir/tensor.js';
import { readTensorProto } from '../tensor-data.js';
import type { FoldRule } from './types.js';
import { at, isBig, make, nums, type Scalar } from './values.js';

export const GENERATE_FOLDS: FoldRule[] = [
  {
    onnxOp: 'ConstantOfShape',
    fold(node, inputs) {
      const shape = nums(inputs.values[0]!);
      if (shape.some((d) => !Number.isInteger(d) || d < 0)) inputs.fail('invalid-model', `ConstantOfShape shape [${shape}] has a negative dim`);
      const t = node.tensor('value');
      const fill = t ? readTensorProto(t) : undefined;
      if (fill && (!fill.data || fill.data.length !== 1)) inputs.fail('unsupported-attribute', 'ConstantOfShape value must hold exactly one element');
      const dtype = fill?.dtype ?? 'float32';
      const v: Scalar = fill ? at({ dtype, shape: [1], data: fill.data! }, 0) : 0;
      // the fill is already in storage form for float16 (bits); decode/re-encode through make
      return [make(dtype, shape, new Array<Scalar>(numElements(shape)).fill(v))];
    },
  },
  {
    onnxOp: 'Range',
    fold(_node, inputs) {
      const [s, l, d] = inputs.values;
      const dtype = s!.dtype;
      if (isBig(dtype)) {
        const start = at(s!, 0) as bigint, limit = at(l!, 0) as bigint, delta = at(d!, 0) as bigint;
        if (delta === 0n) inputs.fail('invalid-model', 'Range delta is 0');
        const span = limit - start;
        let n = span / delta + (span % delta !== 0n ? 1n : 0n);
        if (n < 0n) n = 0n;
        return [make(dtype, [Number(n)], Array.from({ length: Number(n) }, (_, i) => start + BigInt(i) * delta))];
      }
      const start = Number(at(s!, 0)), limit = Number(at(l!, 0)), delta = Number(at(d!, 0));
      if (delta === 0) inputs.fail('invalid-model', 'Range delta is 0');
      const n = Math.max(Math.ceil((limit - start) / delta), 0);
      if (n > 1 << 24) inputs.fail('unsupported-attribute', `Range of ${n} elements is too large to fold`);
      // onnxruntime accumulates value += delta in the value's own type (float32 rounding at every step)
      const out = new Array<number>(n);
      let v = start;
      for (let i = 0; i < n; i++) {
        out[i] = v;
        v = Number(at(make(dtype, [1], [v + delta]), 0));
      }
      return [make(dtype, [n], out)];
    },
  },
];
