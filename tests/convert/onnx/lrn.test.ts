/**
 * LRN against onnxruntime: window sizes 1 to 7, windows wider than the channels, on an input and on a conv's NHWC-held output (no TRANSPOSE), in both I/O layouts.
 * The conformance suite covers size 3 on a 5×5×5×5 input.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, attr, normalFloat32 } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { expectMatchesOrt, importRejection, LAYOUTS, layoutName, opHistogram } from './harness.js';

function model(shape: number[], size: number, conv: boolean, a: { alpha?: number; beta?: number; bias?: number } = {}): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 13 });
  let x = b.input('x', shape);
  const c = shape[1]!;
  if (conv) x = b.node('Conv', [x, b.init('w', [c, c, 1, 1], normalFloat32(c * c, 3))]);
  const attrs = { size: attr.int(size), ...(a.alpha !== undefined ? { alpha: attr.float(a.alpha) } : {}), ...(a.beta !== undefined ? { beta: attr.float(a.beta) } : {}), ...(a.bias !== undefined ? { bias: attr.float(a.bias) } : {}) };
  b.output(b.node('LRN', [x], attrs, 'y'));
  return b.build();
}

describe('ONNX LRN vs onnxruntime', () => {
  const cases: Array<[number[], number, boolean, { alpha?: number; beta?: number; bias?: number }]> = [
    [[1, 8, 5, 6], 5, true, { alpha: 1e-2, beta: 0.75, bias: 2 }],
    [[1, 8, 5, 6], 3, true, { alpha: 0.5, beta: 0.6, bias: 1 }],
    [[2, 6, 4, 4], 3, false, {}],
    [[1, 3, 4, 5], 7, false, { alpha: 1, beta: 1 }],
    [[1, 16, 3, 3], 1, true, { alpha: 0.3 }],
  ];
  for (const keepIoLayout of LAYOUTS) {
    for (const [shape, size, conv, a] of cases) {
      it(`size ${size} [${shape}] ${JSON.stringify(a)}${conv ? ' after a Conv' : ''} (${layoutName(keepIoLayout)})`, async () => {
        const { graph } = await expectMatchesOrt(model(shape, size, conv, a), { keepIoLayout, range: [-3, 3] });
        expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
        const h = opHistogram(graph);
        expect(h.LOCAL_RESPONSE_NORMALIZATION).toBeUndefined();
        if (!keepIoLayout) expect(h.TRANSPOSE).toBeUndefined();
      });
    }
  }

  it('refuses an even size (asymmetric in ONNX; onnxruntime refuses it too) by name', () => {
    const e = importRejection(model([1, 4, 6, 6], 4, false));
    expect(e.diagnostics[0]).toMatchObject({ reason: 'unsupported-attribute', opType: 'LRN' });
    expect(e.diagnostics[0]!.message).toMatch(/only odd window sizes/);
  });

  it('refuses a 3-D input by name', () => {
    const e = importRejection(model([1, 4, 6], 3, false));
    expect(e.diagnostics[0]).toMatchObject({ reason: 'unsupported-shape', opType: 'LRN' });
  });
});
