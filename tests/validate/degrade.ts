/**
 * A deliberately degraded candidate: Google's selfie_segmentation.tflite read
 * with our TFLite reader, seeded uniform noise added to every CONV_2D /
 * DEPTHWISE_CONV_2D filter (through its DEQUANTIZE from float16 when the
 * weights are stored as fp16), written back with our writer.
 */
import { readTflite, writeTflite } from '../../src/tflite/index.js';
import { floatToHalf, halfToFloat } from '../../src/ir/dtype.js';
import { seededRandom as mulberry32 } from '../../src/core/random.js';

export function degradeConvWeights(bytes: Uint8Array, relNoise: number, seed = 7): { tflite: Uint8Array; tensors: number } {
  const g = readTflite(bytes, 'selfie_segmentation.tflite');
  const producer = new Map<string, (typeof g.nodes)[number]>();
  for (const n of g.nodes) for (const o of n.outputs) producer.set(o, n);
  const rand = mulberry32(seed);
  let tensors = 0;
  for (const n of g.nodes) {
    if (n.op !== 'CONV_2D' && n.op !== 'DEPTHWISE_CONV_2D') continue;
    const p = producer.get(n.inputs[1]!);
    const t = g.tensors.get(p?.op === 'DEQUANTIZE' ? p.inputs[0]! : n.inputs[1]!);
    if (!t?.data) continue;
    const half = t.dtype === 'float16';
    if (!half && t.dtype !== 'float32') continue;
    const src = t.data as Uint16Array | Float32Array;
    const get = (i: number) => (half ? halfToFloat(src[i]!) : src[i]!);
    let rms = 0;
    for (let i = 0; i < src.length; i++) rms += get(i) ** 2;
    rms = Math.sqrt(rms / src.length);
    // uniform in ±√3·relNoise·rms has standard deviation relNoise·rms
    const amp = Math.sqrt(3) * relNoise * rms;
    const out = half ? new Uint16Array(src.length) : new Float32Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = get(i) + (rand() * 2 - 1) * amp;
      out[i] = half ? floatToHalf(v) : v;
    }
    t.data = out;
    tensors++;
  }
  return { tflite: writeTflite(g), tensors };
}
