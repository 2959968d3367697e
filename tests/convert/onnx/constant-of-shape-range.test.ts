/**
 * ConstantOfShape of a run-time shape and Range of run-time bounds vs onnxruntime. Their output shape
 * depends on input values, so they convert when the model declares it (static value_info / graph
 * output) and the converted model fails the run on inputs that give another shape; without a
 * declaration the import refuses with 'dynamic-shape'.
 */
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../../src/ir/graph.js';
import { OnnxGraphBuilder, attr, type AttrValue } from '../../helpers/onnx-builder.js';
import { importRejection } from './harness.js';
import { expectSameAsOrt, loadConverted, ortRun, type Feed } from './runtime-values-oracle.js';

/** The converted model's ops, without the CASTs carrying int64 I/O through LiteRT.js (the io-adapter's). */
const modelOps = (g: Graph) => g.nodes.filter((n) => !n.name.includes('_adapter_cast')).map((n) => n.op);

const shapeFeed = (data: number[]): Feed => ({ name: 's', dtype: 'int64', shape: [data.length], data });

function constantOfShape(declared: number[] | undefined, value?: { dtype: 'float32' | 'int32' | 'int64' | 'bool' | 'int8' | 'uint8' | 'int16'; v: number }): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 13 });
  const s = b.input('s', [declared?.length ?? 3], 'int64');
  const attrs: Record<string, AttrValue> = value ? { value: attr.tensor({ shape: [1], data: [value.v], dtype: value.dtype }) } : {};
  b.output(b.node('ConstantOfShape', [s], attrs, 'y'), declared, value?.dtype ?? 'float32');
  return b.build();
}

describe('ConstantOfShape of a run-time shape', () => {
  it('float default 0 and 1.5, int32, int64, bool, int8, uint8, int16 values: FILL of the declared shape, checked', async () => {
    const g = await expectSameAsOrt(constantOfShape([4, 3, 2]), [[shapeFeed([4, 3, 2])]]);
    expect(modelOps(g)).toEqual(['NOT_EQUAL', 'CAST', 'SUM', 'GATHER', 'FILL']);
    await expectSameAsOrt(constantOfShape([2, 5], { dtype: 'float32', v: 1.5 }), [[shapeFeed([2, 5])]]);
    await expectSameAsOrt(constantOfShape([3, 1, 2, 2], { dtype: 'int32', v: -3 }), [[shapeFeed([3, 1, 2, 2])]]);
    await expectSameAsOrt(constantOfShape([7], { dtype: 'int64', v: -(2 ** 31) }), [[shapeFeed([7])]]);
    await expectSameAsOrt(constantOfShape([2, 2], { dtype: 'bool', v: 1 }), [[shapeFeed([2, 2])]]);
    await expectSameAsOrt(constantOfShape([3], { dtype: 'int8', v: -7 }), [[shapeFeed([3])]]);
    await expectSameAsOrt(constantOfShape([1, 3], { dtype: 'uint8', v: 200 }), [[shapeFeed([1, 3])]]);
    await expectSameAsOrt(constantOfShape([2, 1], { dtype: 'int16', v: -300 }), [[shapeFeed([2, 1])]]);
  });
  it('feeding an op: x + ConstantOfShape(s)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [2, 3]);
    const s = b.input('s', [2], 'int64');
    const c = b.node('ConstantOfShape', [s], { value: attr.tensor({ shape: [1], data: [0.25], dtype: 'float32' }) });
    b.spec.valueInfo.push({ name: c, shape: [2, 3], dtype: 'float32' });
    b.output(b.node('Add', [x, c], {}, 'y'), [2, 3]);
    await expectSameAsOrt(b.build(), [[{ name: 'x', dtype: 'float32', shape: [2, 3], data: [1, -2, 3.5, 0, 8, -0.125] }, shapeFeed([2, 3])]]);
  });
  it('a shape other than the declared one fails the run (even with the same element count)', async () => {
    const model = constantOfShape([4, 3, 2], { dtype: 'float32', v: 1 });
    const lrt = await loadConverted(model);
    try {
      for (const other of [[2, 3, 4], [4, 3, 3], [0, 3, 2]]) {
        const want = await ortRun(model, [shapeFeed(other)]);
        expect(want[0]!.shape).toEqual(other);
        await expect(lrt.run([shapeFeed(other)]), `shape ${other}`).rejects.toThrow(/gather index out of bounds/);
      }
      expect((await lrt.run([shapeFeed([4, 3, 2])]))[0]!.shape).toEqual([4, 3, 2]);
    } finally {
      await lrt.dispose();
    }
  });
  it('no declared output shape: refused with dynamic-shape naming the output and the input', () => {
    const e = importRejection(constantOfShape(undefined));
    const d = e.diagnostics.find((x) => x.reason === 'dynamic-shape');
    expect(d?.message).toMatch(/ConstantOfShape output 'y' has a shape that depends on the run-time value of 's'.*declares no static shape/);
  });
  it('declared rank different from the shape input length: shape-mismatch', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('ConstantOfShape', [b.input('s', [2], 'int64')], {}, 'y'), [2, 3, 4]);
    expect(importRejection(b.build()).diagnostics.map((x) => x.reason)).toContain('shape-mismatch');
  });
});

type Num = 'float32' | 'int32' | 'int64';
/** `n`: the declared length of output y (a whole declared shape when an array; none when undefined). */
function range(dtype: Num, n: number | number[] | undefined, constant: { start?: number; delta?: number } = {}): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 13 });
  const start = constant.start !== undefined ? b.init('start', [], [constant.start], dtype) : b.input('start', [], dtype);
  const limit = b.input('limit', [], dtype);
  const delta = constant.delta !== undefined ? b.init('delta', [], [constant.delta], dtype) : b.input('delta', [], dtype);
  b.output(b.node('Range', [start, limit, delta], {}, 'y'), n === undefined ? undefined : typeof n === 'number' ? [n] : n, dtype);
  return b.build();
}
const bounds = (dtype: Num, ...v: number[]): Feed[] => ['start', 'limit', 'delta'].map((name, i) => ({ name, dtype, shape: [], data: [v[i]!] }));

describe('Range of run-time bounds', () => {
  it('float32: positive and negative delta, value += delta accumulated like onnxruntime', async () => {
    const g = await expectSameAsOrt(range('float32', 4), [bounds('float32', 0, 4, 1), bounds('float32', 10, 1, -2.5), bounds('float32', -1, 2.5, 0.9)]);
    expect(modelOps(g)).toEqual(['RANGE', 'RESHAPE']);
    await expectSameAsOrt(range('float32', 10), [bounds('float32', 0, 1, 0.1), bounds('float32', 3.3, -0.7, -0.4)]);
  });
  it('int32 and int64, negative delta', async () => {
    await expectSameAsOrt(range('int32', 5), [bounds('int32', 10, -3, -3), bounds('int32', -7, 3, 2)]);
    await expectSameAsOrt(range('int64', 3), [bounds('int64', -5, 7, 4), bounds('int64', 2 ** 31 - 1, 2 ** 31 - 31, -10)]);
  });
  it('constant start and delta with a run-time limit', async () => {
    const model = range('int64', 4, { start: 2, delta: -3 });
    const lrt = await loadConverted(model);
    try {
      const limitOnly = (v: number): Feed[] => [{ name: 'limit', dtype: 'int64', shape: [], data: [v] }];
      for (const v of [-8, -10]) {
        const want = await ortRun(model, limitOnly(v));
        const got = await lrt.run(limitOnly(v));
        expect(got[0]!.shape).toEqual(want[0]!.shape);
        expect(Array.from(got[0]!.data as Int32Array)).toEqual(Array.from(want[0]!.data as BigInt64Array, Number));
      }
    } finally {
      await lrt.dispose();
    }
  });
  it('feeding an op: Range(...) * 2 (the RESHAPE making it static is kept by the passes)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const r = b.node('Range', [b.input('start', [], 'float32'), b.input('limit', [], 'float32'), b.input('delta', [], 'float32')]);
    b.spec.valueInfo.push({ name: r, shape: [3], dtype: 'float32' });
    b.output(b.node('Mul', [r, b.init('two', [], [2])], {}, 'y'), [3]);
    await expectSameAsOrt(b.build(), [bounds('float32', 1, 2.5, 0.5)]);
  });
  it('bounds giving another length (or an empty range) fail the run', async () => {
    const model = range('int32', 4);
    const lrt = await loadConverted(model);
    try {
      for (const v of [[0, 5, 1], [0, 3, 1], [5, 0, 1], [0, 0, 1]]) {
        const want = await ortRun(model, bounds('int32', ...v));
        expect(want[0]!.shape).not.toEqual([4]);
        await expect(lrt.run(bounds('int32', ...v)), `bounds ${v}`).rejects.toThrow();
      }
      expect((await lrt.run(bounds('int32', 0, 4, 1)))[0]!.shape).toEqual([4]);
    } finally {
      await lrt.dispose();
    }
  });
  it('refusals: no declared length (dynamic-shape), int16 (no RANGE kernel on it)', () => {
    expect(importRejection(range('float32', undefined)).diagnostics.find((x) => x.reason === 'dynamic-shape')?.message).toMatch(/Range output 'y'.*'start', 'limit', 'delta'/);
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('Range', [b.input('a', [], 'int16'), b.input('b', [], 'int16'), b.input('c', [], 'int16')], {}, 'y'), [3], 'int16');
    expect(importRejection(b.build()).diagnostics.find((x) => x.reason === 'unsupported-dtype')?.message).toMatch(/Range on int16/);
    // a declared shape that is not 1-D (was: an internal error for [], a wrong [2] output for [2, 3])
    for (const declared of [[], [2, 3]]) {
      const e = importRejection(range('int32', declared));
      expect(e.diagnostics.map((x) => `${x.reason}: ${x.message}`)).toEqual([`shape-mismatch: Range output 'y' is declared [${declared}], but Range gives a 1-D tensor`]);
    }
  });
});
