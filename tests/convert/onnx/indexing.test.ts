/**
 * Trilu, GatherND, GatherElements, ScatterND and ScatterElements against onnxruntime: on runtime float data with
 * constant indices (GATHERs, GPU rules pass; Trilu a SELECT_V2; every ScatterND reduction), on a conv's NHWC-held output, and
 * all-constant (swin_t's mask construction: ScatterND of constants folds, no op left); with run-time
 * indices computed in the graph (Floor of a float input, negative ones included) on GATHER_ND /
 * SCATTER_ND. The conformance suite covers int32/int64 data, batch_dims and negative indices fed as inputs.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, attr, normalFloat32 } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { expectMatchesOrt, importRejection, LAYOUTS, layoutName, opHistogram } from './harness.js';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import type { HostTensor } from '../../../src/runtime/types.js';
import { writeTflite } from '../../../src/tflite/writer.js';

/** x [1,4,5,6] through a 1×1 Conv (NHWC-held), then `tail`. */
function afterConv(tail: (b: OnnxGraphBuilder, c: string) => string, opset = 18): Uint8Array {
  const b = new OnnxGraphBuilder({ opset });
  const x = b.input('x', [1, 4, 5, 6]);
  const c = b.node('Conv', [x, b.init('w', [4, 4, 1, 1], normalFloat32(16, 3))]);
  b.output(tail(b, c));
  return b.build();
}

const i64 = (b: OnnxGraphBuilder, name: string, shape: number[], v: number[]) => b.init(name, shape, BigInt64Array.from(v.map(BigInt)), 'int64');

describe('ONNX indexing ops vs onnxruntime', () => {
  for (const keepIoLayout of LAYOUTS) {
    for (const [upper, k] of [[1, 0], [0, 0], [1, -1], [0, 2]] as const) {
      it(`Trilu upper=${upper} k=${k} on NHWC-held values (${layoutName(keepIoLayout)})`, async () => {
        const bytes = afterConv((b, c) => b.node('Trilu', [c, i64(b, 'k', [], [k])], { upper: attr.int(upper) }, 'y'));
        const { graph } = await expectMatchesOrt(bytes, { keepIoLayout });
        expect(checkGpuCompat(graph).unsupportedLines).toEqual([]);
        expect(opHistogram(graph).SELECT_V2).toBe(1);
      });
    }

    it(`GatherND batch_dims=1 with constant indices on a conv's output (${layoutName(keepIoLayout)})`, async () => {
      const bytes = afterConv((b, c) => b.node('GatherND', [c, i64(b, 'idx', [1, 3, 2], [0, 1, 3, -1, 2, 4])], { batch_dims: attr.int(1) }, 'y'));
      const { graph } = await expectMatchesOrt(bytes, { keepIoLayout });
      expect(checkGpuCompat(graph).unsupportedLines).toEqual([]);
      // rows (0, 1), 3 and 4 of the [1, ·, inner] view (runs 0–1, 8, 9 of the batch's rows): three SLICEs and a CONCATENATION, no GATHER
      expect(opHistogram(graph)).toMatchObject({ SLICE: 3, CONCATENATION: 1 });
      expect(opHistogram(graph).GATHER).toBeUndefined();
    });

    it(`GatherElements axis 2 with negative constant indices (${layoutName(keepIoLayout)})`, async () => {
      const idx = Array.from({ length: 4 * 3 * 6 }, (_, i) => ((i * 7) % 9) - 4);
      const bytes = afterConv((b, c) => b.node('GatherElements', [c, i64(b, 'idx', [1, 4, 3, 6], idx)], { axis: attr.int(2) }, 'y'));
      const { graph } = await expectMatchesOrt(bytes, { keepIoLayout });
      // 72 scattered elements: too many pieces, one GATHER of 72 constant positions, which the GPU delegate cannot build
      expect(checkGpuCompat(graph).unsupportedLines).toEqual([expect.stringMatching(/^GATHER: Constant indices \[72\] hold 72 positions/)]);
    });

    it(`ScatterND of constant updates into a conv's output (${layoutName(keepIoLayout)})`, async () => {
      const bytes = afterConv((b, c) => b.node('ScatterND', [c, i64(b, 'idx', [2, 2], [0, 3, 0, 1]), b.init('upd', [2, 5, 6], normalFloat32(60, 9))], {}, 'y'));
      const { graph } = await expectMatchesOrt(bytes, { keepIoLayout });
      expect(checkGpuCompat(graph).unsupportedLines).toEqual([]);
      // CONCATENATION(data, updates), then data rows 0, 2, 4 and the updates for rows 1, 3: four SLICEs and a CONCATENATION, no GATHER
      expect(opHistogram(graph)).toMatchObject({ SLICE: 4, CONCATENATION: 2 });
      expect(opHistogram(graph).GATHER).toBeUndefined();
    });
  }

  for (const reduction of ['add', 'mul', 'max', 'min'] as const) {
    it(`ScatterND reduction ${reduction} with repeated indices into a conv's output`, async () => {
      const bytes = afterConv((b, c) => b.node('ScatterND', [c, i64(b, 'idx', [4, 2], [0, 1, 0, 3, 0, 1, 0, 1]), b.init('upd', [4, 5, 6], normalFloat32(120, 9))], { reduction: attr.string(reduction) }, 'y'));
      const { graph } = await expectMatchesOrt(bytes);
      expect(checkGpuCompat(graph).unsupportedLines).toEqual([]);
      // row 1 is written three times: three rounds, each rows picked as SLICEs (no GATHER)
      expect(opHistogram(graph).GATHER).toBeUndefined();
    });
  }

  it("ScatterND / Trilu / GatherND of constants fold (swin_t's shifted-window mask), no op left for them", async () => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    const x = b.input('x', [1, 1, 4, 4]);
    const zeros = b.init('zeros', [1, 1, 4, 4], new Float32Array(16));
    const idx = i64(b, 'idx', [2, 3], [0, 0, 2, 0, 0, 3]);
    const regions = b.node('ScatterND', [zeros, idx, b.init('upd', [2, 4], Float32Array.of(1, 1, 2, 2, 3, 3, 4, 4))], { reduction: attr.string('add') });
    const tri = b.node('Trilu', [regions], { upper: attr.int(0) });
    const picked = b.node('GatherND', [tri, i64(b, 'pick', [1, 1, 2], [0, 0])], { batch_dims: attr.int(0) });
    b.output(b.node('Add', [x, picked], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(Object.keys(opHistogram(graph)).sort()).toEqual(['ADD']);
  });

  for (const reduction of ['none', 'add', 'mul', 'max', 'min'] as const) {
    it(`ScatterElements reduction ${reduction} with constant indices (repeated, negative) into a conv's output`, async () => {
      // axis 2 (size 5): each column j of the [1,4,3,6] updates writes rows idx[..., j]; -1 and 4 are the same row
      const idx = Array.from({ length: 4 * 3 * 6 }, (_, i) => (reduction === 'none' ? [0, 2, -1][Math.floor(i / 6) % 3]! : [4, -1, 1][Math.floor(i / 6) % 3]!));
      const bytes = afterConv((b, c) => b.node('ScatterElements', [c, i64(b, 'idx', [1, 4, 3, 6], idx), b.init('upd', [1, 4, 3, 6], normalFloat32(72, 5))], { axis: attr.int(2), reduction: attr.string(reduction) }, 'y'));
      const { graph } = await expectMatchesOrt(bytes);
      // element-wise writes pick 120 scattered elements: too many pieces, a GATHER the GPU delegate cannot build
      const refused = checkGpuCompat(graph).unsupportedLines;
      expect(refused.length).toBeGreaterThan(0);
      for (const line of refused) expect(line).toMatch(/^GATHER: Constant indices \[120\] hold 120 positions/);
    });
  }

  it('Scatter (opset 10) is ScatterElements without reduction', async () => {
    const bytes = afterConv((b, c) => b.node('Scatter', [c, i64(b, 'idx', [1, 1, 5, 6], Array.from({ length: 30 }, (_, i) => i % 4)), b.init('upd', [1, 1, 5, 6], normalFloat32(30, 6))], { axis: attr.int(1) }, 'y'), 10);
    await expectMatchesOrt(bytes);
  });

  it('ScatterElements of constants folds (every reduction composed), no op left for it', async () => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    const x = b.input('x', [1, 1, 4, 4]);
    let v = b.init('zeros', [1, 1, 4, 4], new Float32Array(16));
    for (const reduction of ['none', 'add', 'mul', 'max', 'min']) {
      const idx = i64(b, `idx_${reduction}`, [1, 1, 2, 4], [0, 3, -1, 1, 0, 0, 2, -4]);
      v = b.node('ScatterElements', [v, idx, b.init(`upd_${reduction}`, [1, 1, 2, 4], normalFloat32(8, reduction.length))], { axis: attr.int(2), reduction: attr.string(reduction) });
    }
    b.output(b.node('Add', [x, v], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(Object.keys(opHistogram(graph)).sort()).toEqual(['ADD']);
  });

  it('ScatterND mul / max / min with run-time indices need constant indices, naming the node and the input', () => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    const x = b.input('x', [4, 3]);
    const i = b.input('i', [2, 1], 'int64');
    b.output(b.node('ScatterND', [x, i, b.init('u', [2, 3], normalFloat32(6, 2))], { reduction: attr.string('mul') }, 'y'));
    const e = importRejection(b.build());
    expect(e.diagnostics[0]).toMatchObject({ reason: 'requires-constant-input', opType: 'ScatterND' });
    expect(e.diagnostics[0]!.message).toMatch(/reduction 'mul' needs constant indices \(input 'i'\)/);
  });

  it('ScatterND with run-time indices into int16 data is refused: SCATTER_ND has no int16 kernel', () => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    const x = b.input('x', [4, 3], 'int16');
    const i = b.input('i', [2, 1], 'int64');
    b.output(b.node('ScatterND', [x, i, b.input('u', [2, 3], 'int16')], {}, 'y'), [4, 3], 'int16');
    const d = importRejection(b.build()).diagnostics[0]!;
    expect(d).toMatchObject({ reason: 'unsupported-dtype', opType: 'ScatterND' });
    expect(d.message).toMatch(/SCATTER_ND has no int16 kernel/);
  });

  it('refuses float indices as invalid', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [4, 3]);
    const i = b.input('i', [2, 1]);
    b.output(b.node('GatherND', [x, i], {}, 'y'));
    expect(importRejection(b.build()).diagnostics[0]).toMatchObject({ reason: 'invalid-model', opType: 'GatherND' });
  });
});

/**
 * Run-time int64 indices [shape] from float input `f` (uniform in [-1, 1)): Floor(f · scale) with
 * `scale` broadcast on the last axis, so entry j lies in [-scale_j, scale_j): negative ones included.
 */
function runtimeIndices(b: OnnxGraphBuilder, shape: number[], scale: number[]): string {
  const f = b.input('f', shape);
  const scaled = b.node('Floor', [b.node('Mul', [f, b.init('scale', [scale.length], Float32Array.from(scale))])]);
  return b.node('Cast', [scaled], { to: attr.int(7) });
}

describe('ONNX indexing ops with run-time indices vs onnxruntime (GATHER_ND / SCATTER_ND)', () => {
  for (const keepIoLayout of LAYOUTS) {
    it(`GatherND batch_dims=0 on a conv's output (${layoutName(keepIoLayout)})`, async () => {
      const bytes = afterConv((b, c) => b.node('GatherND', [c, runtimeIndices(b, [3, 2], [1, 4])], {}, 'y'));
      const { graph } = await expectMatchesOrt(bytes, { keepIoLayout });
      expect(opHistogram(graph)).toMatchObject({ GATHER_ND: 1, SELECT_V2: 1 });
      expect(checkGpuCompat(graph).unsupportedLines.join('\n')).toMatch(/GATHER_ND/);
    });

    it(`GatherND batch_dims=2: batch positions joined to the indices (${layoutName(keepIoLayout)})`, async () => {
      const bytes = afterConv((b, c) => b.node('GatherND', [c, runtimeIndices(b, [1, 4, 3, 1], [5])], { batch_dims: attr.int(2) }, 'y'));
      const { graph } = await expectMatchesOrt(bytes, { keepIoLayout });
      expect(opHistogram(graph)).toMatchObject({ GATHER_ND: 1, CONCATENATION: 1 });
    });

    it(`GatherElements axis 2 (${layoutName(keepIoLayout)})`, async () => {
      const bytes = afterConv((b, c) => b.node('GatherElements', [c, runtimeIndices(b, [1, 4, 3, 6], [5])], { axis: attr.int(2) }, 'y'));
      const { graph } = await expectMatchesOrt(bytes, { keepIoLayout });
      expect(opHistogram(graph)).toMatchObject({ GATHER_ND: 1, CONCATENATION: 1 });
    });

    it(`GatherElements axis -1 on a smaller index block (${layoutName(keepIoLayout)})`, async () => {
      const bytes = afterConv((b, c) => b.node('GatherElements', [c, runtimeIndices(b, [1, 2, 5, 4], [6])], { axis: attr.int(-1) }, 'y'));
      await expectMatchesOrt(bytes, { keepIoLayout });
    });
  }

  it('ScatterND none: distinct run-time indices (negative ones wrapped) into a conv output', async () => {
    // Floor(f · 0) is 0 or -0 for every f: the indices are the constant offsets, computed at run time
    const bytes = afterConv((b, c) => {
      const zero = runtimeIndices(b, [3, 2], [0, 0]);
      const idx = b.node('Add', [zero, i64(b, 'offsets', [3, 2], [0, -1, 0, 1, 0, -4])]);
      return b.node('ScatterND', [c, idx, b.init('upd', [3, 5, 6], normalFloat32(90, 4))], {}, 'y');
    });
    const { graph } = await expectMatchesOrt(bytes);
    expect(opHistogram(graph)).toMatchObject({ SCATTER_ND: 2, SELECT_V2: 2 });
  });

  it('ScatterND add: repeated run-time indices sum, as onnxruntime', async () => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    const x = b.input('x', [5, 3, 2]);
    const idx = runtimeIndices(b, [8, 1], [5]);
    b.output(b.node('ScatterND', [x, idx, b.input('u', [8, 3, 2])], { reduction: attr.string('add') }, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph)).toMatchObject({ SCATTER_ND: 1, ADD: 2 });
  });

  for (const keepIoLayout of LAYOUTS) {
    it(`ScatterElements add with run-time indices along axis 1 (${layoutName(keepIoLayout)})`, async () => {
      const bytes = afterConv((b, c) => b.node('ScatterElements', [c, runtimeIndices(b, [1, 3, 5, 6], [4]), b.init('upd', [1, 3, 5, 6], normalFloat32(90, 7))], { axis: attr.int(1), reduction: attr.string('add') }, 'y'));
      const { graph } = await expectMatchesOrt(bytes, { keepIoLayout });
      expect(opHistogram(graph)).toMatchObject({ SCATTER_ND: 1, CONCATENATION: 1 });
    });
  }

  it('ScatterElements none with distinct run-time indices (negative ones wrapped)', async () => {
    const bytes = afterConv((b, c) => {
      const zero = runtimeIndices(b, [1, 4, 2, 6], [0, 0, 0, 0, 0, 0]);
      const offsets = Array.from({ length: 48 }, (_, i) => (Math.floor(i / 6) % 2 === 0 ? -1 : 1));
      const idx = b.node('Add', [zero, i64(b, 'offsets', [1, 4, 2, 6], offsets)]);
      return b.node('ScatterElements', [c, idx, b.init('upd', [1, 4, 2, 6], normalFloat32(48, 8))], { axis: attr.int(2) }, 'y');
    });
    const { graph } = await expectMatchesOrt(bytes);
    expect(opHistogram(graph)).toMatchObject({ SCATTER_ND: 2 });
  });

  it('rank-1 run-time indices: GatherND of one slice, ScatterND of one slice', async () => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    const x = b.input('x', [3, 4, 5]);
    const idx = runtimeIndices(b, [2], [3, 4]);
    const slice = b.node('GatherND', [x, idx]);
    const row = b.node('Slice', [idx, i64(b, 'starts', [1], [0]), i64(b, 'ends', [1], [1])]);
    b.output(b.node('ScatterND', [b.node('Neg', [x]), idx, b.node('Exp', [slice])], {}, 'y'));
    b.output(b.node('ScatterND', [x, row, b.node('Sin', [b.node('Gather', [x, i64(b, 'zero', [], [0])], { axis: attr.int(0) })])], { reduction: attr.string('add') }, 'z'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph)).toMatchObject({ GATHER_ND: 1, SCATTER_ND: 3 });
  });

  for (const op of ['GatherND', 'ScatterND'] as const) {
    it(`${op}: a run-time index out of range fails the LiteRT run, as it fails onnxruntime's (never wraps or clamps)`, async () => {
      const b = new OnnxGraphBuilder({ opset: 18 });
      const x = b.input('x', [4, 3]);
      const idx = runtimeIndices(b, [2, 2], [4, 3]);
      if (op === 'GatherND') b.output(b.node('GatherND', [x, idx], {}, 'y'));
      else b.output(b.node('ScatterND', [x, idx, b.init('u', [2], Float32Array.of(1, 2))], {}, 'y'));
      const model = b.build();
      const lrt = await liteRtRuntime.load(writeTflite(importOnnx(model)));
      const ort = await onnxRuntime.load(model);
      const feed = (f: number[]): HostTensor[] => [{ name: 'x', dtype: 'float32', shape: [4, 3], data: new Float32Array(12).fill(1) }, { name: 'f', dtype: 'float32', shape: [2, 2], data: Float32Array.from(f) }];
      // in range ([0, 2], [-4 → 0, -3 → 0]): both run
      await expect(lrt.run(feed([0.1, 0.9, -0.9, -0.9]))).resolves.toHaveLength(1);
      await expect(ort.run(feed([0.1, 0.9, -0.9, -0.9]))).resolves.toHaveLength(1);
      // the second coordinate of the first tuple is 6 (Floor(2 · 3)) on an axis of 3
      const bad = feed([0.1, 2, 0, 0]);
      await expect(lrt.run(bad)).rejects.toThrow(/index out of bounds/);
      await expect(ort.run(bad)).rejects.toThrow();
      await lrt.dispose();
      await ort.dispose();
    });
  }

  it('ScatterND none with element-wise run-time indices of an NHWC-held value', async () => {
    const bytes = afterConv((b, c) => {
      const zero = runtimeIndices(b, [2, 4], [0, 0, 0, 0]);
      const idx = b.node('Add', [zero, i64(b, 'offsets', [2, 4], [0, 3, 4, 5, 0, -1, 0, 0])]);
      return b.node('ScatterND', [c, idx, b.init('upd', [2], Float32Array.of(7, -7))], {}, 'y');
    });
    await expectMatchesOrt(bytes, { keepIoLayout: false });
  });
});
