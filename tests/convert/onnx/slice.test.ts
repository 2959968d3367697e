/** Slice on NHWC activations and plain tensors: SLICE / STRIDED_SLICE with NHWC axis remap, vs onnxruntime. */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '../../helpers/onnx-builder.js';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { MAX_REVERSED } from '../../../src/convert/onnx/ops/slice.js';
import { emptyIo } from '../../../src/convert/onnx/empty.js';
import type { NodeDiagnostic } from '../../../src/core/errors.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

const INT64_MAX = 9223372036854775807n;

/** A 4-D graph input: NHWC in the IR unless keepIoLayout (then the slice reads the ONNX form). */
function input4d(b: OnnxGraphBuilder): string {
  return b.input('x', [1, 4, 6, 5]);
}

/** The diagnostics of a rejected import. */
function diagnosticsOf(model: Uint8Array): NodeDiagnostic[] {
  try {
    importOnnx(model);
  } catch (e) {
    return (e as { diagnostics: NodeDiagnostic[] }).diagnostics;
  }
  throw new Error('import succeeded');
}

type Case = [string, Array<number | bigint>, Array<number | bigint>, number[] | undefined, number[] | undefined];
const cases: Case[] = [
  ['channels 1:3', [1], [3], [1], undefined],
  ['H 2:, W :-1', [2, 0], [INT64_MAX, -1], [2, 3], undefined],
  ['negative starts', [-3], [-1], [-1], undefined],
  ['step 2 over H and C', [0, 1], [6, 4], [2, 1], [2, 2]],
  ['reverse W (INT_MIN end)', [-1], [-9223372036854775807n], [3], [-1]],
  ['reverse C step -2 from 3 to 0', [3], [0], [1], [-2]],
  ['all axes, no axes input', [0, 1, 1, 0], [1, 3, 5, 4], undefined, undefined],
];

describe('Slice', () => {
  for (const keepIoLayout of [false, true]) {
    for (const [name, starts, ends, axes, steps] of cases) {
      it(`${name} of an NHWC activation (keepIoLayout ${keepIoLayout})`, async () => {
        const b = new OnnxGraphBuilder({ opset: 13 });
        const ins = [input4d(b), b.init('st', [starts.length], starts as number[], 'int64'), b.init('en', [ends.length], ends as number[], 'int64')];
        if (axes || steps) ins.push(axes ? b.init('ax', [axes.length], axes, 'int64') : '');
        if (steps) ins.push(b.init('sp', [steps.length], steps, 'int64'));
        b.output(b.node('Slice', ins, {}, 'y'));
        const { graph, error } = await expectMatchesOrt(b.build(), { keepIoLayout });
        expect(error).toBe(0);
        if (!keepIoLayout) expect(opHistogram(graph).TRANSPOSE ?? 0).toBe(0);
      });
    }
  }
  it('opset 9 attributes on a 3-D input → SLICE', async () => {
    const b = new OnnxGraphBuilder({ opset: 9 });
    b.output(b.node('Slice', [b.input('x', [2, 5, 6])], { starts: [1, -4], ends: [100, 5], axes: [1, 2] }, 'y'));
    const { graph, error } = await expectMatchesOrt(b.build());
    expect(error).toBe(0);
    expect(opHistogram(graph)).toEqual({ SLICE: 1 });
  });
  it('a rank-2 input is sliced at rank 3 (the GPU delegate slices rank 3/4 only)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('Slice', [b.input('x', [3, 8]), b.init('st', [1], [1], 'int64'), b.init('en', [1], [7], 'int64'), b.init('ax', [1], [1], 'int64'), b.init('sp', [1], [2], 'int64')], {}, 'y'));
    const { graph, error } = await expectMatchesOrt(b.build());
    expect(error).toBe(0);
    expect(opHistogram(graph)).toEqual({ RESHAPE: 2, STRIDED_SLICE: 1 });
    const ss = graph.nodes.find((n) => n.op === 'STRIDED_SLICE')!;
    expect(graph.tensor(ss.inputs[0]!).shape).toEqual([1, 3, 8]);
  });
  it('a Slice that keeps everything is no op', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const r = b.node('Relu', [b.input('x', [2, 5])]);
    b.output(b.node('Slice', [r, b.init('st', [1], [0], 'int64'), b.init('en', [1], [100], 'int64'), b.init('ax', [1], [1], 'int64')], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph)).toEqual({ RELU: 1 });
  });
  it('a reversed axis is sliced forwards and flipped by SLICE + CONCATENATION (the GPU delegate rejects negative strides)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const ins = [input4d(b), b.init('st', [2], [-1, 5], 'int64'), b.init('en', [2], [-100, 0], 'int64'), b.init('ax', [2], [1, 2], 'int64'), b.init('sp', [2], [-1, -2], 'int64')];
    b.output(b.node('Slice', ins, {}, 'y'));
    const { graph, error } = await expectMatchesOrt(b.build());
    expect(error).toBe(0);
    for (const n of graph.nodes.filter((n) => n.op === 'STRIDED_SLICE')) {
      expect(Array.from(graph.tensor(n.inputs[3]!).data as Int32Array).every((s) => s > 0)).toBe(true);
    }
    expect(opHistogram(graph).CONCATENATION).toBe(2); // C (4) and H (3 rows) reversed
  });
  it(`an axis longer than ${MAX_REVERSED} walked backwards → STRIDED_SLICE with only begin/end masks`, async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const ins = [b.input('x', [1, 40, 2, 2]), b.init('st', [1], [-1], 'int64'), b.init('en', [1], [-100], 'int64'), b.init('ax', [1], [1], 'int64'), b.init('sp', [1], [-1], 'int64')];
    b.output(b.node('Slice', ins, {}, 'y'));
    const { graph, error } = await expectMatchesOrt(b.build());
    expect(error).toBe(0);
    const ss = graph.nodes.find((n) => n.op === 'STRIDED_SLICE')!;
    expect(ss.attrs).toMatchObject({ ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, endMask: 0b1000 });
  });
  it('rejects runtime starts, naming the node', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 4]);
    const s = b.input('s', [1], 'int64');
    b.output(b.node('Slice', [x, s, b.init('en', [1], [3], 'int64'), b.init('ax', [1], [1], 'int64')], {}, 'y'));
    const [d] = diagnosticsOf(b.build());
    expect(d).toMatchObject({ node: 'Slice_node_0', reason: 'requires-constant-input' });
    expect(d!.message).toMatch(/starts \(input 's'\) must be a constant/);
  });
  it('an empty result read by a Concat is dropped; as a graph output it is left out of the .tflite and listed (empty.ts)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 4]);
    const e = b.node('Slice', [x, b.init('st', [1], [3], 'int64'), b.init('en', [1], [1], 'int64'), b.init('ax', [1], [1], 'int64')]);
    b.output(b.node('Concat', [e, b.node('Relu', [x])], { axis: 1 }, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph)).toEqual({ RELU: 1 });
    const b2 = new OnnxGraphBuilder({ opset: 13 });
    b2.output(b2.node('Slice', [b2.input('x', [1, 4]), b2.init('st', [1], [3], 'int64'), b2.init('en', [1], [1], 'int64'), b2.init('ax', [1], [1], 'int64')], {}, 'y'));
    const g = importOnnx(b2.build());
    expect(g.outputs).toEqual([]);
    expect(emptyIo(g).outputs).toEqual([{ name: 'y', dtype: 'float32', shape: [1, 0] }]);
  });
});
