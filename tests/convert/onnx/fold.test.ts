/**
 * Import-time folding, op by op: each model computes one op (or a PyTorch shape chain) on constants;
 * onnxruntime runs the same model and the folded constant must equal its output exactly.
 */
import { describe, it } from 'vitest';
import { OnnxGraphBuilder, attr } from '../../helpers/onnx-builder.js';
import { floatToHalf } from '../../../src/ir/dtype.js';
import type { AttrValue, OnnxDType } from '../../../src/samples/onnx-model.js';
import { expectFoldsLikeOrt } from './fold-harness.js';

type Init = [shape: number[], data: number[] | bigint[], dtype?: OnnxDType];

interface Case {
  name: string;
  op: string;
  inputs: Array<Init | ''>;
  attrs?: Record<string, AttrValue>;
  opset?: number;
  outputs?: number;
}

const I = (data: number[], shape = [data.length]): Init => [shape, data, 'int64'];
const F = (data: number[], shape = [data.length]): Init => [shape, data, 'float32'];
const H = (data: number[], shape = [data.length]): Init => [shape, data.map(floatToHalf), 'float16'];
const I32 = (data: number[], shape = [data.length]): Init => [shape, data, 'int32'];
const B = (data: number[], shape = [data.length]): Init => [shape, data, 'bool'];
const INT64_MAX = 9223372036854775807n;

const CASES: Case[] = [
  { name: 'Gather scalar negative index', op: 'Gather', inputs: [I([1, 3, 32, 48]), I([-2], [])] },
  { name: 'Gather 1-D indices', op: 'Gather', inputs: [I([1, 3, 32, 48]), I([2, -1])] },
  { name: 'Gather axis 1, 2-D indices', op: 'Gather', inputs: [F([1, 2, 3, 4, 5, 6], [2, 3]), I([0, 2, -1, 1], [2, 2])], attrs: { axis: 1 } },
  { name: 'Slice opset 13 with axes, steps, INT64_MAX end', op: 'Slice', inputs: [I([1, 3, 32, 48, 7]), I([2]), [[1], [INT64_MAX], 'int64'], I([0]), I([1])] },
  { name: 'Slice negative step', op: 'Slice', inputs: [F([0, 1, 2, 3, 4, 5, 6, 7], [2, 4]), I([-1, 3]), I([-100, 0]), I([0, 1]), I([-1, -2])] },
  { name: 'Slice opset 9 (attributes)', op: 'Slice', inputs: [I([1, 3, 32, 48])], attrs: { starts: [-2], ends: [100], axes: [0] }, opset: 9 },
  { name: 'Concat int64', op: 'Concat', inputs: [I([1, 3]), I([64]), I([96])], attrs: { axis: 0 } },
  { name: 'Concat float axis -1', op: 'Concat', inputs: [F([1, 2], [2, 1]), F([3, 4, 5, 6], [2, 2])], attrs: { axis: -1 } },
  { name: 'Unsqueeze opset 13 (axes input)', op: 'Unsqueeze', inputs: [I([5], []), I([0])] },
  { name: 'Unsqueeze opset 11 (axes attribute, negative)', op: 'Unsqueeze', inputs: [F([1, 2, 3], [3])], attrs: { axes: [-1, 0] }, opset: 11 },
  { name: 'Squeeze opset 13', op: 'Squeeze', inputs: [I([1, 2], [1, 2, 1]), I([-1])] },
  { name: 'Squeeze all size-1 axes', op: 'Squeeze', inputs: [I([1, 2], [1, 2, 1])] },
  { name: 'Cast int64 → float32', op: 'Cast', inputs: [I([3, -7, 1024])], attrs: { to: 1 } },
  { name: 'Cast float32 → int64 (truncates)', op: 'Cast', inputs: [F([2.7, -2.7, 0.5, -0.5, 1e6])], attrs: { to: 7 } },
  { name: 'Cast float32 → float16 (rounds)', op: 'Cast', inputs: [F([0.1, 1 / 3, 65504, 1e-5, -2.5])], attrs: { to: 10 } },
  { name: 'Cast float16 → float32', op: 'Cast', inputs: [H([0.1, -3, 1e-3])], attrs: { to: 1 } },
  { name: 'Cast int64 → int32', op: 'Cast', inputs: [I([5, -6])], attrs: { to: 6 } },
  { name: 'Cast float32 → bool', op: 'Cast', inputs: [F([0, 0.5, -2])], attrs: { to: 9 } },
  { name: 'Cast bool → float32', op: 'Cast', inputs: [B([1, 0, 1])], attrs: { to: 1 } },
  { name: 'Reshape with 0 and -1', op: 'Reshape', inputs: [F([1, 2, 3, 4, 5, 6], [1, 2, 3]), I([0, -1])] },
  { name: 'Identity', op: 'Identity', inputs: [I([4, 5])] },
  { name: 'Add int64 broadcast', op: 'Add', inputs: [I([1, 2, 3]), I([10], [])] },
  { name: 'Sub int64', op: 'Sub', inputs: [I([1, 2, 3]), I([5, -5, 0])] },
  { name: 'Mul float32', op: 'Mul', inputs: [F([0.1, 3, -2]), F([0.3, 1 / 3, 7])] },
  { name: 'Div int64 truncates toward zero', op: 'Div', inputs: [I([7, -7, 7, -7, 64]), I([2, 2, -2, -2, 3])] },
  { name: 'Div int32', op: 'Div', inputs: [I32([9, -9]), I32([4, 4])] },
  { name: 'Div float32', op: 'Div', inputs: [F([1, 2, -3]), F([3, 7, 0.1])] },
  { name: 'Floor', op: 'Floor', inputs: [F([1.5, -1.5, 2, -0.2])] },
  { name: 'Ceil', op: 'Ceil', inputs: [F([1.5, -1.5, 2, -0.2])] },
  { name: 'Sqrt', op: 'Sqrt', inputs: [F([2, 9, 0.5, 1e-3])] },
  { name: 'Equal int64', op: 'Equal', inputs: [I([1, 2, 3]), I([1, 0, 3])] },
  { name: 'Where broadcast', op: 'Where', inputs: [B([1, 0, 1]), I([1, 2, 3]), I([-1], [])] },
  { name: 'Not', op: 'Not', inputs: [B([1, 0])] },
  { name: 'ConstantOfShape int64 value', op: 'ConstantOfShape', inputs: [I([2, 3])], attrs: { value: attr.tensor({ shape: [1], data: [7], dtype: 'int64' }) } },
  { name: 'ConstantOfShape default (float 0)', op: 'ConstantOfShape', inputs: [I([4])] },
  { name: 'ConstantOfShape float16 value', op: 'ConstantOfShape', inputs: [I([2])], attrs: { value: attr.tensor({ shape: [1], data: [floatToHalf(0.1)], dtype: 'float16' }) } },
  { name: 'Range int64', op: 'Range', inputs: [I([0], []), I([10], []), I([3], [])] },
  { name: 'Range int64 negative delta', op: 'Range', inputs: [I([5], []), I([-2], []), I([-2], [])] },
  { name: 'Range float32', op: 'Range', inputs: [F([1], []), F([2], []), F([0.3], [])] },
  { name: 'Expand', op: 'Expand', inputs: [F([1, 2, 3], [3, 1]), I([2, 3, 2])] },
  { name: 'Tile', op: 'Tile', inputs: [I([1, 2, 3, 4], [2, 2]), I([2, 3])] },
  { name: 'ReduceProd opset 13 (axes attribute, keepdims=0)', op: 'ReduceProd', inputs: [I([2, 3, 4, 5], [2, 2])], attrs: { axes: [1], keepdims: 0 } },
  { name: 'ReduceProd all axes', op: 'ReduceProd', inputs: [I([1, 3, 32, 48])], attrs: { keepdims: 0 } },
  { name: 'ReduceProd opset 18 (axes input)', op: 'ReduceProd', inputs: [I([2, 3, 4, 5], [2, 2]), I([0])], opset: 18 },
  { name: 'Min variadic', op: 'Min', inputs: [I([1, 5, 3]), I([4], []), I([2, 2, 9])] },
  { name: 'Max float', op: 'Max', inputs: [F([1, -5, 3]), F([0.5, -6, 4])] },
  { name: 'Neg int64', op: 'Neg', inputs: [I([1, -2])] },
  { name: 'Abs float', op: 'Abs', inputs: [F([-1.5, 2])] },
  { name: 'Mod int64 (fmod=0: divisor sign)', op: 'Mod', inputs: [I([7, -7, 7, -7, 30]), I([3, 3, -3, -3, 32])] },
  { name: 'Mod float (fmod=1: dividend sign)', op: 'Mod', inputs: [F([7.5, -7.5, 2]), F([2, 2, -0.75])], attrs: { fmod: 1 } },
  { name: 'Pow float base, int64 exponent', op: 'Pow', inputs: [F([2, 0.5, -3]), I([3, 2, 2])] },
  { name: 'Round (half to even)', op: 'Round', inputs: [F([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6])] },
  { name: 'Sign', op: 'Sign', inputs: [F([-2, 0, 3.5])] },
  { name: 'Shape of a constant', op: 'Shape', inputs: [F([1, 2, 3, 4, 5, 6], [1, 2, 3])] },
  { name: 'Size of a constant', op: 'Size', inputs: [F([1, 2, 3, 4, 5, 6], [1, 2, 3])] },
  { name: 'DequantizeLinear per-tensor uint8', op: 'DequantizeLinear', inputs: [[[4], [0, 3, 128, 255], 'uint8'], F([0.02], []), [[], [128], 'uint8']] },
  { name: 'DequantizeLinear per-axis int8', op: 'DequantizeLinear', inputs: [[[2, 3], [-128, 0, 127, 5, -5, 1], 'int8'], F([0.1, 0.03]), [[2], [0, 1], 'int8']], attrs: { axis: 0 } },
  { name: 'QuantizeLinear (round half to even, saturate)', op: 'QuantizeLinear', inputs: [F([0.5, 1.5, 2.5, -100, 100, 0.26]), F([1], []), [[], [3], 'int8']] },
];

const CODE_DTYPE: Record<number, OnnxDType> = { 1: 'float32', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16' };

/** The ONNX output type the case's op produces (declared on the graph output; onnxruntime checks it). */
function outDtype(c: Case): OnnxDType {
  const first = c.inputs[0] === '' ? 'float32' : (c.inputs[0]![2] ?? 'float32');
  switch (c.op) {
    case 'Cast': return CODE_DTYPE[c.attrs!.to as number]!;
    case 'Equal': case 'Not': return 'bool';
    case 'Shape': case 'Size': return 'int64';
    case 'DequantizeLinear': return 'float32';
    case 'QuantizeLinear': return (c.inputs[2] as Init)[2] ?? 'uint8';
    case 'ConstantOfShape': return (c.attrs?.value as { value?: { dtype?: OnnxDType } } | undefined)?.value?.dtype ?? 'float32';
    case 'Where': return (c.inputs[1] as Init)[2] ?? 'float32';
    default: return first;
  }
}

describe('import-time folding equals onnxruntime exactly', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const b = new OnnxGraphBuilder({ opset: c.opset ?? 13 });
      const ins = c.inputs.map((init, i) => (init === '' ? '' : b.init(`in${i}`, init[0], init[1], init[2])));
      const outs = b.nodeMulti(c.op, ins, c.attrs ?? {}, c.outputs ?? 1);
      for (const o of outs) b.output(o, undefined, outDtype(c));
      await expectFoldsLikeOrt(b.build());
    });
  }
});

describe('Shape / Size of runtime values (static shape) fold', () => {
  const feed = { name: 'x', dtype: 'float32' as const, shape: [2, 3, 4, 5], data: new Float32Array(120) };
  for (const [name, attrs] of [['all', {}], ['start=1,end=-1', { start: 1, end: -1 }], ['start=-2', { start: -2 }], ['end=10 (clamped)', { end: 10 }]] as const) {
    it(`Shape ${name} (opset 15)`, async () => {
      const b = new OnnxGraphBuilder({ opset: 15 });
      const x = b.input('x', [2, 3, 4, 5]);
      b.output(b.node('Shape', [x], attrs), undefined, 'int64');
      await expectFoldsLikeOrt(b.build(), [feed]);
    });
  }
  it('Size', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('Size', [b.input('x', [2, 3, 4, 5])]), undefined, 'int64');
    await expectFoldsLikeOrt(b.build(), [feed]);
  });
});
