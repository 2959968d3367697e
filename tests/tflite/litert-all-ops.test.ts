/**
 * Every op-table variant whose graph inputs and outputs LiteRT.js can feed
 * (float32 / int32) is written, loaded and run in LiteRT: the runtime accepts
 * our options tables, versions and tensors (no "ERROR:" line logged), and
 * produces the declared shapes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import type { LoadedModel } from '../../src/runtime/types.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { writeTflite } from '../../src/tflite/index.js';
import { VARIANTS, build } from './op-variants.js';
import { captureLiteRtErrors } from './litert-errors.js';

const IO = new Set(['float32', 'int32']);
/**
 * Variants LiteRT.js can run: float32/int32 graph I/O, at least one runtime input (XNNPACK cannot set up an
 * input-less graph), not the shuffled FC weights format (a uint8-only kernel with two outputs), and not a
 * CONV_2D without bias (LiteRT's conv kernel fails Prepare with "has_bias was not true": writers must give
 * conv a bias, zeros if need be).
 */
const runnable = VARIANTS.filter((v) => {
  const g = build(v);
  return (
    g.inputs.length > 0 &&
    !(v.op === 'CONV_2D' && v.ins.length < 3) &&
    [...g.inputs, ...g.outputs].every((n) => IO.has(g.tensor(n).dtype)) &&
    !g.nodes.some((n) => n.attrs.weightsFormat || n.inputs.some((i) => i && g.tensor(i).dtype === 'float16'))
  );
});

const models: LoadedModel[] = [];
afterAll(async () => {
  for (const m of models) await m.dispose();
});

describe('every runnable op-table variant runs in LiteRT', () => {
  it('covers most of the table', () => {
    expect(new Set(runnable.map((v) => v.op)).size).toBeGreaterThanOrEqual(45);
  });

  it.each(runnable.map((v) => [`${v.op} (${v.label})`, v] as const))('%s', async (_l, v) => {
    const g = build(v);
    const inputs = g.inputs.map((name, i) => {
      const t = g.tensor(name);
      const n = t.shape.reduce((a, b) => a * b, 1);
      const data = t.dtype === 'int32' ? Int32Array.from({ length: n }, (_, k) => k % 3) : uniformFloat32(n, 7 + i, 0.1, 1);
      return { name, dtype: t.dtype, shape: [...t.shape], data };
    });
    const { result: outs, errors } = await captureLiteRtErrors(async () => {
      const m = await liteRtRuntime.load(writeTflite(g));
      models.push(m);
      return m.run(inputs);
    });
    expect(errors).toEqual([]);
    expect(outs.map((o) => o.shape)).toEqual(g.outputs.map((o) => g.tensor(o).shape));
  });
});
