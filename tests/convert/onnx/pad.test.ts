import { describe, expect, it } from 'vitest';
import { isMaiError } from '../../../src/core/errors.js';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { OnnxGraphBuilder, type AttrValue } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

type Case = { name: string; shape: number[]; pads: number[]; mode?: string; value?: number; axes?: number[]; opset?: number; op: string };

const CASES: Case[] = [
  { name: 'constant 0 on H, W', shape: [1, 3, 5, 6], pads: [0, 0, 1, 2, 0, 0, 3, 1], op: 'PAD' },
  { name: 'constant 1.5 on H, W', shape: [1, 3, 5, 6], pads: [0, 0, 2, 0, 0, 0, 1, 3], value: 1.5, op: 'PADV2' },
  { name: 'constant on the channel axis', shape: [1, 3, 4, 4], pads: [0, 2, 0, 0, 0, 1, 0, 0], op: 'PAD' },
  { name: 'constant −2 on every axis', shape: [1, 2, 3, 4], pads: [1, 1, 1, 1, 1, 1, 1, 1], value: -2, op: 'PADV2' },
  { name: 'negative pads crop (SLICE) with positive pads', shape: [1, 3, 6, 7], pads: [0, 0, -1, 2, 0, 0, 1, -2], op: 'SLICE' },
  { name: 'only negative pads (SLICE)', shape: [1, 3, 6, 7], pads: [0, 0, -1, -2, 0, 0, -2, 0], op: 'SLICE' },
  { name: 'reflect H, W', shape: [1, 3, 5, 6], pads: [0, 0, 2, 1, 0, 0, 1, 3], mode: 'reflect', op: 'MIRROR_PAD' },
  { name: 'reflect 3-D [N, C, L]', shape: [2, 3, 7], pads: [0, 0, 3, 0, 0, 2], mode: 'reflect', op: 'MIRROR_PAD' },
  { name: 'edge 1 on H, W', shape: [1, 3, 5, 6], pads: [0, 0, 1, 1, 0, 0, 1, 1], mode: 'edge', op: 'CONCATENATION' },
  { name: 'edge 2,0 / 3,1 asymmetric', shape: [1, 2, 4, 5], pads: [0, 0, 2, 0, 0, 0, 3, 1], mode: 'edge', op: 'CONCATENATION' },
  { name: 'edge on C', shape: [1, 3, 4, 4], pads: [0, 1, 0, 0, 0, 2, 0, 0], mode: 'edge', op: 'CONCATENATION' },
  { name: 'edge 2-D', shape: [4, 5], pads: [1, 2, 2, 0], mode: 'edge', op: 'CONCATENATION' },
  { name: 'constant on every axis of a rank-3 tensor (a 4-D view for the GPU)', shape: [3, 5, 6], pads: [0, 1, 2, 1, 0, 1], op: 'PAD' },
  { name: 'constant 2-D, crop and pad', shape: [6, 7], pads: [-1, 2, 1, -3], value: 0.25, op: 'PADV2' },
  { name: 'wrap H, W', shape: [1, 3, 5, 6], pads: [0, 0, 2, 1, 0, 0, 1, 6], mode: 'wrap', op: 'CONCATENATION' },
  { name: 'wrap 3-D on C and L', shape: [1, 4, 6], pads: [0, 1, 2, 0, 2, 0], mode: 'wrap', op: 'CONCATENATION' },
  { name: 'opset 2 attributes, value 0.5', shape: [1, 3, 4, 5], pads: [0, 0, 1, 2, 0, 0, 2, 1], value: 0.5, opset: 2, op: 'PADV2' },
  { name: 'opset 2 reflect', shape: [1, 3, 4, 5], pads: [0, 0, 1, 2, 0, 0, 2, 1], mode: 'reflect', opset: 2, op: 'MIRROR_PAD' },
  { name: 'opset 18 axes [2, 3]', shape: [1, 3, 4, 5], pads: [1, 2, 3, 0], axes: [2, 3], op: 'PAD' },
  { name: 'opset 18 negative axes [-1]', shape: [1, 3, 4, 5], pads: [2, 1], axes: [-1], value: 3, op: 'PADV2' },
];

function model(cs: Case): Uint8Array {
  const opset = cs.opset ?? (cs.axes ? 18 : 13);
  const b = new OnnxGraphBuilder({ opset });
  const x = b.input('x', cs.shape);
  const attrs: Record<string, AttrValue> = {};
  if (cs.mode) attrs.mode = cs.mode;
  let y: string;
  if (opset < 11) {
    attrs.pads = cs.pads;
    if (cs.value !== undefined) attrs.value = cs.value;
    y = b.node('Pad', [x], attrs, 'y');
  } else {
    const inputs = [x, b.init('pads', [cs.pads.length], BigInt64Array.from(cs.pads.map(BigInt)), 'int64')];
    inputs.push(cs.value !== undefined ? b.init('value', [], Float32Array.of(cs.value)) : '');
    if (cs.axes) inputs.push(b.init('axes', [cs.axes.length], BigInt64Array.from(cs.axes.map(BigInt)), 'int64'));
    y = b.node('Pad', inputs, attrs, 'y');
  }
  b.output(y);
  return b.build();
}

describe('ONNX Pad vs onnxruntime', () => {
  for (const cs of CASES) {
    for (const keepIoLayout of [false, true]) {
      it(`${cs.name}${keepIoLayout ? ' (NCHW I/O)' : ''}`, async () => {
        const { graph } = await expectMatchesOrt(model(cs), { keepIoLayout });
        expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
        const h = opHistogram(graph);
        expect(h[cs.op]).toBeGreaterThanOrEqual(1);
        if (!keepIoLayout || cs.shape.length !== 4) expect(h.TRANSPOSE ?? 0).toBe(0);
      });
    }
  }

  const rejected = (cs: Case | Uint8Array, pattern: RegExp) => {
    try {
      importOnnx(cs instanceof Uint8Array ? cs : model(cs));
      expect.unreachable();
    } catch (e) {
      expect(isMaiError(e)).toBe(true);
      const msg = `${(e as Error).message} ${JSON.stringify((e as { diagnostics?: unknown }).diagnostics)}`;
      expect(msg).toMatch(/Pad_node_0/);
      expect(msg).toMatch(pattern);
    }
  };
  it('rejects wrap pads larger than the axis', () => rejected({ name: '', shape: [1, 2, 3, 3], pads: [0, 0, 4, 1, 0, 0, 1, 1], mode: 'wrap', op: '' }, /wrap pads .* at most the padded axis/));
  it('rejects reflect pads as large as the axis', () => rejected({ name: '', shape: [1, 2, 3, 3], pads: [0, 0, 3, 0, 0, 0, 0, 0], mode: 'reflect', op: '' }, /smaller than the padded axis/));
  it('rejects runtime pads', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 2, 3, 3]);
    b.output(b.node('Pad', [x, b.input('p', [8], 'int64')], {}, 'y'));
    rejected(b.build(), /Pad pads \(input 'p'\) must be a constant/);
  });
});
