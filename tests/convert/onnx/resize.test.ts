/**
 * Resize / Upsample: every coordinate_transformation_mode × nearest_mode combination is either
 * mapped to TFLite flags and checked against onnxruntime (nearest: bit-exact, tolerance 0; linear:
 * 1e-4 of the output range), or rejected with 'unsupported-attribute' naming the mode.
 */
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { isMaiError } from '../../../src/core/errors.js';
import { OnnxGraphBuilder, type AttrValue } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt } from './harness.js';

interface Spec {
  inHW: [number, number];
  sizes?: [number, number];
  scales?: [number, number];
  attrs: Record<string, AttrValue>;
  opset?: number;
  /** Opset 18+: give sizes for axes [2, 3] only. */
  hwAxes?: boolean;
}

function resizeModel(s: Spec): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: s.opset ?? 13 });
  const x = b.input('x', [1, 2, ...s.inHW]);
  const inputs = [x, ''];
  if (s.scales) inputs.push(b.init('scales', [4], [1, 1, ...s.scales]));
  else {
    inputs.push('');
    inputs.push(s.hwAxes ? b.init('sizes', [2], [...s.sizes!], 'int64') : b.init('sizes', [4], [1, 2, ...s.sizes!], 'int64'));
  }
  b.output(b.node('Resize', inputs, s.hwAxes ? { ...s.attrs, axes: [2, 3] } : s.attrs, 'y'));
  return b.build();
}

/** Imports and returns the rejection diagnostic, or undefined when accepted. */
function rejection(model: Uint8Array): { reason: string; message: string } | undefined {
  try {
    importOnnx(model);
    return undefined;
  } catch (e) {
    if (!isMaiError(e)) throw e;
    return e.diagnostics[0] as { reason: string; message: string };
  }
}

const SIZES: Array<{ label: string; inHW: [number, number]; sizes?: [number, number]; scales?: [number, number] }> = [
  { label: '2x up (scales)', inHW: [4, 5], scales: [2, 2] },
  { label: '3x up (sizes)', inHW: [3, 4], sizes: [9, 12] },
  { label: '5x7 → 8x11 (sizes)', inHW: [5, 7], sizes: [8, 11] },
  { label: '8x12 → 4x6 down (sizes)', inHW: [8, 12], sizes: [4, 6] },
  { label: '9x7 → 4x3 down (sizes)', inHW: [9, 7], sizes: [4, 3] },
];

const NEAREST_COORD = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn'];
const NEAREST_ROUND = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'];
const LINEAR_COORD = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric'];

/** Combinations the mapping must accept (the ones PyTorch/TF exporters emit). */
const MUST_ACCEPT = new Set([
  'nearest asymmetric floor 2x up (scales)',
  'nearest asymmetric floor 3x up (sizes)',
  'nearest half_pixel round_prefer_floor 2x up (scales)',
  'nearest half_pixel round_prefer_ceil 5x7 → 8x11 (sizes)',
  'nearest tf_half_pixel_for_nn floor 5x7 → 8x11 (sizes)',
  'nearest align_corners round_prefer_ceil 2x up (scales)',
  'nearest pytorch_half_pixel round_prefer_floor 2x up (scales)',
]);

const native: string[] = [];
const matrix: string[] = [];
const MATRIX_OPS = new Set(['TRANSPOSE', 'FULLY_CONNECTED', 'RESHAPE', 'ADD']);

describe('Resize nearest: every coordinate mode × nearest_mode × size, bit-exact (native flags or weight matrices)', () => {
  for (const sz of SIZES) {
    for (const coord of NEAREST_COORD) {
      for (const round of NEAREST_ROUND) {
        const label = `nearest ${coord} ${round} ${sz.label}`;
        it(label, async () => {
          const model = resizeModel({ ...sz, attrs: { mode: 'nearest', coordinate_transformation_mode: coord, nearest_mode: round } });
          const { graph } = await expectMatchesOrt(model, { tol: 0 });
          const ops = graph.nodes.map((n) => n.op);
          if (ops.length === 1 && ops[0] === 'RESIZE_NEAREST_NEIGHBOR') native.push(label);
          else {
            expect(MUST_ACCEPT.has(label), `${label} must map onto TFLite's RESIZE_NEAREST_NEIGHBOR, got ${ops.join(', ')}`).toBe(false);
            expect(ops.every((o) => MATRIX_OPS.has(o)), ops.join(', ')).toBe(true);
            matrix.push(label);
          }
        });
      }
    }
  }
  it('maps a substantial part of the grid onto the native op (summary)', () => {
    // printed for the closing note; the per-case tests above carry the assertions
    console.log(`nearest: ${native.length} native RESIZE_NEAREST_NEIGHBOR, ${matrix.length} weight matrices`);
    expect(native.length).toBeGreaterThan(20);
  });
});

describe('Resize linear → RESIZE_BILINEAR vs onnxruntime', () => {
  for (const sz of SIZES) {
    for (const coord of LINEAR_COORD) {
      it(`linear ${coord} ${sz.label}`, async () => {
        const model = resizeModel({ ...sz, attrs: { mode: 'linear', coordinate_transformation_mode: coord } });
        const { graph } = await expectMatchesOrt(model);
        const n = graph.nodes[0]!;
        expect(n.op).toBe('RESIZE_BILINEAR');
        expect(n.attrs.alignCorners).toBe(coord === 'align_corners');
        expect(n.attrs.halfPixelCenters).toBe(coord === 'half_pixel' || coord === 'pytorch_half_pixel');
      });
    }
  }
  it('linear half_pixel_symmetric (opset 19) with an integer-preserving scale = half_pixel', async () => {
    await expectMatchesOrt(resizeModel({ inHW: [4, 5], scales: [2, 2], opset: 19, attrs: { mode: 'linear', coordinate_transformation_mode: 'half_pixel_symmetric' } }));
  });
  it('default attributes (opset 13: nearest, half_pixel, round_prefer_floor) at 2x', async () => {
    await expectMatchesOrt(resizeModel({ inHW: [4, 5], scales: [2, 2], attrs: {} }), { tol: 0 });
  });
  it('opset 18 axes=[2,3] with 2 sizes', async () => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    const x = b.input('x', [1, 2, 4, 5]);
    const sizes = b.init('sizes', [2], [8, 10], 'int64');
    b.output(b.node('Resize', [x, '', '', sizes], { mode: 'linear', axes: [2, 3] }, 'y'));
    await expectMatchesOrt(b.build());
  });
});

describe('Resize modes TFLite cannot express → exact weight matrices (FULLY_CONNECTED over W and H) vs onnxruntime', () => {
  const cases: Array<[string, Spec]> = [
    ['cubic 2x', { inHW: [4, 4], scales: [2, 2], attrs: { mode: 'cubic' } }],
    ['cubic align_corners, A=-0.5, exclude_outside', { inHW: [5, 6], sizes: [9, 4], attrs: { mode: 'cubic', coordinate_transformation_mode: 'align_corners', cubic_coeff_a: -0.5, exclude_outside: 1 } }],
    ['linear antialias=1 exclude_outside=1 downscale (opset 18)', { inHW: [9, 8], sizes: [4, 3], opset: 18, attrs: { mode: 'linear', antialias: 1, exclude_outside: 1 } }],
    ['linear antialias=1 downscale (opset 18)', { inHW: [8, 8], sizes: [3, 5], opset: 18, attrs: { mode: 'linear', antialias: 1 } }],
    ['cubic antialias=1 downscale (opset 18)', { inHW: [9, 7], sizes: [4, 3], opset: 18, attrs: { mode: 'cubic', antialias: 1 } }],
    ['keep_aspect_ratio_policy=not_larger (opset 18)', { inHW: [8, 8], sizes: [4, 6], opset: 18, hwAxes: true, attrs: { mode: 'linear', keep_aspect_ratio_policy: 'not_larger' } }],
    ['keep_aspect_ratio_policy=not_smaller (opset 18)', { inHW: [6, 8], sizes: [4, 6], opset: 18, hwAxes: true, attrs: { mode: 'nearest', keep_aspect_ratio_policy: 'not_smaller' } }],
    ['scale 1.5 on 5 (output 7, coordinates use 1/1.5)', { inHW: [5, 4], scales: [1.5, 2], attrs: { mode: 'linear' } }],
    ['pytorch_half_pixel with output size 1', { inHW: [4, 4], sizes: [1, 4], attrs: { mode: 'linear', coordinate_transformation_mode: 'pytorch_half_pixel' } }],
    ['half_pixel_symmetric with scale 0.7 (opset 19)', { inHW: [7, 9], scales: [0.7, 0.7], opset: 19, attrs: { mode: 'linear', coordinate_transformation_mode: 'half_pixel_symmetric' } }],
  ];
  for (const [name, spec] of cases) {
    it(name, async () => {
      const { graph } = await expectMatchesOrt(resizeModel(spec));
      const ops = graph.nodes.map((n) => n.op);
      expect(ops).toContain('FULLY_CONNECTED');
      expect(ops.every((o) => MATRIX_OPS.has(o)), ops.join(', ')).toBe(true);
    });
  }
});

describe('Resize rejections', () => {
  it('linear with tf_half_pixel_for_nn (defined for nearest only)', () => {
    const r = rejection(resizeModel({ inHW: [4, 4], scales: [2, 2], attrs: { mode: 'linear', coordinate_transformation_mode: 'tf_half_pixel_for_nn' } }));
    expect(r?.reason).toBe('unsupported-attribute');
    expect(r?.message).toMatch(/tf_half_pixel_for_nn/);
  });
  it('non-constant sizes → requires-constant-input', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 2, 4, 4]);
    const s = b.input('s', [4], 'int64');
    b.output(b.node('Resize', [x, '', '', s], { mode: 'nearest' }, 'y'));
    expect(rejection(b.build())?.reason).toBe('requires-constant-input');
  });
});

describe('Upsample (opsets 7, 9) and Resize-10', () => {
  for (const mode of ['nearest', 'linear']) {
    it(`Upsample-7 ${mode} scales attribute 2x`, async () => {
      const b = new OnnxGraphBuilder({ opset: 7 });
      const x = b.input('x', [1, 2, 4, 5]);
      b.output(b.node('Upsample', [x], { mode, scales: { kind: 'floats', value: [1, 1, 2, 2] } }, 'y'));
      await expectMatchesOrt(b.build(), { tol: mode === 'nearest' ? 0 : undefined });
    });
    it(`Upsample-9 ${mode} scales input 3x2`, async () => {
      const b = new OnnxGraphBuilder({ opset: 9 });
      const x = b.input('x', [1, 2, 4, 5]);
      const sc = b.init('scales', [4], [1, 1, 3, 2]);
      b.output(b.node('Upsample', [x, sc], { mode }, 'y'));
      await expectMatchesOrt(b.build(), { tol: mode === 'nearest' ? 0 : undefined });
    });
    it(`Resize-10 ${mode} 2x`, async () => {
      const b = new OnnxGraphBuilder({ opset: 10 });
      const x = b.input('x', [1, 2, 4, 5]);
      const sc = b.init('scales', [4], [1, 1, 2, 2]);
      b.output(b.node('Resize', [x, sc], { mode }, 'y'));
      await expectMatchesOrt(b.build(), { tol: mode === 'nearest' ? 0 : undefined });
    });
  }
});
