/**
 * GridSample vs onnxruntime on a conv's output (NHWC-held) with a run-time grid reaching outside the
 * image: every mode × padding × align_corners at opset 16 and 20, a batch of 2, both I/O layouts.
 * Every mode lowers to GPU-delegate ops only; cubic and 5-D inputs are refused by name.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, attr, normalFloat32 } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { expectMatchesOrt, importRejection, LAYOUTS, layoutName, opHistogram } from './harness.js';

function model(opset: number, mode: string, padding: string, align: number, n = 1, xShape = [n, 3, 5, 7]): Uint8Array {
  const b = new OnnxGraphBuilder({ opset });
  const x = b.input('x', xShape);
  const c = xShape[1]!;
  const conv = xShape.length === 4 ? b.node('Conv', [x, b.init('w', [c, c, 1, 1], normalFloat32(c * c, 2))]) : x;
  const grid = b.input('grid', [n, 4, 6, 2]);
  b.output(b.node('GridSample', [conv, grid], { mode: attr.string(mode), padding_mode: attr.string(padding), align_corners: attr.int(align) }, 'y'));
  return b.build();
}

describe('GridSample vs onnxruntime', () => {
  for (const [opset, modes] of [[16, ['bilinear', 'nearest']], [20, ['linear', 'nearest']]] as const) {
    for (const mode of modes) {
      for (const padding of ['zeros', 'border', 'reflection']) {
        for (const align of [0, 1]) {
          for (const keepIoLayout of LAYOUTS) {
            it(`opset ${opset} ${mode} ${padding} align_corners ${align} (${layoutName(keepIoLayout)})`, async () => {
              const { graph } = await expectMatchesOrt(model(opset, mode, padding, align, opset === 20 ? 2 : 1), { keepIoLayout, range: [-1.4, 1.4] });
              const h = opHistogram(graph);
              expect(h.GATHER).toBe(mode === 'nearest' ? 1 : 4);
              expect(checkGpuCompat(graph).unsupportedLines.join('\n'), 'GPU delegate rules').toBe('');
            });
          }
        }
      }
    }
  }

  for (const padding of ['zeros', 'border']) {
    it(`nearest: coordinates exactly halfway between pixels round half to even (${padding})`, async () => {
      // align_corners 0, size 4: g = (k + 1)/2 − 1 lands on pixel coordinate k + ½
      const halves = [-1, -0.5, 0, 0.5, 1, -0.75, 0.25];
      const g = Float32Array.from({ length: 7 * 7 * 2 }, (_, i) => halves[i % 2 === 0 ? Math.floor(i / 2) % 7 : Math.floor(i / 14)]!);
      const b = new OnnxGraphBuilder({ opset: 16 });
      const x = b.input('x', [1, 2, 4, 4]);
      const conv = b.node('Conv', [x, b.init('w', [2, 2, 1, 1], normalFloat32(4, 6))]);
      b.output(b.node('GridSample', [conv, b.init('grid', [1, 7, 7, 2], g)], { mode: attr.string('nearest'), padding_mode: attr.string(padding) }, 'y'));
      // a pixel off by one is an error of the order of the output's range; the conv's own rounding is ~1e-8
      await expectMatchesOrt(b.build());
    });
  }

  it('refuses cubic naming the mode, and a 5-D input', () => {
    const cubic = importRejection(model(20, 'cubic', 'zeros', 0));
    expect(cubic.diagnostics.map((d) => d.reason)).toEqual(['unsupported-attribute']);
    expect(cubic.diagnostics[0]!.message).toMatch(/GridSample mode 'cubic' is not lowered/);
    const b = new OnnxGraphBuilder({ opset: 20 });
    b.output(b.node('GridSample', [b.input('x', [1, 1, 3, 2, 2]), b.input('grid', [1, 2, 2, 2, 3])], {}, 'y'));
    const vol = importRejection(b.build());
    expect(vol.diagnostics.map((d) => d.reason)).toEqual(['unsupported-shape']);
    expect(vol.diagnostics[0]!.message).toMatch(/only 4-D/);
  });
});
