import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { attr, buildOnnxModel, buildOnnxModelFiles, normalFloat32, OnnxGraphBuilder, seededRandom, uniformFloat32 } from './onnx-builder.js';
import { onnxRuntime } from '../../src/runtime/onnxruntime.js';

const { onnx } = onnxProto;

describe('onnx-builder', () => {
  it('builds a Conv model onnxruntime runs, with the expected values', async () => {
    const w = Float32Array.from([1, 2, 3, 4]); // 1 out, 1 in, 2x2
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 2, 2] }],
      outputs: [{ name: 'y', shape: [1, 1, 1, 1] }],
      initializers: [
        { name: 'w', shape: [1, 1, 2, 2], data: w },
        { name: 'b', shape: [1], data: [0.5], storage: 'typed' },
      ],
      nodes: [{ op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { kernel_shape: [2, 2], strides: [1, 1] } }],
    });
    const m = await onnxRuntime.load(bytes);
    const [y] = await m.run([{ name: 'x', dtype: 'float32', shape: [1, 1, 2, 2], data: Float32Array.from([1, 1, 1, 1]) }]);
    expect(Array.from(y!.data as Float32Array)).toEqual([10.5]);
    await m.dispose();
  });

  it('writes typed attributes (float wrapper vs inferred int) and symbolic dims', () => {
    const b = new OnnxGraphBuilder({ opset: 11 });
    const x = b.input('x', ['N', 3]);
    const y = b.node('LeakyRelu', [x], { alpha: attr.float(1), extra: 2, list: [1.5, 2], mode: 'linear' });
    b.output(y);
    const model = onnx.ModelProto.decode(b.build());
    const a = model.graph!.node![0]!.attribute!;
    const T = onnx.AttributeProto.AttributeType;
    expect(a.map((x) => x.type)).toEqual([T.FLOAT, T.INT, T.FLOATS, T.STRING]);
    expect(Number(model.opsetImport[0]!.version)).toBe(11);
    expect(model.graph!.input![0]!.type!.tensorType!.shape!.dim![0]!.dimParam).toBe('N');
  });

  it('puts external initializers in a side file with offsets', () => {
    const { model, externalFiles } = buildOnnxModelFiles({
      inputs: [{ name: 'x', shape: [2] }],
      outputs: [{ name: 'y', shape: [2] }],
      initializers: [
        { name: 'a', shape: [2], data: [1, 2], externalLocation: 'w.bin' },
        { name: 'c', shape: [2], data: [3, 4], externalLocation: 'w.bin' },
      ],
      nodes: [{ op: 'Add', inputs: ['x', 'a'], outputs: ['y'] }],
    });
    expect(externalFiles.get('w.bin')!.byteLength).toBe(16);
    const init = onnx.ModelProto.decode(model).graph!.initializer![1]!;
    expect(init.dataLocation).toBe(onnx.TensorProto.DataLocation.EXTERNAL);
    expect(init.externalData!.find((e) => e.key === 'offset')!.value).toBe('8');
  });

  it('seeded data is reproducible', () => {
    expect(Array.from(uniformFloat32(4, 7))).toEqual(Array.from(uniformFloat32(4, 7)));
    expect(Array.from(normalFloat32(4, 7))).not.toEqual(Array.from(normalFloat32(4, 8)));
    const r = seededRandom(3);
    for (let i = 0; i < 100; i++) {
      const v = r();
      expect(v >= 0 && v < 1).toBe(true);
    }
  });
});
