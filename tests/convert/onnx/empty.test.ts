/**
 * Empty (zero-element) tensors (src/convert/onnx/empty.ts) vs onnxruntime: an empty graph input is
 * folded away (a reduction over it is the op's identity), an op whose outputs are all empty is not
 * emitted, and empty graph inputs / outputs are left out of the .tflite and listed in its metadata.
 * ORT runs the ONNX model with every input (empty ones included); LiteRT.js runs our .tflite with
 * the inputs it kept; each ONNX output is either compared with ORT's or, when left out as empty,
 * checked to be empty with ORT's shape.
 */
import { describe, expect, it } from 'vitest';
import { convert } from '../../../src/convert/index.js';
import { checkConversion } from '../../../src/convert/check.js';
import { parseInputShapes } from '../../../src/cli/options.js';
import { importNotes } from '../../../src/convert/onnx/context.js';
import { EMPTY_IO_KEY, emptyIo } from '../../../src/convert/onnx/empty.js';
import type { DType } from '../../../src/ir/dtype.js';
import { numElements } from '../../../src/ir/tensor.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import type { HostTensor } from '../../../src/runtime/types.js';
import { readTflite } from '../../../src/tflite/reader.js';
import { OnnxGraphBuilder, uniformFloat32, type OnnxDType } from '../../helpers/onnx-builder.js';
import { importRejection } from './harness.js';

function feed(name: string, shape: number[], dtype: DType = 'float32', seed = 1): HostTensor {
  const n = numElements(shape);
  const u = uniformFloat32(n, seed, -5, 5);
  const data = dtype === 'int32' ? Int32Array.from(u, Math.round) : u;
  return { name, dtype, shape, data };
}

/**
 * Converts `model`, runs ORT on every feed and LiteRT on the kept ones; compares every ONNX output
 * exactly (the results here are identities, copies and exact arithmetic). Returns what was left out.
 */
async function expectSameAsOrt(model: Uint8Array, feeds: HostTensor[], ortModel = model) {
  const { tflite, graph } = convert({ bytes: model, file: 'm.onnx', keepIoLayout: true, verifyPasses: true });
  const io = emptyIo(readTflite(tflite)); // the record travels in the .tflite
  const ort = await onnxRuntime.load(ortModel);
  const expected = await ort.run(feeds);
  await ort.dispose();
  const lrt = await liteRtRuntime.load(tflite);
  const keptNames = new Set(lrt.inputs().map((d) => d.name));
  const got = await lrt.run(feeds.filter((f) => keptNames.has(f.name)));
  const outNames = lrt.outputs().map((d) => d.name);
  await lrt.dispose();
  // every input LiteRT lacks was empty and is listed; the listed ones are exactly those
  for (const f of feeds) expect(keptNames.has(f.name) || (numElements(f.shape) === 0 && io.inputs.some((e) => e.name === f.name)), `input ${f.name}`).toBe(true);
  expect(io.inputs.every((e) => !keptNames.has(e.name))).toBe(true);
  const sigOut = graph.signature!.outputs.map((o) => o.name);
  expect(outNames).toEqual(sigOut);
  expected.forEach((want, i) => {
    const dropped = io.outputs.find((e) => e.name === want.name);
    if (dropped) {
      expect(numElements(want.shape), `output ${want.name} left out as empty`).toBe(0);
      expect(dropped.shape).toEqual(want.shape);
      expect(dropped.dtype).toBe(want.dtype);
      return;
    }
    const j = outNames.indexOf(want.name);
    expect(j, `output ${want.name} (#${i}) in the .tflite`).toBeGreaterThanOrEqual(0);
    expect(got[j]!.shape).toEqual(want.shape);
    expect(Array.from(got[j]!.data as ArrayLike<number>)).toEqual(Array.from(want.data as ArrayLike<number>));
  });
  return { io, tflite, graph };
}

const REDUCES = ['ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceSum'] as const;

describe('reductions over an empty set are the op identity (folded)', () => {
  for (const op of REDUCES) {
    for (const [opset, keepdims] of [[18, 1], [18, 0], [13, 1]] as const) {
      it(`${op} float32 over an empty axis, keepdims=${keepdims}, opset ${opset}, plus a runtime input`, async () => {
        const b = new OnnxGraphBuilder({ opset });
        const data = b.input('data', [2, 0, 4]);
        const x = b.input('x', keepdims ? [2, 1, 4] : [2, 4]);
        const axesInput = opset >= 18 || op === 'ReduceSum';
        const ins = axesInput ? [data, b.init('axes', [1], [1], 'int64')] : [data];
        const r = b.node(op, ins, axesInput ? { keepdims } : { axes: [1], keepdims });
        b.output(r, keepdims ? [2, 1, 4] : [2, 4]);
        b.output(b.node('Add', [r, x], {}, 'y'), keepdims ? [2, 1, 4] : [2, 4]); // ±inf + x stays ±inf; 0 + x, 1 + x exact
        const { io, graph } = await expectSameAsOrt(b.build(), [feed('data', [2, 0, 4]), feed('x', keepdims ? [2, 1, 4] : [2, 4])]);
        expect(io.inputs.map((e) => e.name)).toEqual(['data']);
        expect(graph.nodes.some((n) => n.op.startsWith('REDUCE') || n.op === 'SUM')).toBe(false);
      });
    }
  }

  const reduceModel = (op: string, dtype: OnnxDType, axis: number) => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    const data = b.input('data', [3, 0], dtype);
    b.output(b.node(op, [data, b.init('axes', [1], [axis], 'int64')], { keepdims: 0 }, 'y'), [3], dtype);
    return b.build();
  };
  for (const op of REDUCES) {
    it(`${op} int32 over an empty axis gives the dtype's ${op === 'ReduceMax' ? 'lowest' : op === 'ReduceMin' ? 'highest' : 'identity'} value`, async () => {
      await expectSameAsOrt(reduceModel(op, 'int32', 1), [feed('data', [3, 0], 'int32')]);
    });
  }

  it('a negative axis reduces the same axis (ORT returns the input shape [3,0] for it: compared with its axis-1 result)', async () => {
    // onnxruntime mis-shapes negative axes over an empty input (warns "Expected shape {3} … actual {3,0}"); the spec's axis −1 is axis 1
    for (const op of REDUCES) await expectSameAsOrt(reduceModel(op, 'float32', -1), [feed('data', [3, 0])], reduceModel(op, 'float32', 1));
  });

  it('ReduceSum over all axes of an empty tensor (no axes) is a scalar 0', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('ReduceSum', [b.input('data', [0, 5])], { keepdims: 0 }, 'y'), []);
    await expectSameAsOrt(b.build(), [feed('data', [0, 5])]);
  });

  it('the expanded ReduceL2 / ReduceLogSum forms (Mul, Sqrt, Log after the fold) match: 0 and −inf', async () => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    const data = b.input('data', [2, 0, 4]);
    const axes = b.init('axes', [1], [1], 'int64');
    const sq = b.node('ReduceSum', [b.node('Mul', [data, data]), axes], { keepdims: 1 });
    b.output(b.node('Sqrt', [sq], {}, 'l2'), [2, 1, 4]);
    b.output(b.node('Log', [b.node('ReduceSum', [data, axes], { keepdims: 1 })], {}, 'log_sum'), [2, 1, 4]);
    b.output(b.node('Log', [b.node('ReduceSum', [b.node('Exp', [data]), axes], { keepdims: 1 })], {}, 'log_sum_exp'), [2, 1, 4]);
    await expectSameAsOrt(b.build(), [feed('data', [2, 0, 4])]);
  });
});

describe('empty results are left out of the .tflite and listed in its metadata', () => {
  it('ReduceSum keeping an empty axis: the output is empty', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const data = b.input('data', [2, 0, 4]);
    b.output(b.node('ReduceSum', [data, b.init('axes', [1], [2], 'int64')], { keepdims: 1 }, 'y'), [2, 0, 1]);
    const { io, tflite } = await expectSameAsOrt(b.build(), [feed('data', [2, 0, 4])]);
    expect(io).toEqual({ inputs: [{ name: 'data', dtype: 'float32', shape: [2, 0, 4] }], outputs: [{ name: 'y', dtype: 'float32', shape: [2, 0, 1] }] });
    const g = readTflite(tflite);
    expect(g.inputs).toEqual([]);
    expect(g.outputs).toEqual([]);
    expect(g.metadata.has(EMPTY_IO_KEY)).toBe(true);
  });

  it('Slice with a start past the end of a runtime input, beside a computed output', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [4, 10, 5]);
    const i64 = (n: string, v: number) => b.init(n, [1], [v], 'int64');
    b.output(b.node('Slice', [x, i64('starts', 1000), i64('ends', 1000), i64('axes', 1), i64('steps', 1)], {}, 'y'), [4, 0, 5]);
    b.output(b.node('Neg', [x], {}, 'z'), [4, 10, 5]);
    const { io, graph } = await expectSameAsOrt(b.build(), [feed('x', [4, 10, 5])]);
    expect(io.outputs).toEqual([{ name: 'y', dtype: 'float32', shape: [4, 0, 5] }]);
    expect(graph.signature!.outputs.map((o) => o.name)).toEqual(['z']);
    expect(graph.nodes.some((n) => n.op === 'STRIDED_SLICE' || n.op === 'SLICE')).toBe(false);
  });

  it('Split of a runtime input with zero-size parts: the empty parts are left out, the rest split', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [2, 5]);
    const outs = b.nodeMulti('Split', [x, b.init('split', [4], [0, 3, 0, 2], 'int64')], { axis: 1 }, ['p0', 'p1', 'p2', 'p3']);
    outs.forEach((o, i) => b.output(o, [2, [0, 3, 0, 2][i]!]));
    const { io } = await expectSameAsOrt(b.build(), [feed('x', [2, 5])]);
    expect(io.outputs.map((e) => e.name)).toEqual(['p0', 'p2']);
  });

  it('Split of an empty input into zero-size parts (every output empty)', async () => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    const x = b.input('input', [0]);
    b.nodeMulti('Split', [x, b.init('split', [3], [0, 0, 0], 'int64')], {}, ['a', 'b', 'c']).forEach((o) => b.output(o, [0]));
    const { io } = await expectSameAsOrt(b.build(), [feed('input', [0])]);
    expect(io.outputs.map((e) => e.name)).toEqual(['a', 'b', 'c']);
  });

  it('Shape with start > end is an empty int64 vector; the runtime input stays an input', async () => {
    const b = new OnnxGraphBuilder({ opset: 21 });
    const x = b.input('x', [3, 4, 5]);
    b.output(b.node('Shape', [x], { start: 2, end: 1 }, 's'), [0], 'int64');
    b.output(b.node('Relu', [x], {}, 'r'), [3, 4, 5]);
    const { io } = await expectSameAsOrt(b.build(), [feed('x', [3, 4, 5])]);
    expect(io).toEqual({ inputs: [], outputs: [{ name: 's', dtype: 'int64', shape: [0] }] });
  });

  it('Reshape with allowzero of an empty input, and Concat dropping an empty operand', async () => {
    const b = new OnnxGraphBuilder({ opset: 14 });
    const data = b.input('data', [0, 3, 4]);
    const x = b.input('x', [2, 3, 4]);
    b.output(b.node('Reshape', [data, b.init('shape', [3], [3, 4, 0], 'int64')], { allowzero: 1 }, 'reshaped'), [3, 4, 0]);
    b.output(b.node('Concat', [data, x], { axis: 0 }, 'joined'), [2, 3, 4]);
    const { io } = await expectSameAsOrt(b.build(), [feed('data', [0, 3, 4]), feed('x', [2, 3, 4])]);
    expect(io.outputs.map((e) => e.name)).toEqual(['reshaped']);
  });

  it('Tile with a 0 repeat, Pad cropping an axis to 0 and a Concat of empty parts are empty; Concat with them is the rest', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [2, 3]);
    const tiled = b.node('Tile', [x, b.init('reps', [2], [1, 0], 'int64')]);
    const cropped = b.node('Pad', [x, b.init('pads', [4], [0, -1, 0, -2], 'int64')]);
    const both = b.node('Concat', [tiled, cropped], { axis: 1 });
    b.output(tiled, [2, 0]);
    b.output(b.node('Concat', [both, b.node('Relu', [x]), cropped], { axis: 1 }, 'y'), [2, 3]);
    const { io } = await expectSameAsOrt(b.build(), [feed('x', [2, 3])]);
    expect(io.outputs.map((e) => e.shape)).toEqual([[2, 0]]);
  });

  it('Expand of an empty input is empty', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const e = b.input('e', [0, 1]);
    b.output(b.node('Expand', [e, b.init('shape', [3], [2, 1, 3], 'int64')], {}, 'y'), [2, 0, 3]);
    b.output(b.node('Abs', [b.input('x', [3])], {}, 'z'), [3]);
    const { io } = await expectSameAsOrt(b.build(), [feed('e', [0, 1]), feed('x', [3])]);
    expect(io.outputs).toEqual([{ name: 'y', dtype: 'float32', shape: [2, 0, 3] }]);
  });

  it('the conversion note names what was left out', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('Relu', [b.input('data', [0, 2])], {}, 'y'), [0, 2]);
    const { graph } = convert({ bytes: b.build(), file: 'm.onnx' });
    expect(importNotes(graph).join('\n')).toMatch(/input 'data' \[0,2\] and output 'y' \[0,2\] of the ONNX model have no elements/);
  });

  it('the note says "has" for one left-out tensor', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('Concat', [b.input('past', [2, 0]), b.input('x', [2, 3])], { axis: 1 }, 'y'), [2, 3]);
    const { graph } = convert({ bytes: b.build(), file: 'm.onnx' });
    expect(importNotes(graph).join('\n')).toMatch(/^input 'past' \[2,0\] of the ONNX model has no elements:/);
  });
});

describe('constant graph outputs (what a fold over an empty input leaves)', () => {
  it('int32, uint8 and float32 constants come back exactly beside a runtime output', async () => {
    // LiteRT evaluates a RESHAPE of a constant at prepare time and returned zeros / garbage for a
    // non-float32 graph output; the import copies those with a same-type CAST instead
    const b = new OnnxGraphBuilder({ opset: 13 });
    const c = (name: string, dtype: OnnxDType, data: number[]) => b.node('Constant', [], { value: { kind: 'tensor', value: { dtype, shape: [3], data } } }, name);
    b.output(c('ci', 'int32', [-7, 2 ** 31 - 1, -(2 ** 31)]), [3], 'int32');
    b.output(c('cu', 'uint8', [0, 128, 255]), [3], 'uint8');
    b.output(c('cf', 'float32', [1.5, -Infinity, 3]), [3]);
    b.output(b.node('Neg', [b.input('x', [2])], {}, 'y'), [2]);
    const { graph } = await expectSameAsOrt(b.build(), [feed('x', [2])]);
    expect(graph.nodes.filter((n) => n.op === 'CAST').length).toBe(2);
  });
});

describe('an empty axis given with --input-shape', () => {
  it('an empty past (KV cache) concatenated before the new step: the past is left out, the result equals ORT', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const past = b.input('past', [1, 'past_len', 4]);
    const step = b.input('step', [1, 2, 4]);
    b.output(b.node('Concat', [past, step], { axis: 1 }, 'present'), [1, 'total', 4]);
    const shapes = parseInputShapes(['past=1,0,4', 'step=1x2x4']);
    expect(shapes.past).toEqual([1, 0, 4]);
    const { tflite, graph } = convert({ bytes: b.build(), file: 'm.onnx', inputShapes: shapes });
    expect(emptyIo(graph).inputs).toEqual([{ name: 'past', dtype: 'float32', shape: [1, 0, 4] }]);
    const model = await liteRtRuntime.load(tflite);
    const x = feed('step', [1, 2, 4]);
    const [got] = await model.run([x]);
    await model.dispose();
    const ort = await onnxRuntime.load(b.build());
    const [want] = await ort.run([feed('past', [1, 0, 4]), x]);
    await ort.dispose();
    expect(got!.shape).toEqual(want!.shape);
    expect(Array.from(got!.data as Float32Array)).toEqual(Array.from(want!.data as Float32Array));
  });

  it('negative dims are still refused', () => {
    expect(() => parseInputShapes(['x=1,-1,4'])).toThrow(/must be non-negative integers/);
  });
});

describe('convert --check with left-out empty I/O', () => {
  it('feeds onnxruntime the empty input, compares the kept outputs by name and checks the left-out one is empty', async () => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    const data = b.input('data', [2, 0, 4]);
    const x = b.input('x', [2, 1, 4]);
    b.output(b.node('Slice', [x, ...[[5], [9], [1]].map((v, k) => b.init(`s${k}`, [1], v, 'int64'))], {}, 'nothing'), [2, 0, 4]);
    b.output(b.node('Add', [b.node('ReduceProd', [data, b.init('axes', [1], [1], 'int64')], { keepdims: 1 }), x], {}, 'y'), [2, 1, 4]); // 1 + x
    const model = b.build();
    const { tflite, graph } = convert({ bytes: model, file: 'm.onnx' });
    const report = await checkConversion(model, tflite, graph);
    expect(report.outputs.map((o) => [o.name, o.pass])).toEqual([['y', true]]);
    expect(report.pass).toBe(true);
  });
});

describe('refused: a non-empty result computed at runtime from an empty tensor', () => {
  it('ReduceMean of an empty set (ONNX leaves it undefined)', () => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    b.output(b.node('ReduceMean', [b.input('data', [2, 0]), b.init('axes', [1], [1], 'int64')], { keepdims: 0 }, 'y'), [2]);
    const e = importRejection(b.build());
    expect(e.diagnostics[0]!.message).toMatch(/ReduceMean of the empty tensor 'data' \[2,0\] is not supported: ONNX leaves the mean of no elements undefined/);
  });

  it('MatMul with an empty inner dimension', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('MatMul', [b.input('a', [2, 0]), b.input('b', [0, 3])], {}, 'y'), [2, 3]);
    const e = importRejection(b.build());
    expect(e.diagnostics[0]!.message).toMatch(/has no elements: TFLite kernels and the GPU delegate cannot run empty tensors/);
  });
});
