/**
 * Sum / Mean (variadic, broadcasting) against onnxruntime: 1, 2, 3 and 5 inputs mixing NHWC activations,
 * per-channel constants and lower-rank runtime operands, in both I/O layouts. The float results must be
 * the same bits as onnxruntime's (left-to-right ADDs; Mean multiplies by float32(1/N) as Mean_8 does —
 * a DIV by N differs in about a third of the cells for N = 3). Integer Sum (outside the ONNX type list,
 * which onnxruntime enforces) is checked against onnxruntime running the same chain of Adds.
 */
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import type { HostTensor } from '../../../src/runtime/types.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { OnnxGraphBuilder, normalFloat32, type OnnxDType } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, importRejection, LAYOUTS, layoutName } from './harness.js';

const computeOps = (ops: string[]) => ops.filter((o) => o !== 'TRANSPOSE' && o !== 'RESHAPE');
const bits = (t: HostTensor) => Array.from(new Uint32Array(new Float32Array(t.data as Float32Array).buffer));

/** The model `op(inputs)` where inputs mix a 4-D activation, a per-channel constant and lower-rank runtime values. */
function mixedModel(op: string, n: number, opset = 13): Uint8Array {
  const b = new OnnxGraphBuilder({ opset });
  const pool = [
    () => b.input('x', [1, 3, 4, 5]),
    () => b.init('c', [3, 1, 1], normalFloat32(3, 5, 0.5)),
    () => b.input('w', [5]),
    () => b.input('z', [1, 3, 4, 5]),
    () => b.input('v', [1, 1, 4, 1]),
  ];
  b.output(b.node(op, pool.slice(0, n).map((f) => f()), {}, 'y'));
  return b.build();
}

async function runBoth(ours: Uint8Array, ortModel: Uint8Array, feeds: HostTensor[]): Promise<{ want: HostTensor[]; got: HostTensor[] }> {
  const ort = await onnxRuntime.load(ortModel);
  const want = await ort.run(feeds);
  await ort.dispose();
  const lrt = await liteRtRuntime.load(writeTflite(importOnnx(ours)));
  const got = await lrt.run(feeds);
  await lrt.dispose();
  return { want, got };
}

describe('Sum / Mean (variadic, broadcasting)', () => {
  for (const op of ['Sum', 'Mean'] as const) {
    for (const n of [1, 2, 3, 5]) {
      for (const keep of LAYOUTS) {
        it(`${op} of ${n} input(s), same bits as onnxruntime (${layoutName(keep)})`, async () => {
          const { graph, expected, actual } = await expectMatchesOrt(mixedModel(op, n), { keepIoLayout: keep, range: [-50, 50] });
          const adds = new Array<string>(n - 1).fill('ADD');
          expect(computeOps(graph.nodes.map((x) => x.op))).toEqual(op === 'Mean' && n > 1 ? [...adds, 'MUL'] : adds);
          expect(bits(actual[0]!)).toEqual(bits(expected[0]!));
        });
      }
    }
  }

  it('a lower-rank first input broadcasts up against an NHWC activation', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('Sum', [b.input('w', [5]), b.input('x', [1, 3, 4, 5]), b.input('u', [3, 1, 1])], {}, 'y'));
    const { expected, actual } = await expectMatchesOrt(b.build());
    expect(bits(actual[0]!)).toEqual(bits(expected[0]!));
  });

  it('opset 6 (same shapes) and opset 8 Mean agree with onnxruntime', async () => {
    for (const opset of [6, 8]) {
      const b = new OnnxGraphBuilder({ opset });
      b.output(b.node('Mean', [b.input('a', [2, 7]), b.input('b', [2, 7]), b.input('c', [2, 7])], {}, 'y'));
      const { expected, actual } = await expectMatchesOrt(b.build());
      expect(bits(actual[0]!)).toEqual(bits(expected[0]!));
    }
  });

  it('edge values: ±0, ±Infinity, overflow to Infinity, ties and large magnitudes, bit for bit', async () => {
    const a = Float32Array.of(0, -0, Infinity, -Infinity, 3e38, -3e38, 1, 16777216, 0.1, -5);
    const c = Float32Array.of(-0, -0, 1, -1, 3e38, -3e38, 1e-38, 1, 0.2, 5);
    const d = Float32Array.of(0, -0, -1, 5, -3e38, 1, -1e-38, 1, 0.3, -0);
    for (const op of ['Sum', 'Mean']) {
      const b = new OnnxGraphBuilder({ opset: 13 });
      b.output(b.node(op, [b.input('a', [10]), b.input('c', [10]), b.input('d', [10])], {}, 'y'));
      const m = b.build();
      const feeds: HostTensor[] = [a, c, d].map((data, k) => ({ name: ['a', 'c', 'd'][k]!, dtype: 'float32', shape: [10], data }));
      const { want, got } = await runBoth(m, m, feeds);
      expect(bits(got[0]!), op).toEqual(bits(want[0]!));
    }
  });

  /** Sum over integer inputs against onnxruntime's chain of Adds (onnxruntime refuses integer Sum). */
  async function expectIntegerSum(dtype: OnnxDType, shapes: number[][], datas: ArrayLike<number>[]): Promise<void> {
    const names = shapes.map((_, k) => `i${k}`);
    const out = shapes.reduce((s, x) => (x.length > s.length ? x : s));
    const sum = new OnnxGraphBuilder({ opset: 13 });
    sum.output(sum.node('Sum', names.map((nm, k) => sum.input(nm, shapes[k]!, dtype)), {}, 'y'), out, dtype);
    const adds = new OnnxGraphBuilder({ opset: 14 }); // uint8 Add from opset 14
    let acc = adds.input(names[0]!, shapes[0]!, dtype);
    for (let k = 1; k < names.length; k++) acc = adds.node('Add', [acc, adds.input(names[k]!, shapes[k]!, dtype)], {}, k === names.length - 1 ? 'y' : undefined);
    adds.output('y', out, dtype);
    const feeds: HostTensor[] = names.map((name, k) =>
      dtype === 'uint8'
        ? { name, dtype: 'uint8', shape: shapes[k]!, data: Uint8Array.from(datas[k]!) }
        : { name, dtype: 'int32', shape: shapes[k]!, data: Int32Array.from(datas[k]!) },
    );
    const { want, got } = await runBoth(sum.build(), adds.build(), feeds);
    expect(Array.from(got[0]!.data as ArrayLike<number>)).toEqual(Array.from(want[0]!.data as ArrayLike<number>));
  }

  it('int32 Sum of 3 broadcast inputs wraps like the int32 Add of onnxruntime', async () => {
    await expectIntegerSum('int32', [[2, 3], [3], [2, 1]], [[2147483647, -2147483648, 0, -7, 5, 1], [1, -1, 9], [3, -2147483647]]);
  });

  it('uint8 Sum (widened to int32 and cast back) wraps modulo 256', async () => {
    await expectIntegerSum('uint8', [[4], [4], [4], [4], [4]], [[255, 0, 128, 7], [1, 0, 128, 9], [255, 3, 255, 0], [0, 0, 1, 1], [200, 255, 2, 3]]);
  });

  it('Mean on an integer input is refused with the node and reason', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('Mean', [b.input('a', [3], 'int32'), b.input('b', [3], 'int32')], {}, 'y'), [3], 'int32');
    const e = importRejection(b.build());
    expect(e.diagnostics).toEqual([expect.objectContaining({ reason: 'unsupported-dtype', opType: 'Mean', message: "Mean node 'Mean_node_0' on int32 input 'a': ONNX Mean takes float tensors only" })]);
  });
});
