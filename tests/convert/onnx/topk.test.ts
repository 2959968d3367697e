/**
 * TopK vs onnxruntime, values and int64 indices element for element: on NHWC-held values (a 1×1 conv
 * with an identity kernel, so both runtimes see the same numbers) over the channels (TOPK_V2 in place,
 * no TRANSPOSE) and over spatial axes, largest and smallest, opset 1 (k attribute) and 11 (k input),
 * and int32 / int64 inputs with ties. A run-time k is refused by name.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, uniformFloat32 } from '../../helpers/onnx-builder.js';
import { importRejection } from './harness.js';
import { runConverted, runOrt, type Feed } from './int64-io.js';

const C = 5;
const eye = Float32Array.from({ length: C * C }, (_, i) => (i % (C + 1) === 0 ? 1 : 0));

function model(opset: number, axis: number, k: number, largest: number): Uint8Array {
  const b = new OnnxGraphBuilder({ opset });
  const x = b.input('x', [1, C, 4, 6]);
  const c = b.node('Conv', [x, b.init('w', [C, C, 1, 1], eye)]);
  const attrs: Record<string, number> = opset < 10 ? { axis, k } : { axis, largest };
  const inputs = opset < 10 ? [c] : [c, b.init('k', [1], BigInt64Array.of(BigInt(k)), 'int64')];
  b.nodeMulti('TopK', inputs, attrs, ['values', 'indices']);
  b.output('values');
  b.output('indices', undefined, 'int64');
  return b.build();
}

const feeds: Feed[] = [{ name: 'x', dtype: 'float32', shape: [1, C, 4, 6], values: Array.from(uniformFloat32(C * 24, 11, -1, 1)) }];

describe('TopK vs onnxruntime', () => {
  const cases: Array<[number, number, number, number]> = [
    [11, 1, 3, 1], [11, 1, 2, 0], [11, -1, 4, 1], [11, 2, 1, 0], [11, 0, 1, 1], [11, 3, 6, 0], [1, 1, 2, 1], [1, -2, 3, 1],
  ];
  for (const [opset, axis, k, largest] of cases) {
    for (const nhwcIo of [false, true]) {
      it(`opset ${opset} axis ${axis} k ${k}${largest ? '' : ' smallest'} (${nhwcIo ? 'NHWC' : 'NCHW'} I/O)`, async () => {
        const bytes = model(opset, axis, k, largest);
        const got = await runConverted(bytes, feeds, nhwcIo);
        expect(got.outputs).toEqual(await runOrt(bytes, feeds, ['float32', 'int64']));
        expect(got.ops).toContain('TOPK_V2');
        if (axis === 1 && nhwcIo) expect(got.ops).not.toContain('TRANSPOSE');
      });
    }
  }

  it('int32 and int64 inputs with ties: lower index first, largest and smallest', async () => {
    for (const [dt, largest] of [['int32', 1], ['int32', 0], ['int64', 1], ['int64', 0]] as const) {
      const b = new OnnxGraphBuilder({ opset: 11 });
      const x = b.input('x', [3, 8], dt);
      b.nodeMulti('TopK', [x, b.init('k', [1], BigInt64Array.of(5n), 'int64')], { axis: 1, largest }, ['values', 'indices']);
      b.output('values', undefined, dt);
      b.output('indices', undefined, 'int64');
      const bytes = b.build();
      const f: Feed[] = [{ name: 'x', dtype: dt, shape: [3, 8], values: Array.from({ length: 24 }, (_, i) => (i * 7) % 5 - 2) }];
      const got = await runConverted(bytes, f);
      expect(got.outputs).toEqual(await runOrt(bytes, f, [dt, 'int64']));
      expect(got.ops).toContain('TOPK_V2');
    }
  });

  it('refuses a run-time k', () => {
    const b = new OnnxGraphBuilder({ opset: 11 });
    const x = b.input('x', [2, 8]);
    const k = b.input('k', [1], 'int64');
    b.nodeMulti('TopK', [x, k], {}, ['values', 'indices']);
    b.output('values');
    b.output('indices', undefined, 'int64');
    const e = importRejection(b.build());
    expect(e.diagnostics.map((d) => d.reason)).toEqual(['requires-constant-input']);
    expect(e.diagnostics[0]!.message).toMatch(/TopK k \(input 'k'\) must be a constant/);
  });
});
