/** Clip of a rank-0 value (DynamicQuantizeLinear's function body clips its scalar zero point): the bounds stay rank 0. */
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { verify } from '../../../src/ir/verify.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { OnnxGraphBuilder } from '../../helpers/onnx-builder.js';

describe('Clip of a scalar', () => {
  for (const v of [-3, 0.25, 300]) {
    it(`clip(${v}, 0, 255) is a valid graph with a rank-0 output, equal to onnxruntime`, async () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      const x = b.input('x', []);
      b.output(b.node('Clip', [x, b.init('lo', [], [0]), b.init('hi', [], [255])], {}, 'y'), []);
      const model = b.build();
      const g = importOnnx(model);
      expect(verify(g)).toEqual([]);
      expect(g.tensor(g.outputs[0]!).shape).toEqual([]);
      const feeds = [{ name: 'x', dtype: 'float32' as const, shape: [], data: Float32Array.of(v) }];
      const ort = await onnxRuntime.load(model);
      const [want] = await ort.run(feeds);
      await ort.dispose();
      const lrt = await liteRtRuntime.load(writeTflite(g));
      const [got] = await lrt.run(feeds);
      await lrt.dispose();
      expect(Array.from(got!.data as Float32Array)).toEqual(Array.from(want!.data as Float32Array));
    });
  }
});
