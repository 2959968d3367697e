/**
 * Every TF fixture (made by TensorFlow: scripts/tf/make_fixtures.py) in all three formats converts, and
 * the .tflite in LiteRT reproduces TensorFlow's own recorded outputs on TensorFlow's recorded inputs
 * within the `--check` tolerance (check.ts outputCheck: max_abs ≤ 1e-4 × range, cosine ≥ 0.9999).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { convert } from '../../../src/convert/index.js';
import { outputCheck } from '../../../src/convert/check.js';
import { readModelInput } from '../../../src/core/read-model.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { FIXTURES, FORMATS, fixtureNames, manifest, reference } from './fixtures.js';

describe('TF fixtures: .tflite in LiteRT vs TensorFlow', () => {
  for (const name of fixtureNames()) {
    for (const { format, path } of FORMATS) {
      it(`${name} (${format})`, async () => {
        const file = join(FIXTURES, name, path);
        const { graph, tflite } = convert({ bytes: await readModelInput(file), file });
        const m = manifest(name);
        expect(graph.inputs.length).toBe(m.inputs.shapes.length);
        const model = await liteRtRuntime.load(tflite);
        try {
          const feeds = graph.inputs.map((input, i) => {
            const ref = reference(name, 'input', i);
            expect(graph.tensor(input).shape).toEqual(ref.shape);
            return { name: input, dtype: 'float32' as const, shape: ref.shape, data: ref.data };
          });
          const out = await model.run(feeds);
          expect(out.length).toBe(1);
          const want = reference(name, 'output', 0);
          expect(out[0]!.shape).toEqual(want.shape);
          const check = outputCheck('y', want.data, Float32Array.from(out[0]!.data as ArrayLike<number>, Number));
          expect(check.maxAbs, `max_abs ${check.maxAbs} limit ${check.limit}`).toBeLessThanOrEqual(check.limit);
          expect(check.pass).toBe(true);
        } finally {
          await model.dispose();
        }
      });
    }
  }
});
