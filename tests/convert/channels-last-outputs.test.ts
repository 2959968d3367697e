/**
 * `--channels-last-outputs` (convert({ channelsLastOutputs })): a YOLO-style head — two Conv heads
 * reshaped to [N,C,L] and concatenated — loses its final TRANSPOSE and is returned as [N,L,C]; a 4-D
 * output stays NHWC; a 3-D output not computed channels-last keeps ONNX's layout. onnxruntime is the
 * oracle (its output permuted [0,2,1] where the file says channels-last), LiteRT.js runs the file.
 */
import { describe, expect, it } from 'vitest';
import { convert } from '../../src/convert/index.js';
import { checkSource } from '../../src/convert/check.js';
import { isMaiError } from '../../src/core/errors.js';
import { numElements } from '../../src/ir/tensor.js';
import { permuteData } from '../../src/ir/ndarray.js';
import { TO_NCHW, TO_NHWC } from '../../src/convert/onnx/layout.js';
import { onnxRuntime } from '../../src/runtime/onnxruntime.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import type { HostTensor } from '../../src/runtime/types.js';
import { buildOnnxModel, normalFloat32, uniformFloat32 } from '../helpers/onnx-builder.js';
import { relativeError } from '../helpers/tflite-oracle.js';
import { opHistogram, TOLERANCE } from './onnx/harness.js';

const C = 6;

/** det [1,6,80] = Concat(Reshape(Sigmoid(Conv(x))), Reshape(Conv stride 2(x))); feat = the first Conv; seq = Relu(s). */
function headModel(): Uint8Array {
  return buildOnnxModel({
    opset: 13,
    inputs: [
      { name: 'x', shape: [1, 3, 8, 8] },
      { name: 's', shape: [1, 5, 7] },
    ],
    outputs: [
      { name: 'det', shape: [1, C, 80] },
      { name: 'feat', shape: [1, C, 8, 8] },
      { name: 'seq', shape: [1, 5, 7] },
    ],
    initializers: [
      { name: 'w1', shape: [C, 3, 3, 3], data: normalFloat32(C * 27, 1, 0.3) },
      { name: 'w2', shape: [C, 3, 3, 3], data: normalFloat32(C * 27, 2, 0.3) },
      { name: 'shape1', shape: [3], data: [1, C, 64], dtype: 'int64' },
      { name: 'shape2', shape: [3], data: [1, C, 16], dtype: 'int64' },
    ],
    nodes: [
      { op: 'Conv', inputs: ['x', 'w1'], outputs: ['feat'], attrs: { pads: [1, 1, 1, 1] } },
      { op: 'Sigmoid', inputs: ['feat'], outputs: ['sig'] },
      { op: 'Reshape', inputs: ['sig', 'shape1'], outputs: ['r1'] },
      { op: 'Conv', inputs: ['x', 'w2'], outputs: ['c2'], attrs: { pads: [1, 1, 1, 1], strides: [2, 2] } },
      { op: 'Reshape', inputs: ['c2', 'shape2'], outputs: ['r2'] },
      { op: 'Concat', inputs: ['r1', 'r2'], outputs: ['det'], attrs: { axis: 2 } },
      { op: 'Relu', inputs: ['s'], outputs: ['seq'] },
    ],
  });
}

/** onnxruntime and LiteRT on the same seeded inputs; LiteRT's outputs as it returns them. */
async function runBoth(model: Uint8Array, channelsLastOutputs: boolean) {
  const result = convert({ bytes: model, channelsLastOutputs });
  const onnxIn: HostTensor[] = [
    { name: 'x', dtype: 'float32', shape: [1, 3, 8, 8], data: uniformFloat32(192, 11, -1, 1) },
    { name: 's', dtype: 'float32', shape: [1, 5, 7], data: uniformFloat32(35, 12, -1, 1) },
  ];
  const tflIn = onnxIn.map((x) =>
    x.shape.length === 4 ? { ...x, shape: [1, 8, 8, 3], data: permuteData('float32', x.data as Float32Array, x.shape, TO_NHWC) as Float32Array } : x,
  );
  const ort = await onnxRuntime.load(model);
  const expected = await ort.run(onnxIn);
  await ort.dispose();
  const lrt = await liteRtRuntime.load(result.tflite);
  const actual = await lrt.run(tflIn);
  await lrt.dispose();
  return { result, expected, actual };
}

function expectClose(expected: HostTensor, actualData: Float32Array): void {
  expect(actualData.length).toBe(numElements(expected.shape));
  expect(relativeError(expected.data as Float32Array, actualData)).toBeLessThanOrEqual(TOLERANCE);
}

describe('channels-last 3-D outputs', () => {
  it('default: outputs match ONNX, the head ends in one TRANSPOSE', async () => {
    const { result, expected, actual } = await runBoth(headModel(), false);
    expect(opHistogram(result.graph).TRANSPOSE).toBe(1);
    expect(actual.map((a) => a.shape)).toEqual([[1, C, 80], [1, 8, 8, C], [1, 5, 7]]);
    expectClose(expected[0]!, actual[0]!.data as Float32Array);
  });

  it('with the option: the head is [1,80,6] with no TRANSPOSE; 4-D stays NHWC; a plain 3-D output keeps ONNX layout', async () => {
    const { result, expected, actual } = await runBoth(headModel(), true);
    const g = result.graph;
    expect(opHistogram(g).TRANSPOSE ?? 0).toBe(0);
    expect(g.outputs.map((o) => [o, g.tensor(o).shape, g.tensor(o).layout])).toEqual([
      ['det', [1, 80, C], 'NHWC'],
      ['feat', [1, 8, 8, C], 'NHWC'],
      ['seq', [1, 5, 7], 'plain'],
    ]);
    expect(g.signature!.outputs.map((s) => s.name)).toEqual(['det', 'feat', 'seq']);
    expectClose({ ...expected[0]!, data: permuteData('float32', expected[0]!.data as Float32Array, [1, C, 80], [0, 2, 1]) as Float32Array }, actual[0]!.data as Float32Array);
    expect(actual[0]!.shape).toEqual([1, 80, C]);
    const featNchw = permuteData('float32', actual[1]!.data as Float32Array, [1, 8, 8, C], TO_NCHW) as Float32Array;
    expectClose(expected[1]!, featNchw);
    expect(actual[2]!.shape).toEqual([1, 5, 7]);
    expectClose(expected[2]!, actual[2]!.data as Float32Array);
    const note = g.metadata.get('mai_channels_last_outputs')!;
    expect(note).toMatch(/'det' \[1,80,6\] channels-last/);
    expect(note).toMatch(/'seq' \[1,5,7\] kept the source's layout \(its producer is RELU/);
  });

  it('--check compares the permuted output against onnxruntime and passes', async () => {
    const model = headModel();
    const { tflite, graph } = convert({ bytes: model, channelsLastOutputs: true });
    const check = await checkSource(model, tflite, graph);
    expect(check.outputs.map((o) => [o.name, o.pass])).toEqual([['det', true], ['feat', true], ['seq', true]]);
    expect(check.outputs[0]!.maxAbs).toBeLessThan(1e-5);
  });

  it('a Transpose of a graph input keeps ONNX layout; a Transpose of a computed value is dropped', async () => {
    const model = buildOnnxModel({
      opset: 13,
      inputs: [{ name: 's', shape: [1, 5, 7] }],
      outputs: [
        { name: 'direct', shape: [1, 7, 5] },
        { name: 'computed', shape: [1, 7, 5] },
      ],
      nodes: [
        { op: 'Transpose', inputs: ['s'], outputs: ['direct'], attrs: { perm: [0, 2, 1] } },
        { op: 'Relu', inputs: ['s'], outputs: ['r'] },
        { op: 'Transpose', inputs: ['r'], outputs: ['computed'], attrs: { perm: [0, 2, 1] } },
      ],
    });
    const { tflite, graph: g } = convert({ bytes: model, channelsLastOutputs: true });
    expect(g.outputs.map((o) => [o, g.tensor(o).shape, g.tensor(o).layout])).toEqual([
      ['direct', [1, 7, 5], 'plain'],
      ['computed', [1, 5, 7], 'NHWC'],
    ]);
    expect(opHistogram(g).TRANSPOSE).toBe(1);
    expect(g.metadata.get('mai_channels_last_outputs')).toMatch(/'direct' \[1,7,5\] kept the source's layout \(the TRANSPOSE reads a graph input/);
    const s: HostTensor = { name: 's', dtype: 'float32', shape: [1, 5, 7], data: uniformFloat32(35, 3, -1, 1) };
    const ort = await onnxRuntime.load(model);
    const expected = await ort.run([s]);
    await ort.dispose();
    const lrt = await liteRtRuntime.load(tflite);
    const actual = await lrt.run([s]);
    await lrt.dispose();
    expectClose(expected[0]!, actual[0]!.data as Float32Array);
    expectClose({ ...expected[1]!, data: permuteData('float32', expected[1]!.data as Float32Array, [1, 7, 5], [0, 2, 1]) as Float32Array }, actual[1]!.data as Float32Array);
    expect((await checkSource(model, tflite, g)).pass).toBe(true);
  });

  it('with --keep-io-layout: a bad-option input error naming both options', () => {
    let err: unknown;
    try {
      convert({ bytes: headModel(), file: 'head.onnx', channelsLastOutputs: true, keepIoLayout: true });
    } catch (e) {
      err = e;
    }
    expect(isMaiError(err) && err.code).toBe('bad-option');
    expect((err as Error).message).toMatch(/--channels-last-outputs and --keep-io-layout/);
  });
});
