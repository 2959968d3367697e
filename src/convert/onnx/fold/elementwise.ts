/**
 * Elementwise ops with numpy broadcasting in ONNX semantics: int64 exact (bigint), integer Div and
 * Mod truncate / floor as onnxruntime does, float results rounded to the output dtype.
 */
import type { DType } from '../../../ir/dtype.js';
import { numElements } from '../../../ir/tensor.js';
import type { FoldInputs, FoldRule } from './types.js';
import { at, isFloatType, make, type Scalar, type Value } from './values.js';
import { broadcastIndex, broadcastShapes } from '../../../ir/ndarray.js';

type Fn = (a: Scalar, b: Scalar, dtype: DType) => Scalar;

function nAry(values: Value[], outDtype: DType | undefined, f: (xs: Scalar[], dtype: DType) => Scalar, inputs: FoldInputs): Value {
  const shape = broadcastShapes(...values.map((v) => v.shape));
  if (!shape) inputs.fail('shape-mismatch', `shapes ${values.map((v) => `[${v.shape}]`).join(', ')} do not broadcast`);
  const idx = values.map((v) => broadcastIndex(v.shape, shape));
  const n = numElements(shape);
  const out = new Array<Scalar>(n);
  const dtype = values[0]!.dtype;
  for (let i = 0; i < n; i++) out[i] = f(values.map((v, k) => at(v, idx[k]![i]!)), dtype);
  return make(outDtype ?? dtype, shape, out);
}

function divide(a: Scalar, b: Scalar, dtype: DType): Scalar {
  if (typeof a === 'bigint' && typeof b === 'bigint') return b === 0n ? 0n : a / b; // bigint division truncates toward zero
  if (isFloatType(dtype)) return Number(a) / Number(b);
  const q = Number(a) / Number(b);
  return Number.isFinite(q) ? Math.trunc(q) : 0;
}

const ARITH: Record<string, Fn> = {
  Add: (a, b) => (typeof a === 'bigint' ? a + (b as bigint) : a + (b as number)),
  Sub: (a, b) => (typeof a === 'bigint' ? a - (b as bigint) : a - (b as number)),
  Mul: (a, b) => (typeof a === 'bigint' ? a * (b as bigint) : a * (b as number)),
  Div: divide,
};

function binaryRule(op: string, f: Fn, outDtype?: DType): FoldRule {
  return {
    onnxOp: op,
    fold(_node, inputs) {
      const [a, b] = inputs.values as Value[];
      if (a!.dtype !== b!.dtype) inputs.fail('invalid-model', `${op} inputs have different dtypes (${a!.dtype}, ${b!.dtype})`);
      return [nAry([a!, b!], outDtype, (xs, d) => f(xs[0]!, xs[1]!, d), inputs)];
    },
  };
}

const cmp = (f: (a: number | bigint, b: number | bigint) => boolean): Fn => (a, b) => (f(a, b) ? 1 : 0);

function variadic(op: string, pick: (a: Scalar, b: Scalar) => boolean): FoldRule {
  return {
    onnxOp: op,
    fold(_node, inputs) {
      const vs = inputs.values.filter((v): v is Value => !!v);
      const isNaN = (v: Scalar) => typeof v === 'number' && Number.isNaN(v);
      // a NaN operand wins (onnxruntime's Min/Max propagate NaN)
      return [nAry(vs, undefined, (xs) => xs.reduce((m, x) => (isNaN(m) ? m : isNaN(x) || pick(x, m) ? x : m)), inputs)];
    },
  };
}

function unaryRule(op: string, f: (x: Scalar, dtype: DType) => Scalar, outDtype?: DType): FoldRule {
  return {
    onnxOp: op,
    fold(_node, inputs) {
      const x = inputs.values[0]!;
      const out = new Array<Scalar>(x.data.length);
      for (let i = 0; i < out.length; i++) out[i] = f(at(x, i), x.dtype);
      return [make(outDtype ?? x.dtype, x.shape, out)];
    },
  };
}

const abs = (x: Scalar): Scalar => (typeof x === 'bigint' ? (x < 0n ? -x : x) : Math.abs(x));

/** Mod: fmod=0 takes the divisor's sign (Python %, integers), fmod=1 the dividend's (C fmod). */
function modRule(): FoldRule {
  return {
    onnxOp: 'Mod',
    fold(node, inputs) {
      const [a, b] = inputs.values as Value[];
      const fmod = node.int('fmod', 0) === 1;
      if (!fmod && isFloatType(a!.dtype)) inputs.fail('invalid-model', 'Mod with fmod=0 on floating-point inputs is invalid');
      return [
        nAry([a!, b!], undefined, ([x, y]) => {
          if (typeof x === 'bigint') {
            const d = y as bigint;
            if (d === 0n) return 0n;
            const r = x % d;
            return !fmod && r !== 0n && r < 0n !== d < 0n ? r + d : r;
          }
          const r = (x as number) % (y as number);
          return !fmod && r !== 0 && r < 0 !== (y as number) < 0 ? r + (y as number) : r;
        }, inputs),
      ];
    },
  };
}

/** Round half to even, as ONNX Round specifies. */
function roundEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export const ELEMENTWISE_FOLDS: FoldRule[] = [
  modRule(),
  {
    // the exponent may have another type than the base; the result has the base's
    onnxOp: 'Pow',
    fold: (_node, inputs) => [nAry(inputs.values as Value[], inputs.values[0]!.dtype, ([a, b]) => Number(a) ** Number(b), inputs)],
  },
  unaryRule('Round', (x) => (typeof x === 'bigint' ? x : roundEven(x))),
  unaryRule('Sign', (x) => (typeof x === 'bigint' ? (x > 0n ? 1n : x < 0n ? -1n : 0n) : Math.sign(x))),
  ...Object.entries(ARITH).map(([op, f]) => binaryRule(op, f)),
  binaryRule('Equal', cmp((a, b) => a === b), 'bool'),
  binaryRule('Less', cmp((a, b) => a < b), 'bool'),
  binaryRule('Greater', cmp((a, b) => a > b), 'bool'),
  binaryRule('LessOrEqual', cmp((a, b) => a <= b), 'bool'),
  binaryRule('GreaterOrEqual', cmp((a, b) => a >= b), 'bool'),
  binaryRule('And', cmp((a, b) => !!a && !!b), 'bool'),
  binaryRule('Or', cmp((a, b) => !!a || !!b), 'bool'),
  variadic('Min', (x, m) => x < m),
  variadic('Max', (x, m) => x > m),
  {
    onnxOp: 'Where',
    fold(_node, inputs) {
      const [c, x, y] = inputs.values as Value[];
      const out = nAry([c!, x!, y!], x!.dtype, (xs) => (xs[0] ? xs[1]! : xs[2]!), inputs);
      return [out];
    },
  },
  {
    // bounds from inputs (opset 11+, each optional) or the min / max attributes before; NaN passes through
    onnxOp: 'Clip',
    fold(node, inputs) {
      const [x, lo, hi] = inputs.values;
      const bound = (v: Value | undefined, attr: string): Scalar | undefined => (v ? at(v, 0) : node.float(attr));
      const min = bound(lo, 'min');
      const max = bound(hi, 'max');
      return [make(x!.dtype, x!.shape, Array.from({ length: x!.data.length }, (_, i) => {
        const v = at(x!, i);
        return min !== undefined && v < min ? min : max !== undefined && v > max ? max : v;
      }))];
    },
  },
  unaryRule('Neg', (x) => -x),
  unaryRule('Abs', abs),
  unaryRule('Floor', (x) => (typeof x === 'bigint' ? x : Math.floor(x))),
  unaryRule('Ceil', (x) => (typeof x === 'bigint' ? x : Math.ceil(x))),
  unaryRule('Sqrt', (x) => Math.sqrt(Number(x))),
  unaryRule('Reciprocal', (x) => 1 / Number(x)),
  unaryRule('Not', (x) => (Number(x) ? 0 : 1), 'bool'),
];
