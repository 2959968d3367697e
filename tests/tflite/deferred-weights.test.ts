/**
 * Weights permuted straight into the writer's output: a deferred constant is filled once, in
 * place in the returned buffer, and the file is byte-identical to writing the same values eagerly.
 * Through the ONNX converter: Conv and MatMul weights stay deferred until written.
 */
import { describe, expect, it } from 'vitest';
import { deferData, deferredData } from '../../src/ir/deferred-data.js';
import { permuteFloat32Into } from '../../src/convert/onnx/layout.js';
import { permuteData } from '../../src/ir/ndarray.js';
import { normalFloat32 } from '../../src/core/random.js';
import { convert } from '../../src/convert/index.js';
import { writeTflite, writeTfliteWithHoles } from '../../src/tflite/writer.js';
import { readTflite } from '../../src/tflite/reader.js';
import { IrBuilder } from '../helpers/ir-builder.js';
import { OnnxGraphBuilder } from '../helpers/onnx-builder.js';

describe('permuteFloat32Into', () => {
  const cases: Array<[number[], number[]]> = [
    [[5, 3, 2, 4], [0, 2, 3, 1]],
    [[5, 3, 2, 4], [1, 2, 3, 0]],
    [[4, 1, 1, 6], [0, 2, 3, 1]], // moves only size-1 axes: a plain copy
    [[7, 9], [1, 0]],
    [[2, 3, 4], [2, 0, 1]],
  ];
  for (const [shape, perm] of cases) {
    it(`[${shape}] by [${perm}], from aligned and unaligned bytes, equals permuteData`, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = normalFloat32(n, 3);
      const want = permuteData('float32', values, shape, perm) as Float32Array;
      for (const offset of [0, 1, 3]) {
        const buf = new Uint8Array(n * 4 + 4);
        buf.set(new Uint8Array(values.buffer), offset);
        const dst = new Float32Array(n);
        permuteFloat32Into(buf.subarray(offset, offset + n * 4), shape, perm, dst);
        expect(Array.from(dst), `offset ${offset}`).toEqual(Array.from(want));
      }
    });
  }
});

describe('deferred weights in the TFLite writer', () => {
  it('are filled once, inside the returned buffer, and give the same file as eager data', () => {
    const build = (deferred: boolean) => {
      const b = new IrBuilder(5);
      const x = b.input('x', [1, 6, 6, 3]);
      const y = b.conv2d(x, { out: 8, k: 3 });
      b.output(y);
      const w = b.graph.nodes[0]!.inputs[1]!;
      const t = b.graph.tensor(w);
      const values = t.data as Float32Array;
      const fills: Uint8Array[] = [];
      if (deferred) deferData(t, { byteLength: values.byteLength, fill: (dst) => (fills.push(dst), dst.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))) });
      return { g: b.graph, t, fills };
    };
    const eager = writeTflite(build(false).g);
    const d = build(true);
    const out = writeTflite(d.g);
    expect(d.fills).toHaveLength(1);
    expect(d.fills[0]!.buffer).toBe(out.buffer); // written in place, not assembled elsewhere and copied
    expect(d.fills[0]!.byteOffset % 16).toBe(0);
    expect(deferredData(d.t)).toBeDefined(); // never materialized
    expect(Buffer.compare(Buffer.from(out), Buffer.from(eager))).toBe(0);
  });

  it('writeTfliteWithHoles leaves each deferred constant untouched, in order; filling the holes gives writeTflite', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    let x = b.input('x', [1, 4, 6, 6]);
    for (let i = 0; i < 3; i++) x = b.node('Conv', [x, b.init(`w${i}`, [4, 4, 3, 3], normalFloat32(144, 20 + i)), b.init(`b${i}`, [4], new Float32Array(4))], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
    b.output(x);
    const bytes = b.build();
    const { graph } = convert({ bytes, file: 'h.onnx' });
    const parts = writeTfliteWithHoles(graph);
    expect(parts.holes).toHaveLength(3);
    for (const [i, h] of parts.holes.entries()) {
      expect(h.length).toBe(144 * 4);
      expect(h.offset % 16).toBe(0);
      if (i) expect(h.offset).toBeGreaterThanOrEqual(parts.holes[i - 1]!.offset + parts.holes[i - 1]!.length);
      expect(parts.bytes.subarray(h.offset, h.offset + h.length).every((v) => v === 0)).toBe(true);
    }
    const full = new Uint8Array(parts.bytes);
    for (const h of parts.holes) h.fill(full.subarray(h.offset, h.offset + h.length));
    expect(Buffer.compare(Buffer.from(full), Buffer.from(convert({ bytes, file: 'h.onnx' }).tflite))).toBe(0);
  });

  it('Conv and MatMul weights from ONNX stay deferred through convert and read back permuted (OHWI, [N,K])', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 5, 5]);
    const wv = normalFloat32(4 * 3 * 3 * 3, 11);
    const conv = b.node('Conv', [x, b.init('w', [4, 3, 3, 3], wv), b.init('b', [4], new Float32Array(4))], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
    const flat = b.node('Flatten', [b.node('GlobalAveragePool', [conv])]);
    const mv = normalFloat32(4 * 6, 12);
    b.output(b.node('MatMul', [flat, b.init('m', [4, 6], mv)]));
    const r = convert({ bytes: b.build(), file: 'w.onnx' });
    const weights = r.graph.nodes.filter((n) => n.op === 'CONV_2D' || n.op === 'FULLY_CONNECTED').map((n) => r.graph.tensor(n.inputs[1]!));
    expect(weights).toHaveLength(2);
    for (const t of weights) expect(deferredData(t), t.name).toBeDefined();
    const back = readTflite(r.tflite);
    const byOp = (op: string) => back.tensor(back.nodes.find((n) => n.op === op)!.inputs[1]!).data as Float32Array;
    expect(Array.from(byOp('CONV_2D'))).toEqual(Array.from(permuteData('float32', wv, [4, 3, 3, 3], [0, 2, 3, 1]) as Float32Array));
    expect(Array.from(byOp('FULLY_CONNECTED'))).toEqual(Array.from(permuteData('float32', mv, [4, 6], [1, 0]) as Float32Array));
  });
});
