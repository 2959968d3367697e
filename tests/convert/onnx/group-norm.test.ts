/**
 * GroupNormalization against onnxruntime: opset 18 (scale / bias per group) and 21 (per channel), on an
 * input (NHWC or NCHW I/O), on a conv's NHWC-held output (grouped in place: no TRANSPOSE) and on 3-D
 * input; every emitted op passes the GPU rule table. The conformance suite covers opset 21 on 4-D input.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, attr, normalFloat32 } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { expectMatchesOrt, importRejection, LAYOUTS, layoutName, opHistogram } from './harness.js';

function model(opset: 18 | 21, shape: number[], groups: number, conv: boolean, eps = 1e-5): Uint8Array {
  const b = new OnnxGraphBuilder({ opset });
  const c = shape[1]!;
  let x = b.input('x', shape);
  if (conv) x = b.node('Conv', [x, b.init('w', [c, c, 1, 1], normalFloat32(c * c, 3)), b.init('wb', [c], normalFloat32(c, 4))]);
  const n = opset === 18 ? groups : c;
  b.output(b.node('GroupNormalization', [x, b.init('scale', [n], normalFloat32(n, 1)), b.init('bias', [n], normalFloat32(n, 2))], { num_groups: attr.int(groups), epsilon: attr.float(eps) }, 'y'));
  return b.build();
}

describe('ONNX GroupNormalization vs onnxruntime', () => {
  const cases: Array<[18 | 21, number[], number, boolean]> = [
    [21, [2, 6, 5, 4], 3, false],
    [21, [1, 8, 6, 6], 2, true],
    [21, [1, 8, 6, 6], 8, true],
    [18, [2, 6, 5, 4], 2, false],
    [18, [1, 4, 7, 3], 4, true],
    [21, [2, 6, 9], 3, false],
    [18, [1, 4, 9], 1, false],
  ];
  for (const keepIoLayout of LAYOUTS) {
    for (const [opset, shape, groups, conv] of cases) {
      it(`opset ${opset} [${shape}] ${groups} groups${conv ? ' after a Conv' : ''} (${layoutName(keepIoLayout)})`, async () => {
        const { graph } = await expectMatchesOrt(model(opset, shape, groups, conv), { keepIoLayout, range: [-3, 5] });
        expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
        const h = opHistogram(graph);
        expect(h.MEAN).toBe(2);
        // NCHW I/O around a Conv: the two boundary transposes only
        expect(h.TRANSPOSE ?? 0, JSON.stringify(h)).toBe(keepIoLayout && conv ? 2 : 0);
      });
    }
  }

  it('refuses num_groups that does not divide the channels, naming the node', () => {
    const e = importRejection(model(21, [1, 6, 4, 4], 4, false));
    expect(e.diagnostics[0]).toMatchObject({ reason: 'unsupported-attribute', opType: 'GroupNormalization' });
    expect(e.diagnostics[0]!.message).toMatch(/num_groups 4 must divide the 6 channels/);
  });

  it('refuses an opset-18 scale given per channel (opset 18 takes one per group)', () => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    const x = b.input('x', [1, 6, 4, 4]);
    b.output(b.node('GroupNormalization', [x, b.init('scale', [6], normalFloat32(6, 1)), b.init('bias', [6], normalFloat32(6, 2))], { num_groups: attr.int(3) }, 'y'));
    const e = importRejection(b.build());
    expect(e.diagnostics[0]).toMatchObject({ reason: 'shape-mismatch', opType: 'GroupNormalization' });
    expect(e.diagnostics[0]!.message).toMatch(/one per group \(3\)/);
  });
});
