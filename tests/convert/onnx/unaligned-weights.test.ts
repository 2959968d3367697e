/**
 * raw_data at an offset its typed array cannot view: read lazily (no up-front copy), conv weights
 * permuted straight from the bytes — with the same values as the aligned path.
 */
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../../src/convert/onnx/decode.js';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { permuteFloat32Bytes } from '../../../src/convert/onnx/layout.js';
import { dataOnce, hasData, readTensorProto, unalignedBytes } from '../../../src/convert/onnx/tensor-data.js';
import { OnnxGraphBuilder, normalFloat32, tensorProto } from '../../helpers/onnx-builder.js';
import { permuteData } from '../../../src/ir/ndarray.js';

/** `values` as float32 bytes starting `offset` bytes into a larger buffer. */
function bytesAt(values: Float32Array, offset: number): Uint8Array {
  const buf = new Uint8Array(values.byteLength + offset);
  buf.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
  return buf.subarray(offset);
}

describe('permuteFloat32Bytes', () => {
  const cases: Array<{ shape: number[]; perm: number[] }> = [
    { shape: [5, 3, 2, 4], perm: [0, 2, 3, 1] },
    { shape: [6, 1, 3, 2], perm: [1, 2, 3, 0] },
    { shape: [2, 3, 4, 5], perm: [3, 1, 0, 2] },
    { shape: [4, 1, 1, 3], perm: [0, 2, 3, 1] }, // only size-1 axes move
    { shape: [3, 4, 5], perm: [2, 0, 1] }, // not 4-D
  ];
  for (const { shape, perm } of cases) {
    it(`[${shape}] by [${perm}] at every byte offset equals permuteData`, () => {
      const values = normalFloat32(shape.reduce((a, b) => a * b, 1), 7);
      const want = Array.from(permuteData('float32', values, shape, perm) as Float32Array);
      for (let offset = 0; offset < 4; offset++) {
        const got = permuteFloat32Bytes(bytesAt(values, offset), shape, perm);
        expect(got).toBeInstanceOf(Float32Array);
        expect(Array.from(got)).toEqual(want);
      }
    });
  }
});

describe('unaligned raw_data', () => {
  it('is not copied until data is read, then copied once and kept', () => {
    const values = normalFloat32(6, 3);
    const proto = tensorProto({ name: 't', dtype: 'float32', shape: [2, 3], data: values, storage: 'raw' });
    proto.rawData = bytesAt(values, 1);
    const c = readTensorProto(proto);
    expect(unalignedBytes(c)?.byteOffset).toBe(1);
    expect(hasData(c)).toBe(true);
    const once = dataOnce(c)!;
    expect(Array.from(once as Float32Array)).toEqual(Array.from(values));
    expect(unalignedBytes(c)).toBeDefined(); // a one-time read leaves nothing behind
    const data = c.data!;
    expect(data).toBeInstanceOf(Float32Array);
    expect(Array.from(data as Float32Array)).toEqual(Array.from(values));
    expect(c.data).toBe(data);
    expect(unalignedBytes(c)).toBeUndefined();
    expect({ ...c }.data).toBe(data); // spread (Reshape folding) keeps the data
  });

  it('aligned raw_data is a plain view (nothing pending)', () => {
    const proto = tensorProto({ name: 't', dtype: 'float32', shape: [4], data: normalFloat32(4, 1), storage: 'raw' });
    proto.rawData = bytesAt(new Float32Array(4).fill(2), 0);
    const c = readTensorProto(proto);
    expect(unalignedBytes(c)).toBeUndefined();
    expect(Array.from(c.data as Float32Array)).toEqual([2, 2, 2, 2]);
  });

  it('Conv weights at every offset in the file become the same OHWI / depthwise weights', () => {
    const w = normalFloat32(4 * 3 * 3 * 3, 11);
    const dw = normalFloat32(6 * 1 * 3 * 3, 12);
    const offsets = new Set<number>();
    for (let pad = 0; pad < 4; pad++) {
      const b = new OnnxGraphBuilder({ opset: 13, graphName: 'g'.repeat(pad + 1) });
      const x = b.input('x', [1, 3, 6, 6]);
      b.output(b.node('Conv', [x, b.init('w', [4, 3, 3, 3], w)], { pads: [1, 1, 1, 1] }, 'y'));
      b.output(b.node('Conv', [x, b.init('dw', [6, 1, 3, 3], dw)], { pads: [1, 1, 1, 1], group: 3 }, 'z'));
      const bytes = b.build();
      for (const t of decodeModel(bytes).graph!.initializer!) if (t.name === 'w' || t.name === 'dw') offsets.add(t.rawData!.byteOffset % 4);
      const g = importOnnx(bytes);
      const conv = g.nodes.find((n) => n.op === 'CONV_2D')!;
      const depthwise = g.nodes.find((n) => n.op === 'DEPTHWISE_CONV_2D')!;
      expect(Array.from(g.tensor(conv.inputs[1]!).data as Float32Array)).toEqual(Array.from(permuteData('float32', w, [4, 3, 3, 3], [0, 2, 3, 1]) as Float32Array));
      expect(Array.from(g.tensor(depthwise.inputs[1]!).data as Float32Array)).toEqual(Array.from(permuteData('float32', dw, [6, 1, 3, 3], [1, 2, 3, 0]) as Float32Array));
    }
    expect([...offsets].some((o) => o !== 0)).toBe(true);
  });
});
