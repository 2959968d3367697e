/**
 * The real oracle for graph rewrites: write a graph with `writeTflite`, run it
 * in LiteRT.js on seeded inputs, compare with another graph's outputs.
 */
import { expect } from 'vitest';
import type { Graph } from '../../src/ir/graph.js';
import type { HostTensor } from '../../src/runtime/types.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { numElements } from '../../src/ir/tensor.js';
import { writeTflite } from '../../src/tflite/writer.js';

/** Seeded float32 inputs in [-1, 1) for each graph input. */
export function seededInputs(g: Graph, seed = 1): HostTensor[] {
  return g.inputs.map((name, i) => {
    const t = g.tensor(name);
    return { name, dtype: 'float32', shape: [...t.shape], data: uniformFloat32(numElements(t.shape), seed * 1000 + i) };
  });
}

export function runInLiteRt(g: Graph, inputs: HostTensor[]): Promise<HostTensor[]> {
  return runTfliteBytes(writeTflite(g), inputs);
}

/** Loads a .tflite in LiteRT.js, runs it once on `inputs` and disposes of it. */
export async function runTfliteBytes(bytes: Uint8Array, inputs: HostTensor[]): Promise<HostTensor[]> {
  const model = await liteRtRuntime.load(bytes);
  try {
    return await model.run(inputs);
  } finally {
    await model.dispose();
  }
}

/** Largest |a-b| (Infinity for a NaN) divided by the range of `expected` (max - min, at least 1e-6). */
export function relativeError(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  let lo = Infinity;
  let hi = -Infinity;
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) {
    lo = Math.min(lo, expected[i]!);
    hi = Math.max(hi, expected[i]!);
    const d = Math.abs(expected[i]! - actual[i]!);
    maxAbs = Math.max(maxAbs, Number.isNaN(d) ? Infinity : d);
  }
  return maxAbs / Math.max(hi - lo, 1e-6);
}

/**
 * Both graphs written and run in LiteRT on the same seeded inputs give the same
 * outputs within `tol` relative to each output's range. Returns the worst error.
 */
export async function expectSameInLiteRt(before: Graph, after: Graph, seed = 1, tol = 1e-5): Promise<number> {
  const inputs = seededInputs(before, seed);
  const a = await runInLiteRt(before, inputs);
  const b = await runInLiteRt(after, inputs);
  expect(b.length).toBe(a.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    expect(b[i]!.shape).toEqual(a[i]!.shape);
    const e = relativeError(a[i]!.data as Float32Array, b[i]!.data as Float32Array);
    worst = Math.max(worst, e);
    expect(e).toBeLessThanOrEqual(tol);
  }
  return worst;
}
