import { describe, expect, it } from 'vitest';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { OnnxGraphBuilder, type AttrValue } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

type Case = [string, 'MaxPool' | 'AveragePool', Record<string, AttrValue>, number[]?];

const CASES: Case[] = [
  ['max k2 d2', 'MaxPool', { kernel_shape: [2, 2], dilations: [2, 2] }],
  ['max k3 d2 s2 pads 2', 'MaxPool', { kernel_shape: [3, 3], dilations: [2, 2], strides: [2, 2], pads: [2, 2, 2, 2] }],
  ['max k3 d3,2 s1,2 asymmetric pads', 'MaxPool', { kernel_shape: [3, 2], dilations: [3, 2], strides: [1, 2], pads: [1, 0, 2, 1] }],
  ['max k2 d2 s2 ceil_mode', 'MaxPool', { kernel_shape: [2, 2], dilations: [2, 2], strides: [2, 2], ceil_mode: 1 }],
  ['avg k2 d2', 'AveragePool', { kernel_shape: [2, 2], dilations: [2, 2] }],
  ['avg k3 d2 pads 1 count_include_pad 0', 'AveragePool', { kernel_shape: [3, 3], dilations: [2, 2], pads: [1, 1, 1, 1] }],
  ['avg k3 d2 pads 1,2,2,1 count_include_pad 1', 'AveragePool', { kernel_shape: [3, 3], dilations: [2, 2], pads: [1, 2, 2, 1], count_include_pad: 1 }],
  ['avg k2 d3 s2', 'AveragePool', { kernel_shape: [2, 2], dilations: [3, 3], strides: [2, 2] }],
  ['max k6×8 d3 s3 (strides multiple of the dilations: one STRIDED_SLICE + MAX_POOL_2D)', 'MaxPool', { kernel_shape: [6, 8], dilations: [3, 3], strides: [3, 6], pads: [3, 2, 3, 4] }, [1, 2, 30, 40]],
  ['avg k5×4 d2 s2 count_include_pad 0 (subsampled)', 'AveragePool', { kernel_shape: [5, 4], dilations: [2, 2], strides: [2, 4], pads: [2, 1, 2, 3] }, [1, 2, 20, 22]],
  ['avg k3 d2 s4 count_include_pad 1 (subsampled)', 'AveragePool', { kernel_shape: [3, 3], dilations: [2, 2], strides: [4, 4], pads: [1, 1, 1, 1], count_include_pad: 1 }, [1, 2, 13, 14]],
  ['1-D max k3 d2 s2 pads 1', 'MaxPool', { kernel_shape: [3], dilations: [2], strides: [2], pads: [1, 1] }, [1, 3, 15]],
];

describe('dilated MaxPool / AveragePool → STRIDED_SLICE taps + MAXIMUM / ADD vs onnxruntime', () => {
  for (const [name, op, attrs, shape] of CASES) {
    for (const keepIoLayout of [false, true]) {
      it(`${name}${keepIoLayout ? ' (NCHW I/O)' : ''}`, async () => {
        // AveragePool has dilations since opset 19
        const b = new OnnxGraphBuilder({ opset: op === 'AveragePool' ? 19 : 13 });
        b.output(b.node(op, [b.input('x', shape ?? [1, 3, 11, 12])], attrs, 'y'));
        const { graph } = await expectMatchesOrt(b.build(), { keepIoLayout });
        const h = opHistogram(graph);
        expect(h.STRIDED_SLICE).toBeGreaterThanOrEqual(1);
        if (!keepIoLayout && (!shape || shape.length === 4)) {
          expect(h.TRANSPOSE ?? 0).toBe(0);
          expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
        }
      });
    }
  }

  it('rejects a dilated pool needing more than 32 slices when its strides are not multiples of the dilations', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('MaxPool', [b.input('x', [1, 1, 80, 80])], { kernel_shape: [20, 20], dilations: [2, 2], strides: [3, 3] }, 'y'));
    expect(() => importOnnx(b.build())).toThrowError(/cannot be converted/);
    try {
      importOnnx(b.build());
    } catch (e) {
      expect(JSON.stringify((e as { diagnostics?: unknown }).diagnostics)).toMatch(/needs 40 slices/);
    }
  });
});
