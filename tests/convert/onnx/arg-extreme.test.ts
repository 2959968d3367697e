/**
 * ArgMax / ArgMin on NHWC-held activations (a conv's output), against onnxruntime, index for index:
 * over the channels without keepdims (a segmentation head's argmax: no TRANSPOSE), with keepdims on
 * every axis, and over a spatial axis without keepdims (the ONNX-order view). The conformance suite
 * covers 2-D / 3-D inputs and select_last_index (refused).
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, attr, normalFloat32, uniformFloat32 } from '../../helpers/onnx-builder.js';
import { runConverted, runOrt, type Feed } from './int64-io.js';

function model(op: 'ArgMax' | 'ArgMin', axis: number, keepdims: number): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 13 });
  const x = b.input('x', [1, 3, 5, 6]);
  const c = b.node('Conv', [x, b.init('w', [4, 3, 1, 1], normalFloat32(12, 5))]);
  b.output(b.node(op, [c], { axis: attr.int(axis), keepdims: attr.int(keepdims) }, 'y'), undefined, 'int64');
  return b.build();
}

const feeds: Feed[] = [{ name: 'x', dtype: 'float32', shape: [1, 3, 5, 6], values: Array.from(uniformFloat32(90, 3, -1, 1)) }];

describe('ArgMax / ArgMin of NHWC-held values', () => {
  for (const op of ['ArgMax', 'ArgMin'] as const) {
    for (const [axis, keepdims] of [[1, 0], [1, 1], [-1, 1], [2, 1], [0, 1], [2, 0], [3, 0]] as const) {
      for (const nhwcIo of [false, true]) {
        it(`${op} axis ${axis} keepdims ${keepdims} (${nhwcIo ? 'NHWC' : 'NCHW'} I/O)`, async () => {
          const bytes = model(op, axis, keepdims);
          const got = await runConverted(bytes, feeds, nhwcIo);
          expect(got.outputs).toEqual(await runOrt(bytes, feeds, ['int64']));
          if (axis === 1 && nhwcIo) expect(got.ops).not.toContain('TRANSPOSE');
          expect(got.ops).toContain(op === 'ArgMax' ? 'ARG_MAX' : 'ARG_MIN');
        });
      }
    }
  }
});
