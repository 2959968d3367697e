/**
 * The shape chains PyTorch exports fold away at import: `F.interpolate(x, size=skip.shape[2:])` and
 * `x.view(x.size(0), -1)` leave only the real compute, and the result matches onnxruntime. Range and
 * ConstantOfShape on runtime data whose output shape the model does not declare are rejected with a
 * reason (with a declared shape they convert: constant-of-shape-range.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { isMaiError } from '../../../src/core/errors.js';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

const INT64_MAX = 9223372036854775807n;

/** PyTorch's `size=skip.shape[2:]` (opset 13): Shape → Gather(2), Gather(3) → Unsqueeze → Concat with N, C of x → Cast → Resize sizes. */
export function interpolateToSkip(b: OnnxGraphBuilder, x: string, skip: string, mode = 'linear'): string {
  const sx = b.node('Shape', [x]);
  const nc = b.node('Slice', [sx, b.init(b.name('s0'), [1], [0], 'int64'), b.init(b.name('s2'), [1], [2], 'int64'), b.init(b.name('ax'), [1], [0], 'int64')]);
  const ss = b.node('Shape', [skip]);
  const hw = [2, 3].map((i) => b.node('Unsqueeze', [b.node('Gather', [ss, b.init(b.name('idx'), [], [i], 'int64')], { axis: 0 }), b.init(b.name('axes'), [1], [0], 'int64')]));
  const size = b.node('Cast', [b.node('Concat', [nc, ...hw], { axis: 0 })], { to: 7 });
  return b.node('Resize', [x, '', '', size], { mode, coordinate_transformation_mode: mode === 'linear' ? 'half_pixel' : 'asymmetric', nearest_mode: 'floor' });
}

describe('PyTorch shape chains fold to constants', () => {
  it('interpolate(size=skip.shape[2:]) leaves CONV_2D + RESIZE_BILINEAR + ADD, no TRANSPOSE', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 4, 8, 8]);
    const skip = b.input('skip', [1, 4, 16, 16]);
    const c = b.node('Conv', [x, b.init('w', [4, 4, 3, 3], normalFloat32(144, 3, 0.3))], { pads: [1, 1, 1, 1] });
    const up = interpolateToSkip(b, c, skip);
    b.output(b.node('Add', [up, skip], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph)).toEqual({ CONV_2D: 1, RESIZE_BILINEAR: 1, ADD: 1 });
  });

  it('view(b, -1) via Shape → Gather(0) → Unsqueeze → Concat([b, -1]) → Reshape: only the reshape remains', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [2, 3, 4, 4]);
    const c = b.node('Conv', [x, b.init('w', [3, 3, 1, 1], normalFloat32(9, 5))]);
    const n = b.node('Unsqueeze', [b.node('Gather', [b.node('Shape', [c]), b.init('i0', [], [0], 'int64')], { axis: 0 }), b.init('ax0', [1], [0], 'int64')]);
    const shape = b.node('Concat', [n, b.init('m1', [1], [-1], 'int64')], { axis: 0 });
    b.output(b.node('Reshape', [c, shape], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    const ops = opHistogram(graph);
    // the flatten of an NHWC activation in NCHW element order needs its one transpose; nothing of the shape chain is left
    expect(Object.keys(ops).sort()).toEqual(['CONV_2D', 'RESHAPE', 'TRANSPOSE']);
    expect(ops.RESHAPE).toBe(1);
  });

  it('shape arithmetic: H/2·W via Div, Mul, Slice with INT64_MAX end, ReduceProd folds into a Reshape target', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 2, 6, 4]);
    const s = b.node('Shape', [x]);
    const hw = b.node('Slice', [s, b.init('b2', [1], [2], 'int64'), b.init('emax', [1], [INT64_MAX], 'int64')]);
    const half = b.node('Div', [b.node('ReduceProd', [hw], { keepdims: 1 }), b.init('two', [1], [2], 'int64')]);
    const shape = b.node('Concat', [b.init('lead', [2], [1, 2], 'int64'), half, b.init('two2', [1], [2], 'int64')], { axis: 0 });
    b.output(b.node('Relu', [b.node('Reshape', [x, shape])], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    const ops = Object.keys(opHistogram(graph));
    expect(ops).toContain('RELU');
    expect(ops.filter((o) => !['RELU', 'RESHAPE', 'TRANSPOSE'].includes(o)), 'nothing of the shape chain is left').toEqual([]);
  });
});

describe('Range / ConstantOfShape of runtime inputs with no declared output shape are refused', () => {
  const cases: Array<[string, (b: OnnxGraphBuilder, x: string) => string]> = [
    ['Range with a runtime limit', (b, x) => b.node('Range', [b.init('st', [], [0], 'float32'), b.node('ReduceMax', [x], { keepdims: 0 }), b.init('d', [], [1], 'float32')])],
    ['ConstantOfShape of runtime data', (b, x) => b.node('ConstantOfShape', [b.node('Cast', [x], { to: 7 })])],
  ];
  for (const [name, build] of cases) {
    it(name, () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      const x = b.input('x', [2]);
      b.output(build(b, x), undefined);
      try {
        importOnnx(b.build());
        expect.unreachable('import should fail');
      } catch (e) {
        expect(isMaiError(e)).toBe(true);
        const d = (e as { diagnostics?: Array<{ reason: string; message: string }> }).diagnostics ?? [];
        expect(d.map((x) => x.reason)).toContain('dynamic-shape');
        expect(d.find((x) => x.reason === 'dynamic-shape')!.message).toMatch(/depends on the run-time value of .*declares no static shape/);
      }
    });
  }
});

describe('older PyTorch interpolate(scale_factor=2) export (opset 11): float arithmetic on shapes', () => {
  it('Shape → Gather → Cast(float) → Mul(2.0) → Floor → Cast(int64) → Unsqueeze → Concat → Resize sizes folds; nearest resize only', async () => {
    const b = new OnnxGraphBuilder({ opset: 11 });
    const x = b.input('x', [1, 3, 5, 7]);
    const s = b.node('Shape', [x]);
    const dim = (i: number) => {
      const d = b.node('Cast', [b.node('Gather', [s, b.init(b.name('i'), [], [i], 'int64')], { axis: 0 })], { to: 1 });
      const scaled = b.node('Floor', [b.node('Mul', [d, b.init(b.name('two'), [], [2], 'float32')])]);
      return b.node('Unsqueeze', [b.node('Cast', [scaled], { to: 7 })], { axes: [0] });
    };
    const nc = b.node('Slice', [s, b.init('st', [1], [0], 'int64'), b.init('en', [1], [2], 'int64'), b.init('ax', [1], [0], 'int64')]);
    const sizes = b.node('Concat', [nc, dim(2), dim(3)], { axis: 0 });
    const roi = b.init('roi', [0], [], 'float32');
    const scales = b.init('scales', [0], [], 'float32');
    b.output(b.node('Resize', [x, roi, scales, sizes], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph)).toEqual({ RESIZE_NEAREST_NEIGHBOR: 1 });
  });
});

describe('pad-to-multiple shape arithmetic (matting exports pad H, W up to a multiple of 32)', () => {
  it('Shape → Gather → Mod → Sub → Mod → Concat → Pad folds into constant pads: only PAD + CONV_2D remain', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 30, 45]);
    const s = b.node('Shape', [x]);
    const k = b.init('k32', [], [32], 'int64');
    // pad = (32 − d % 32) % 32 for d = H, W
    const pad = (i: number) => b.node('Unsqueeze', [b.node('Mod', [b.node('Sub', [k, b.node('Mod', [b.node('Gather', [s, b.init(b.name('i'), [], [i], 'int64')], { axis: 0 }), k])]), k]), b.init(b.name('ax'), [1], [0], 'int64')]);
    const zeros = b.init('z4', [6], [0, 0, 0, 0, 0, 0], 'int64');
    const pads = b.node('Concat', [zeros, pad(2), pad(3)], { axis: 0 }); // [0,0,0,0, 0,0,padH,padW]
    const padded = b.node('Pad', [x, pads], { mode: 'constant' });
    b.output(b.node('Conv', [padded, b.init('w', [2, 3, 3, 3], normalFloat32(54, 8, 0.3))], { strides: [2, 2] }, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(Object.keys(opHistogram(graph)).sort()).toEqual(['CONV_2D', 'PAD']);
  });
});
