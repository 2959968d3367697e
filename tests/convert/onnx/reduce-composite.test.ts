/**
 * ReduceL1 / ReduceL2 / ReduceSumSquare / ReduceLogSum / ReduceLogSumExp (ops/reduce-composite.ts,
 * folded on constants by fold/reduce.ts) against onnxruntime: axes as attribute (opset 13) and as
 * input (opset 18), negative axes, keepdims 0/1, default (all) axes, noop_with_empty_axes, NHWC
 * activations with NHWC and NCHW I/O, LogSumExp of large values and of ±inf, and the integer refusal.
 * Each output element must agree within 1e-5 of max(|expected|, 1) (scalar results have no range,
 * so the harness's range-relative check alone would not do).
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import type { AttrValue } from '../../../src/samples/onnx-model.js';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { expectMatchesOrt, importRejection, LAYOUTS, layoutName, opHistogram } from './harness.js';

const OPS = ['ReduceL1', 'ReduceL2', 'ReduceSumSquare', 'ReduceLogSum', 'ReduceLogSumExp'] as const;
const TOL = 1e-5;

function expectClose(expected: ArrayLike<number>, actual: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (!Number.isFinite(e)) expect(a, `${what}[${i}]`).toBe(e);
    else expect(Math.abs(e - a), `${what}[${i}]: expected ${e}, got ${a}`).toBeLessThanOrEqual(TOL * Math.max(Math.abs(e), 1));
  }
}

/** A model: x → Conv 1×1 (an NHWC activation) → op(axes, keepdims[, noop]) → y. */
function model(op: string, opset: number, axes: number[] | undefined, keepdims: number, noop = 0): Uint8Array {
  const b = new OnnxGraphBuilder({ opset });
  const x = b.input('x', [1, 3, 4, 5]);
  const conv = b.node('Conv', [x, b.init('w', [3, 3, 1, 1], normalFloat32(9, 2, 0.6))]);
  // LogSum needs positive sums: |conv| there
  const c = op === 'ReduceLogSum' ? b.node('Abs', [conv]) : conv;
  const attrs: Record<string, AttrValue> = { keepdims };
  if (noop) attrs.noop_with_empty_axes = noop;
  const ins = [c];
  if (opset >= 18 && axes) ins.push(b.init('axes', [axes.length], [...axes], 'int64'));
  else if (axes) attrs.axes = [...axes];
  b.output(b.node(op, ins, attrs, 'y'));
  return b.build();
}


describe('ReduceL1 / L2 / SumSquare / LogSum / LogSumExp on an NHWC activation', () => {
  const configs: Array<[number[] | undefined, number, number, number]> = [
    [[1], 1, 13, 0],
    [[2, 3], 0, 13, 0],
    [[-1], 0, 18, 0],
    [[1, 3], 0, 18, 0], // NHWC result's remaining dims out of ONNX order: kept, transposed, reshaped
    [[-3, 0], 1, 18, 0],
    [undefined, 1, 13, 0], // default: every axis, one value
    [undefined, 0, 18, 0],
    [undefined, 1, 18, 1], // noop_with_empty_axes: element-wise part only
  ];
  for (const op of OPS) {
    for (const [axes, keepdims, opset, noop] of configs) {
      for (const keep of LAYOUTS) {
        it(`${op} axes ${axes ? `[${axes}]` : 'default'} keepdims=${keepdims}${noop ? ' noop' : ''} (opset ${opset}, ${layoutName(keep)})`, async () => {
          const m = model(op, opset, axes, keepdims, noop);
          const { graph, expected, actual } = await expectMatchesOrt(m, { keepIoLayout: keep, range: [-2, 2], tol: Infinity });
          for (let i = 0; i < expected.length; i++) {
            expect(actual[i]!.shape).toEqual(expected[i]!.shape);
            expectClose(expected[i]!.data as Float32Array, actual[i]!.data as Float32Array, op);
          }
          const h = opHistogram(graph);
          if (!noop) expect(h.SUM, 'one SUM (two for LogSumExp with keepdims=0)').toBe(op === 'ReduceLogSumExp' && keepdims === 0 ? 2 : 1);
          if (op === 'ReduceLogSumExp' && !noop) expect(h.REDUCE_MAX).toBe(1);
        });
      }
    }
  }
});

/** Runs `bytes` (plain-layout input 'x' of `shape`) in both runtimes on `data`. */
async function runBoth(bytes: Uint8Array, shape: number[], data: Float32Array): Promise<[Float32Array, Float32Array]> {
  const input = [{ name: 'x', dtype: 'float32' as const, shape, data }];
  const ort = await onnxRuntime.load(bytes);
  const [e] = await ort.run(input);
  await ort.dispose();
  const lrt = await liteRtRuntime.load(writeTflite(importOnnx(bytes)));
  const [a] = await lrt.run(input);
  await lrt.dispose();
  expect(a!.shape).toEqual(e!.shape);
  return [e!.data as Float32Array, a!.data as Float32Array];
}

function plain(op: string, shape: number[], axes: number[], keepdims: number): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 18 });
  const x = b.input('x', shape);
  b.output(b.node(op, [x, b.init('axes', [axes.length], axes, 'int64')], { keepdims }, 'y'));
  return b.build();
}

describe('ReduceLogSumExp edge values', () => {
  it('large values (around ±100, up to 1e30) do not overflow: the maximum is subtracted first', async () => {
    const data = Float32Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? 100 : i % 3 === 1 ? -100 + i : 1e30 * (i === 23 ? 1 : 0) + i));
    for (const [axes, keep] of [[[1], 0], [[0, 2], 1], [[-1], 1]] as const) {
      const [e, a] = await runBoth(plain('ReduceLogSumExp', [2, 3, 4], [...axes], keep), [2, 3, 4], data);
      expectClose(e, a, `axes [${axes}]`);
    }
  });
  it('±inf inputs give what onnxruntime gives (+inf when one is +inf, −inf when all are −inf)', async () => {
    const data = Float32Array.of(1, -2, 3, Infinity, -Infinity, 5, -Infinity, -Infinity, -Infinity, 0, 0, 0);
    const [e, a] = await runBoth(plain('ReduceLogSumExp', [4, 3], [1], 0), [4, 3], data);
    expect(Array.from(e)).toEqual([expect.closeTo(3.1328452, 5), Infinity, -Infinity, expect.closeTo(Math.log(3), 5)]);
    expectClose(e, a, 'rows');
  });
  it('L1 / L2 / SumSquare of ±inf are +inf, LogSum of a zero sum is −inf, as in onnxruntime', async () => {
    for (const op of ['ReduceL1', 'ReduceL2', 'ReduceSumSquare', 'ReduceLogSum']) {
      const data = op === 'ReduceLogSum' ? Float32Array.of(1, 2, 0, 0, Infinity, 1) : Float32Array.of(1, -2, Infinity, -Infinity, 0, 0);
      const [e, a] = await runBoth(plain(op, [3, 2], [1], 1), [3, 2], data);
      expectClose(e, a, op);
    }
  });
});

describe('constant inputs fold', () => {
  for (const op of OPS) {
    it(`${op} of a constant (with an empty one) folds to onnxruntime's values`, async () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      const x = b.input('x', [2, 1]);
      const c = b.init('c', [2, 3], [0.5, 2, 1000, 3, 0.25, 4]);
      const z = b.init('z', [2, 0], []);
      const r = b.node(op, [c], { axes: [1], keepdims: 1 });
      const re = b.node(op, [z], { axes: [1], keepdims: 1 });
      b.output(b.node('Add', [x, r], {}, 'y'));
      b.output(b.node('Add', [x, re], {}, 'y_empty'));
      const bytes = b.build();
      const g = importOnnx(bytes);
      expect(g.nodes.map((n) => n.op)).toEqual(['ADD', 'ADD']);
      const input = [{ name: 'x', dtype: 'float32' as const, shape: [2, 1], data: Float32Array.of(0.5, -1) }];
      const ort = await onnxRuntime.load(bytes);
      const expected = await ort.run(input);
      await ort.dispose();
      const lrt = await liteRtRuntime.load(writeTflite(g));
      const actual = await lrt.run(input);
      await lrt.dispose();
      expected.forEach((e, i) => expectClose(e.data as Float32Array, actual[i]!.data as Float32Array, `output ${i}`));
    });
  }
});

describe('refusals', () => {
  it('integer inputs are refused by name', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [2, 3], 'int32');
    b.output(b.node('ReduceL2', [x], { axes: [1] }, 'y'), undefined, 'int32');
    const err = importRejection(b.build());
    expect(err.diagnostics[0]!.message).toMatch(/ReduceL2 of int32 'x' is not supported: only float inputs/);
  });
  it('runtime axes are refused (the GPU delegate needs them constant)', () => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    const x = b.input('x', [2, 3]);
    const axes = b.input('axes', [1], 'int64');
    b.output(b.node('ReduceLogSumExp', [x, axes], {}, 'y'));
    expect(importRejection(b.build()).diagnostics[0]!.message).toMatch(/ReduceLogSumExp axes \(input 'axes'\) must be a constant/);
  });
});
