/**
 * Quantized sample CNN against our GPU-delegate rule table: fp16 weights
 * (DEQUANTIZE of a constant, folded by the delegate) and full int8 (the
 * delegate's "floating-point view") both stay one fully delegated partition.
 */
import { describe, expect, it } from 'vitest';
import { convert } from '../../src/convert/index.js';
import { checkGpuCompat } from '../../src/convert/gpu/index.js';
import { buildEncoderDecoderOnnx } from '../../src/samples/encoder-decoder.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { calibrate } from '../../src/quantize/calibrate.js';
import { quantizeFp16 } from '../../src/quantize/fp16.js';
import { quantizeInt8 } from '../../src/quantize/int8.js';
import { readTflite, writeTflite } from '../../src/tflite/index.js';

describe('quantized models and the GPU delegate rules', () => {
  const g = convert({ bytes: buildEncoderDecoderOnnx({ size: 64, width: 8 }) }).graph;

  it('the float model is fully delegated (baseline)', () => {
    expect(checkGpuCompat(g).fullyDelegated).toBe(true);
  });

  it('fp16: every DEQUANTIZE-of-constant is folded, the model stays fully delegated', () => {
    const r = checkGpuCompat(readTflite(writeTflite(quantizeFp16(g))));
    expect(r.unsupportedLines).toEqual([]);
    expect(r.fullyDelegated).toBe(true);
  });

  it('int8 with float I/O: fully delegated with quantization allowed (the default)', async () => {
    const stats = await calibrate(g, [1, 2].map((s) => [{ name: 'input', dtype: 'float32' as const, shape: [1, 64, 64, 3], data: uniformFloat32(64 * 64 * 3, s, 0, 1) }]), { kind: 'minmax' });
    const r = checkGpuCompat(readTflite(writeTflite(quantizeInt8(g, stats).graph)));
    expect(r.unsupportedLines).toEqual([]);
    expect(r.fullyDelegated).toBe(true);
  });
});
