/**
 * Dtypes the emitted TFLite builtins have kernels for (src/convert/onnx/kernel-dtypes.ts): every integer
 * cell the table accepts is run in LiteRT.js against the integer result, and nodes whose tensors fall outside it are rejected with
 * 'unsupported-dtype' naming the node and the dtype instead of converting to a model that cannot run.
 */
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { KERNEL_DTYPES } from '../../../src/convert/onnx/kernel-dtypes.js';
import { isMaiError, type MaiError } from '../../../src/core/errors.js';
import { allocTyped, type DType } from '../../../src/ir/dtype.js';
import { Graph } from '../../../src/ir/graph.js';
import type { Attrs } from '../../../src/ir/node.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import type { BuiltinOpName } from '../../../src/tflite/schema/enums.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { OnnxGraphBuilder } from '../../helpers/onnx-builder.js';

function rejection(fn: () => unknown): MaiError {
  try {
    fn();
  } catch (e) {
    if (isMaiError(e)) return e;
    throw e;
  }
  throw new Error('expected the import to fail');
}

describe('nodes on dtypes their TFLite op has no kernel for are rejected', () => {
  it('Relu on int64 → unsupported-dtype naming the node and the dtype (exit 2)', () => {
    const b = new OnnxGraphBuilder({ opset: 14 });
    const x = b.input('x', [1, 8], 'int64');
    b.spec.nodes.push({ op: 'Relu', inputs: [x], outputs: ['y'], name: 'relu_int' });
    b.output('y', [1, 8], 'int64');
    const e = rejection(() => importOnnx(b.build(), { file: 'int.onnx' }));
    expect(e.code).toBe('unsupported-model');
    expect(e.exit).toBe(2);
    expect(e.diagnostics).toHaveLength(1);
    const d = e.diagnostics[0]!;
    expect([d.node, d.opType, d.reason]).toEqual(['relu_int', 'Relu', 'unsupported-dtype']);
    expect(d.message).toMatch(/int64.*RELU|RELU.*int64/);
  });
  // (float16 graph inputs are imported as float32 compute: tests/convert/onnx/fp16-qdq.test.ts)
  it('Sigmoid on int32 and MaxPool on int64 are each reported', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const i32 = b.input('i32', [1, 2, 4, 4], 'int32');
    const i64 = b.input('i64', [1, 2, 4, 4], 'int64');
    b.output(b.node('Sigmoid', [i32], {}, 'a'), undefined, 'int32');
    b.output(b.node('MaxPool', [i64], { kernel_shape: [2, 2] }, 'p'), undefined, 'int64');
    const e = rejection(() => importOnnx(b.build()));
    expect(e.diagnostics.map((d) => [d.opType, d.reason, /int32|int64|float16/.exec(d.message)?.[0]])).toEqual([
      ['Sigmoid', 'unsupported-dtype', 'int32'],
      ['MaxPool', 'unsupported-dtype', 'int64'],
    ]);
  });
  it('int32 Add / Mul / Clip convert and agree with onnxruntime in LiteRT.js', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [2, 4], 'int32');
    const s = b.node('Add', [x, b.init('c', [4], [3, -2, 5, -7], 'int32')]);
    const m = b.node('Mul', [s, x]);
    b.output(b.node('Clip', [m, b.init('lo', [], [-20], 'int32'), b.init('hi', [], [30], 'int32')], {}, 'y'), [2, 4], 'int32');
    const bytes = b.build();
    const feed = [{ name: 'x', dtype: 'int32' as const, shape: [2, 4], data: Int32Array.of(-9, -1, 0, 4, 7, 2, -3, 8) }];
    const ort = await onnxRuntime.load(bytes);
    const want = await ort.run(feed);
    await ort.dispose();
    const lrt = await liteRtRuntime.load(writeTflite(importOnnx(bytes)));
    const got = await lrt.run(feed);
    await lrt.dispose();
    expect(Array.from(got[0]!.data as Int32Array)).toEqual(Array.from(want[0]!.data as Int32Array));
  });
});

// ---------------------------------------------------------------- the table against LiteRT.js
const X = [-7, 7, -4, 4, 9, -9, 3, -3];
const C = [2, -2, 3, -3, 1, -1, 5, -5];
const BINARY: Partial<Record<BuiltinOpName, (x: number, c: number) => number>> = {
  ADD: (x, c) => x + c,
  SUB: (x, c) => x - c,
  MUL: (x, c) => x * c,
  DIV: (x, c) => Math.trunc(x / c),
  MAXIMUM: (x, c) => Math.max(x, c),
  MINIMUM: (x, c) => Math.min(x, c),
};

function typed(dtype: DType, values: number[]) {
  const data = allocTyped(dtype, values.length);
  values.forEach((v, i) => ((data as unknown as Array<number | bigint>)[i] = dtype === 'int64' ? BigInt(v) : v));
  return data;
}

/** int32 x → CAST(dtype) → op [x, constant C] → CAST(int32): the op alone on `dtype` tensors. */
function singleOpModel(op: BuiltinOpName, dtype: DType): Uint8Array {
  const g = new Graph();
  const t = (name: string, dt: DType, data?: ReturnType<typeof typed>) => g.addTensor({ name, dtype: dt, shape: [8], layout: 'plain', data });
  t('x', 'int32');
  t('xd', dtype);
  t('yd', dtype);
  t('y', 'int32');
  g.addNode({ name: 'to', op: 'CAST', inputs: ['x'], outputs: ['xd'], attrs: { inDataType: 'int32', outDataType: dtype } });
  const inputs = ['xd'];
  const attrs: Attrs = {};
  if (BINARY[op]) {
    t('c', dtype, typed(dtype, C));
    inputs.push('c');
    attrs.activation = 'NONE';
  }
  g.addNode({ name: 'op', op, inputs, outputs: ['yd'], attrs });
  g.addNode({ name: 'back', op: 'CAST', inputs: ['yd'], outputs: ['y'], attrs: { inDataType: dtype, outDataType: 'int32' } });
  g.inputs = ['x'];
  g.outputs = ['y'];
  g.signature = { key: 'serving_default', inputs: [{ name: 'x', tensor: 'x' }], outputs: [{ name: 'y', tensor: 'y' }] };
  return writeTflite(g);
}

async function runsCorrectly(op: BuiltinOpName, dtype: DType): Promise<boolean> {
  const f = BINARY[op] ?? ((x: number) => Math.max(x, 0));
  const want = X.map((x, i) => f(x, C[i]!));
  try {
    const m = await liteRtRuntime.load(singleOpModel(op, dtype));
    const out = await m.run([{ name: 'x', dtype: 'int32', shape: [8], data: Int32Array.from(X) }]);
    await m.dispose();
    return Array.from(out[0]!.data as Int32Array).every((v, i) => v === want[i]);
  } catch {
    return false; // no kernel: LiteRT refuses the node
  }
}

// Only accepted cells are run: a rejected cell can abort the shared LiteRT.js WASM instance (SUB on
// int16 does), which would fail every later run in this file; why cells are rejected is in kernel-dtypes.ts.
describe('every integer dtype KERNEL_DTYPES accepts runs in LiteRT.js and computes the integer result', () => {
  const ops: BuiltinOpName[] = ['RELU', 'ADD', 'SUB', 'MUL', 'DIV', 'MAXIMUM', 'MINIMUM'];
  const integers: DType[] = ['int32', 'int64', 'int8', 'int16'];
  for (const op of ops) {
    const accepted = KERNEL_DTYPES[op]!.filter((d) => integers.includes(d));
    it(`${op}: ${accepted.join(', ') || 'none'}`, async () => {
      for (const d of accepted) expect(await runsCorrectly(op, d), `${op} on ${d}`).toBe(true);
    });
  }
});

/** x int32 [4] → CAST(dtype) → SCATTER_ND at rows [1, 1, 5, 0] of [8] → CAST(int32). */
function scatterNdModel(dtype: DType): Uint8Array {
  const g = new Graph();
  const t = (name: string, dt: DType, shape: number[], data?: Int32Array) => g.addTensor({ name, dtype: dt, shape, layout: 'plain', data });
  t('x', 'int32', [4]);
  t('u', dtype, [4]);
  t('idx', 'int32', [4, 1], Int32Array.of(1, 1, 5, 0));
  t('shape', 'int32', [1], Int32Array.of(8));
  t('yd', dtype, [8]);
  t('y', 'int32', [8]);
  g.addNode({ name: 'to', op: 'CAST', inputs: ['x'], outputs: ['u'], attrs: { inDataType: 'int32', outDataType: dtype } });
  g.addNode({ name: 'op', op: 'SCATTER_ND', inputs: ['idx', 'u', 'shape'], outputs: ['yd'], attrs: {} });
  g.addNode({ name: 'back', op: 'CAST', inputs: ['yd'], outputs: ['y'], attrs: { inDataType: dtype, outDataType: 'int32' } });
  g.inputs = ['x'];
  g.outputs = ['y'];
  g.signature = { key: 'serving_default', inputs: [{ name: 'x', tensor: 'x' }], outputs: [{ name: 'y', tensor: 'y' }] };
  return writeTflite(g);
}

describe('SCATTER_ND (run-time ScatterND / ScatterElements) in LiteRT.js', () => {
  it(`runs on every dtype KERNEL_DTYPES accepts (${KERNEL_DTYPES.SCATTER_ND!.join(', ')}), summing updates that share a row`, async () => {
    for (const dtype of KERNEL_DTYPES.SCATTER_ND!) {
      const m = await liteRtRuntime.load(scatterNdModel(dtype));
      const out = await m.run([{ name: 'x', dtype: 'int32', shape: [4], data: Int32Array.of(3, 4, 2, 5) }]);
      await m.dispose();
      // bool: every update is true, so every written row is true
      const want = dtype === 'bool' ? [1, 1, 0, 0, 0, 1, 0, 0] : [5, 7, 0, 0, 0, 2, 0, 0];
      expect(Array.from(out[0]!.data as Int32Array), dtype).toEqual(want);
    }
  });

  it('has no int16 kernel (the one dtype KERNEL_DTYPES leaves out that the importer could hold)', async () => {
    expect(KERNEL_DTYPES.SCATTER_ND).not.toContain('int16');
    await expect(liteRtRuntime.load(scatterNdModel('int16')).then((m) => m.run([{ name: 'x', dtype: 'int32', shape: [4], data: Int32Array.of(3, 4, 2, 5) }]))).rejects.toThrow(/INT16.*not supported by scatter_nd/);
  });
});
