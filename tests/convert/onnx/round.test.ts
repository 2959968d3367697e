/** ONNX Round → TFLite ROUND: half to even in both, identical to onnxruntime on ties, signed zeros and large values. */
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { OnnxGraphBuilder, uniformFloat32 } from '../../helpers/onnx-builder.js';
import { opHistogram } from './harness.js';

describe('Round', () => {
  it('rounds .5 ties to even like onnxruntime (and everything else to nearest)', async () => {
    const ties = Array.from({ length: 41 }, (_, i) => i - 20 + 0.5);
    const x = Float32Array.from([...ties, 0, -0, 0.49999997, -0.49999997, 2 ** 23 - 0.5, 2 ** 23 + 1, -(2 ** 24) - 2, 3e38, -3e38, ...uniformFloat32(200, 3, -100, 100)]);
    const b = new OnnxGraphBuilder({ opset: 13 });
    const xi = b.input('x', [x.length]);
    b.output(b.node('Round', [xi], {}, 'y'), [x.length]);
    const model = b.build();
    const feeds = [{ name: 'x', dtype: 'float32' as const, shape: [x.length], data: x }];
    const ort = await onnxRuntime.load(model);
    const [want] = await ort.run(feeds);
    await ort.dispose();
    const g = importOnnx(model);
    expect(opHistogram(g)).toEqual({ ROUND: 1 });
    const lrt = await liteRtRuntime.load(writeTflite(g));
    const [got] = await lrt.run(feeds);
    await lrt.dispose();
    expect(Array.from(got!.data as Float32Array)).toEqual(Array.from(want!.data as Float32Array));
    expect(Array.from(want!.data as Float32Array).slice(18, 23)).toEqual([-2, -0, 0, 2, 2]); // −1.5, −0.5, 0.5, 1.5, 2.5
  });
});
