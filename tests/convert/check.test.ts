/**
 * `checkConversion` (mai convert --check): onnxruntime vs LiteRT on seeded inputs. A float16 ONNX
 * model (PyTorch `.half()` export) is fed fp16 inputs in onnxruntime and the same values as float32
 * in LiteRT; its limit follows fp16 precision (CHECK_REL_TOL_FP16_REFERENCE), and a broken
 * conversion still fails it.
 */
import { describe, expect, it } from 'vitest';
import { convert } from '../../src/convert/index.js';
import { CHECK_REL_TOL, CHECK_REL_TOL_FP16_REFERENCE, LITERT_MAX_BYTES, checkConversion } from '../../src/convert/check.js';
import { buildFp16EncoderDecoderOnnx } from '../../src/samples/pytorch-fp16-encoder-decoder.js';
import { buildEncoderDecoderOnnx } from '../../src/samples/encoder-decoder.js';
import { writeTflite } from '../../src/tflite/writer.js';

describe('checkConversion', () => {
  it('float32 model: 1e-4 of the output range, passes', async () => {
    const bytes = buildEncoderDecoderOnnx({ size: 64, width: 8, seed: 3 });
    const { graph, tflite } = convert({ bytes });
    const r = await checkConversion(bytes, tflite, graph);
    expect(r.float16Reference).toBe(false);
    expect(r.pass).toBe(true);
    for (const o of r.outputs) expect(o.limit).toBeCloseTo(CHECK_REL_TOL * o.range, 12);
  });

  it('float16 model: judged against its float32 computation (the model upcast), fp16 onnxruntime printed beside it', async () => {
    const bytes = buildFp16EncoderDecoderOnnx({});
    const { graph, tflite } = convert({ bytes });
    const r = await checkConversion(bytes, tflite, graph);
    expect(r.floatReference).toEqual(['float16 upcast to float32']);
    expect(r.pass).toBe(true);
    for (const o of r.outputs) {
      if (o.range > 0) expect(o.limit).toBeCloseTo(CHECK_REL_TOL * o.range, 12);
      expect(o.maxAbs).toBeLessThanOrEqual(o.limit);
      expect(o.cosine).toBeGreaterThan(0.9999);
    }
    // the source as written runs in fp16 (fp16 inputs): its limit is the fp16-derived one, and it differs more
    expect(r.asWritten).toHaveLength(r.outputs.length);
    for (const [i, o] of r.asWritten!.entries()) {
      if (o.range > 0) expect(o.limit).toBeCloseTo(CHECK_REL_TOL_FP16_REFERENCE * o.range, 12);
      expect(o.maxAbs).toBeGreaterThan(r.outputs[i]!.maxAbs);
    }
  });

  it('a .tflite above what LiteRT.js loads (2 GiB: the large-model layout) is refused with a reason, not a LiteRT failure', async () => {
    const bytes = buildEncoderDecoderOnnx({ size: 16, width: 4, seed: 3 });
    const { graph } = convert({ bytes });
    const huge = new Uint8Array(LITERT_MAX_BYTES + 1); // zero pages: never touched
    await expect(checkConversion(bytes, huge, graph)).rejects.toMatchObject({ code: 'model-too-large', message: expect.stringMatching(/LiteRT\.js .* cannot load a 2\.00 GiB model/) });
  });

  it('float16 model with a corrupted weight fails the check', async () => {
    const bytes = buildFp16EncoderDecoderOnnx({});
    const { graph } = convert({ bytes });
    const conv = graph.nodes.find((n) => n.op === 'CONV_2D')!;
    // the weights stay float16 behind a DEQUANTIZE (keep-half-weights): every third one's sign bit flipped
    const deq = graph.producerOf(conv.inputs[1]!)!;
    expect(deq.op).toBe('DEQUANTIZE');
    const w = graph.tensor(deq.inputs[0]!);
    expect(w.dtype).toBe('float16');
    const data = Uint16Array.from(w.data as Uint16Array);
    for (let i = 0; i < data.length; i += 3) data[i] = data[i]! ^ 0x8000;
    w.data = data;
    const r = await checkConversion(bytes, writeTflite(graph), graph);
    expect(r.pass).toBe(false);
  });
});
