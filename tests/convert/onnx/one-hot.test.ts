/**
 * OneHot vs onnxruntime, element for element: int64 / int32 / float indices with negative (counted
 * from the end), out-of-range and fractional ones (a row of off values), every axis, float32 / int32 / int64
 * values; a 3-D index map on axis 1 comes out NHWC without a TRANSPOSE. A run-time depth is refused.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '../../helpers/onnx-builder.js';
import { importRejection } from './harness.js';
import { runConverted, runOrt, type Feed } from './int64-io.js';

const DEPTH = 5;
const INDICES = Array.from({ length: 24 }, (_, i) => ((i * 7) % 13) - 6); // −6 … 6: in range, negative, out of range

type Num = 'int64' | 'int32' | 'float32';

/** onnxruntime implements some (indices, values, depth) type triples only: each case uses one of them. */
function model(axis: number, indexType: Num, valueType: Num, depthType: Num): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 11 });
  const idx = b.input('idx', [2, 3, 4], indexType);
  const values = valueType === 'int64' ? BigInt64Array.of(-2n, 9n) : valueType === 'int32' ? Int32Array.of(-2, 9) : Float32Array.of(-0.5, 2.5);
  b.output(b.node('OneHot', [idx, b.init('depth', [], depthType === 'int64' ? BigInt64Array.of(BigInt(DEPTH)) : depthType === 'int32' ? Int32Array.of(DEPTH) : Float32Array.of(DEPTH), depthType), b.init('values', [2], values, valueType)], { axis }, 'y'), undefined, valueType);
  return b.build();
}

describe('OneHot vs onnxruntime', () => {
  const cases: Array<[number, Num, Num, Num]> = [
    [1, 'int64', 'float32', 'int64'], [-1, 'int64', 'float32', 'int64'], [0, 'int64', 'int32', 'float32'], [2, 'float32', 'float32', 'float32'], [-2, 'int64', 'int64', 'int64'], [3, 'int32', 'float32', 'int32'],
  ];
  for (const [axis, indexType, valueType, depthType] of cases) {
    for (const nhwcIo of [false, true]) {
      it(`axis ${axis}, ${indexType} indices, ${valueType} values, ${depthType} depth (${nhwcIo ? 'NHWC' : 'NCHW'} I/O)`, async () => {
        const bytes = model(axis, indexType, valueType, depthType);
        const feeds: Feed[] = [{ name: 'idx', dtype: indexType, shape: [2, 3, 4], values: INDICES }];
        const got = await runConverted(bytes, feeds, nhwcIo);
        expect(got.outputs).toEqual(await runOrt(bytes, feeds, [valueType]));
        expect(got.ops).toContain('ONE_HOT');
        if (axis === 1 && nhwcIo) expect(got.ops).not.toContain('TRANSPOSE');
      });
    }
  }

  it('float indices: fractional and huge ones select nothing, negative whole ones count from the end', async () => {
    const b = new OnnxGraphBuilder({ opset: 11 });
    b.output(b.node('OneHot', [b.input('idx', [10]), b.init('depth', [], Float32Array.of(5)), b.init('values', [2], Float32Array.of(0, 1))], {}, 'y'));
    const bytes = b.build();
    const feeds: Feed[] = [{ name: 'idx', dtype: 'float32', shape: [10], values: [-1.5, 1.5, 2.7, -1, -5, 4, 5, -6, 3e9, -3e9] }];
    const want = await runOrt(bytes, feeds, ['float32']);
    expect(want[0]!.filter((v) => v === 1)).toHaveLength(3);
    expect((await runConverted(bytes, feeds)).outputs).toEqual(want);
  });

  it('refuses a run-time depth', () => {
    const b = new OnnxGraphBuilder({ opset: 11 });
    b.output(b.node('OneHot', [b.input('idx', [4], 'int64'), b.input('depth', [], 'int64'), b.init('values', [2], Float32Array.of(0, 1))], {}, 'y'));
    const e = importRejection(b.build());
    expect(e.diagnostics.map((d) => d.reason)).toEqual(['requires-constant-input']);
    expect(e.diagnostics[0]!.message).toMatch(/OneHot depth \(input 'depth'\) must be a constant/);
  });
});
