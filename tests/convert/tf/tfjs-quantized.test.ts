/**
 * tfjs quantized weights (tensorflowjs_converter's float16 and uint8 encodings, made by TensorFlow in
 * tests/fixtures/tf/matting/tfjs_{float16,uint8}): dequantized as TensorFlow.js does — the --check
 * against tfjs passes — and really quantized: the weights differ from the float32 export's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convert } from '../../../src/convert/index.js';
import { checkTfConversion } from '../../../src/convert/tf/check.js';
import { loadTfModel } from '../../../src/convert/tf/load.js';
import { FIXTURES } from './fixtures.js';

function load(dir: string) {
  const file = join(FIXTURES, 'matting', dir, 'model.json');
  const bytes = new Uint8Array(readFileSync(file));
  return { file, bytes, model: loadTfModel(bytes, file) };
}

describe('tfjs quantized weights', () => {
  const float = load('tfjs');
  for (const [dir, dtype, maxRel] of [
    ['tfjs_float16', 'float16', 1e-3],
    ['tfjs_uint8', 'uint8', 1e-2],
  ] as const) {
    it(`${dtype}: manifest entries quantized, values within ${dtype} precision of float32, --check vs tfjs passes`, async () => {
      const q = load(dir);
      const manifest = JSON.parse(readFileSync(q.file, 'utf8'));
      const entries = manifest.weightsManifest.flatMap((g: { weights: Array<{ quantization?: { dtype: string } }> }) => g.weights);
      expect(entries.some((w: { quantization?: { dtype: string } }) => w.quantization?.dtype === dtype)).toBe(true);
      let differs = 0;
      for (const [name, w] of q.model.weights) {
        const f = float.model.weights.get(name)!;
        const a = f.data as Float32Array;
        const b = w.data as Float32Array;
        expect(b.length).toBe(a.length);
        const range = Math.max(...Array.from(a, Math.abs), 1e-6);
        for (let i = 0; i < a.length; i++) {
          expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(maxRel * range * 2);
          if (a[i] !== b[i]) differs++;
        }
      }
      expect(differs).toBeGreaterThan(0);
      const { graph, tflite } = convert({ bytes: q.bytes, file: q.file });
      const r = await checkTfConversion(q.model, tflite, graph);
      expect(r.pass).toBe(true);
    });
  }
});
