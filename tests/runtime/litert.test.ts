/**
 * LiteRT.js's 2 GiB WebAssembly heap: a model whose tensors do not fit is a typed
 * 'litert-out-of-memory' error naming the limit, not LiteRT's raw tensor-buffer error;
 * a model just under it still runs.
 */
import { describe, expect, it } from 'vitest';
import { Graph } from '../../src/ir/graph.js';
import { MaiError } from '../../src/core/errors.js';
import { LITERT_HEAP_MAX_BYTES, liteRtRuntime } from '../../src/runtime/litert.js';
import { writeTflite } from '../../src/tflite/writer.js';
import { seededInputs } from '../helpers/tflite-oracle.js';

/** x [1, 1024] tiled `times` along the last axis: a float32 output of 4 KiB × times. */
function tiled(times: number): Graph {
  const g = new Graph();
  g.addTensor({ name: 'x', dtype: 'float32', shape: [1, 1024], layout: 'plain' });
  g.addTensor({ name: 'multiples', dtype: 'int32', shape: [2], layout: 'plain', data: Int32Array.from([1, times]) });
  g.addTensor({ name: 'y', dtype: 'float32', shape: [1, 1024 * times], layout: 'plain' });
  g.inputs.push('x');
  g.outputs.push('y');
  g.addNode({ name: 'tile', op: 'TILE', inputs: ['x', 'multiples'], outputs: ['y'], attrs: {} });
  return g;
}

describe('LiteRT.js heap limit', () => {
  it('an output larger than the 2 GiB heap is litert-out-of-memory (exit 3) with the sizes', async () => {
    const times = Math.ceil((LITERT_HEAP_MAX_BYTES * 1.1) / 4096); // 2.2 GiB of float32
    const g = tiled(times);
    const model = await liteRtRuntime.load(writeTflite(g));
    try {
      const err = await model.run(seededInputs(g)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(MaiError);
      expect((err as MaiError).code).toBe('litert-out-of-memory');
      expect((err as MaiError).exit).toBe(3);
      expect((err as MaiError).message).toMatch(/limited to 2048 MiB; \d+ MiB in use, this model's outputs alone need 2253 MiB/);
    } finally {
      await model.dispose();
    }
  });

  it('a 256 MiB output runs and holds the tiled input', async () => {
    const g = tiled(65536);
    const model = await liteRtRuntime.load(writeTflite(g));
    try {
      const x = seededInputs(g);
      const [y] = await model.run(x);
      expect(y!.shape).toEqual([1, 1024 * 65536]);
      const data = y!.data as Float32Array;
      const xs = x[0]!.data as Float32Array;
      for (const k of [0, 1, 65535]) expect(Array.from(data.subarray(k * 1024, (k + 1) * 1024))).toEqual(Array.from(xs));
    } finally {
      await model.dispose();
    }
  });
});
