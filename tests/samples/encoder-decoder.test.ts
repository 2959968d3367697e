import { describe, expect, it } from 'vitest';
import { buildEncoderDecoderOnnx, ENCODER_DECODER_INPUT } from '../../src/samples/encoder-decoder.js';
import { buildLargeOnnx } from '../../src/samples/large-model.js';
import { onnxRuntime } from '../../src/runtime/onnxruntime.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { convert } from '../../src/convert/index.js';
import { nchwToNhwc } from '../../src/core/layout.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { relativeError } from '../helpers/tflite-oracle.js';

describe('sample encoder–decoder', () => {
  const size = 64;
  const bytes = buildEncoderDecoderOnnx({ size, width: 8, seed: 1 });
  const input = uniformFloat32(3 * size * size, 5, 0, 1);

  it('is deterministic and runs in onnxruntime with a non-saturated alpha', async () => {
    expect(Buffer.from(buildEncoderDecoderOnnx({ size, width: 8, seed: 1 })).equals(Buffer.from(bytes))).toBe(true);
    const m = await onnxRuntime.load(bytes);
    const [alpha] = await m.run([{ name: ENCODER_DECODER_INPUT, dtype: 'float32', shape: [1, 3, size, size], data: input }]);
    await m.dispose();
    expect(alpha!.shape).toEqual([1, 1, size, size]);
    const a = alpha!.data as Float32Array;
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const sd = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
    expect(Math.min(...a)).toBeGreaterThan(0);
    expect(Math.max(...a)).toBeLessThan(1);
    expect(sd).toBeGreaterThan(0.01); // activations neither exploded (saturated) nor vanished
    expect(mean).toBeGreaterThan(0.05);
    expect(mean).toBeLessThan(0.95);
  });

  it('converts to TFLite that matches onnxruntime within 1e-4 of the output range', async () => {
    const { tflite, graph } = convert({ bytes, file: 'encoder-decoder.onnx' });
    const ops = new Set(graph.nodes.map((n) => n.op));
    expect(ops.has('RESIZE_BILINEAR')).toBe(true);
    // the passes folded every BatchNormalization and fused every Relu / Clip(0,6)
    for (const gone of ['MUL', 'RELU', 'RELU6']) expect(ops.has(gone as never), gone).toBe(false);
    expect(graph.nodes.filter((n) => n.attrs.activation === 'RELU6' && n.op === 'DEPTHWISE_CONV_2D')).toHaveLength(4);
    const ort = await onnxRuntime.load(bytes);
    const [ref] = await ort.run([{ name: ENCODER_DECODER_INPUT, dtype: 'float32', shape: [1, 3, size, size], data: input }]);
    await ort.dispose();
    const lrt = await liteRtRuntime.load(tflite);
    const inShape = lrt.inputs()[0]!.shape;
    const nhwc = inShape[3] === 3;
    const [out] = await lrt.run([{ name: 'input', dtype: 'float32', shape: inShape, data: nhwc ? nchwToNhwc(input, [1, 3, size, size]) : input }]);
    await lrt.dispose();
    const err = relativeError(ref!.data as Float32Array, out!.data as Float32Array);
    expect(err).toBeLessThan(1e-4);
  });

  it('buildLargeOnnx holds at least the requested MiB of weights', () => {
    const b = buildLargeOnnx({ weightsMB: 5, channels: 128 });
    expect(b.byteLength).toBeGreaterThanOrEqual(5 * 2 ** 20);
    expect(b.byteLength).toBeLessThan(7 * 2 ** 20);
  });
});
