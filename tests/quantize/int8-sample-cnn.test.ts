/**
 * int8 on the converted sample CNN (encoder–decoder: PAD, CONV_2D, DEPTHWISE,
 * ADD, RESIZE_BILINEAR, CONCATENATION, LOGISTIC): the written file read back
 * with our reader follows the quantization spec, and LiteRT (XNNPACK int8
 * kernels, the oracle) runs it close to the float model on held-out inputs.
 */
import { describe, expect, it } from 'vitest';
import { convert } from '../../src/convert/index.js';
import { buildEncoderDecoderOnnx } from '../../src/samples/encoder-decoder.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { calibrate } from '../../src/quantize/calibrate.js';
import { quantizeInt8 } from '../../src/quantize/int8.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { readTflite, writeTflite } from '../../src/tflite/index.js';
import type { Graph } from '../../src/ir/graph.js';
import type { HostTensor } from '../../src/runtime/types.js';
import { verify } from '../../src/ir/verify.js';
import { sqnrDb } from './sqnr.js';

const SIZE = 64;
const sample = (seed: number): HostTensor[] => [{ name: 'input', dtype: 'float32', shape: [1, SIZE, SIZE, 3], data: uniformFloat32(SIZE * SIZE * 3, seed, 0, 1) }];
// the float graph as read back from a written file: its nodes carry versions (CONV_2D v1…), which int8 must not keep
const floatGraph: Graph = readTflite(writeTflite(convert({ bytes: buildEncoderDecoderOnnx({ size: SIZE, width: 8 }) }).graph));
const calibration = [1, 2, 3, 4].map(sample);
const heldOut = [101, 102].map(sample);

async function outputsOf(bytes: Uint8Array, inputs: HostTensor[][]): Promise<Float32Array[]> {
  const m = await liteRtRuntime.load(bytes);
  try {
    const out: Float32Array[] = [];
    for (const x of inputs) out.push((await m.run(x))[0]!.data as Float32Array);
    return out;
  } finally {
    await m.dispose();
  }
}

describe('int8: sample CNN', async () => {
  const stats = await calibrate(floatGraph, calibration, { kind: 'percentile' });
  const result = quantizeInt8(floatGraph, stats);
  const bytes = writeTflite(result.graph);
  const back = readTflite(bytes);
  const q = (name: string) => back.tensor(name).quant!;

  it('is valid, keeps nothing float, and leaves the input graph untouched', () => {
    expect(verify(result.graph)).toEqual([]);
    expect(result.keptFloat).toEqual([]);
    expect(floatGraph.nodes.every((n) => n.outputs.every((o) => floatGraph.tensor(o).dtype === 'float32'))).toBe(true);
    expect(back.tensor(back.inputs[0]!).dtype).toBe('float32');
    expect(back.tensor(back.outputs[0]!).dtype).toBe('float32');
    expect(back.outputs).toEqual(floatGraph.outputs);
  });

  it('weights: int8 symmetric per-channel (CONV_2D axis 0, DEPTHWISE axis 3) in [−127, 127]', () => {
    let convs = 0;
    for (const n of back.nodes.filter((n) => n.op === 'CONV_2D' || n.op === 'DEPTHWISE_CONV_2D')) {
      const w = back.tensor(n.inputs[1]!);
      const axis = n.op === 'CONV_2D' ? 0 : 3;
      expect(w.dtype).toBe('int8');
      expect(w.quant!.axis ?? 0).toBe(axis);
      expect(w.quant!.scale).toHaveLength(w.shape[axis]!);
      expect(w.quant!.zeroPoint.every((z) => z === 0)).toBe(true);
      expect(Math.min(...(w.data as Int8Array))).toBeGreaterThanOrEqual(-127);
      convs++;
    }
    expect(convs).toBe(13);
  });

  it('biases: int32 with scale = input scale × weight scale[c] (1e-6 relative), zero point 0', () => {
    let biases = 0;
    for (const n of back.nodes.filter((n) => n.op === 'CONV_2D' || n.op === 'DEPTHWISE_CONV_2D')) {
      if (!n.inputs[2]) continue;
      const b = back.tensor(n.inputs[2]);
      const inScale = q(n.inputs[0]!).scale[0]!;
      const w = q(n.inputs[1]!).scale;
      expect(b.dtype).toBe('int32');
      expect(b.quant!.scale).toHaveLength(w.length);
      b.quant!.scale.forEach((s, c) => expect(Math.abs(s - inScale * w[c]!) / (inScale * w[c]!)).toBeLessThan(1e-6));
      expect(b.quant!.zeroPoint.every((z) => z === 0)).toBe(true);
      biases++;
    }
    expect(biases).toBeGreaterThan(0);
  });

  it('activations: per-tensor int8, zero point in [−128, 127], 0 exactly representable', () => {
    for (const n of back.nodes) {
      if (n.op === 'DEQUANTIZE') continue;
      for (const o of n.outputs) {
        const t = back.tensor(o);
        expect(t.dtype, o).toBe('int8');
        expect(t.quant!.scale, o).toHaveLength(1);
        expect(t.quant!.zeroPoint[0]!, o).toBeGreaterThanOrEqual(-128);
        expect(t.quant!.zeroPoint[0]!, o).toBeLessThanOrEqual(127);
      }
    }
  });

  it('fixed LOGISTIC output (1/256, −128); shared params through CONCATENATION, RESIZE_BILINEAR and PAD', () => {
    const logistic = back.nodes.find((n) => n.op === 'LOGISTIC')!;
    expect(q(logistic.outputs[0]!).scale).toEqual([1 / 256]);
    expect(q(logistic.outputs[0]!).zeroPoint).toEqual([-128]);
    let shared = 0;
    for (const n of back.nodes.filter((n) => ['CONCATENATION', 'RESIZE_BILINEAR', 'PAD'].includes(n.op))) {
      const out = q(n.outputs[0]!);
      const dataInputs = n.op === 'CONCATENATION' ? n.inputs : [n.inputs[0]!];
      for (const i of dataInputs) {
        expect(q(i).scale, `${n.op} ${n.name} input ${i}`).toEqual(out.scale);
        expect(q(i).zeroPoint, `${n.op} ${n.name} input ${i}`).toEqual(out.zeroPoint);
      }
      shared++;
    }
    expect(shared).toBe(10);
  });

  it('op versions are the int8 minimums of op_version.cc (no stale float versions)', () => {
    const want: Record<string, number> = { CONV_2D: 3, DEPTHWISE_CONV_2D: 3, ADD: 2, LOGISTIC: 2, CONCATENATION: 2, PAD: 2, QUANTIZE: 1, DEQUANTIZE: 2 };
    for (const n of back.nodes) {
      if (n.op === 'RESIZE_BILINEAR') expect(n.version, n.name).toBe(n.attrs.halfPixelCenters ? 3 : 2);
      else expect(n.version, `${n.op} ${n.name}`).toBe(want[n.op]);
    }
  });

  it('runs in LiteRT with output SQNR ≥ 35 dB against the float model on held-out inputs (float I/O)', async () => {
    const ref = await outputsOf(writeTflite(floatGraph), heldOut);
    const got = await outputsOf(bytes, heldOut);
    for (let i = 0; i < ref.length; i++) expect(sqnrDb(ref[i]!, got[i]!)).toBeGreaterThan(35); // measured 41.1 dB
  });

  it('uint8 I/O: QUANTIZE uint8→int8 at the input, int8→uint8 at the output; LiteRT runs it as accurately', async () => {
    const u = quantizeInt8(floatGraph, stats, { io: 'uint8' });
    const ub = writeTflite(u.graph);
    const ug = readTflite(ub);
    const inT = ug.tensor(ug.inputs[0]!);
    const outT = ug.tensor(ug.outputs[0]!);
    expect(inT.dtype).toBe('uint8');
    expect(outT.dtype).toBe('uint8');
    expect(ug.consumersOf(ug.inputs[0]!).map((n) => n.op)).toEqual(['QUANTIZE']);
    expect(outT.quant!.scale).toEqual([1 / 256]);
    expect(outT.quant!.zeroPoint).toEqual([0]); // LOGISTIC's −128 shifted by 128
    const ref = await outputsOf(writeTflite(floatGraph), heldOut);
    const m = await liteRtRuntime.load(ub);
    const [s, z] = [inT.quant!.scale[0]!, inT.quant!.zeroPoint[0]!];
    for (let i = 0; i < heldOut.length; i++) {
      const x = heldOut[i]![0]!;
      const xu = Uint8Array.from(x.data as Float32Array, (v) => Math.min(255, Math.max(0, Math.round(v / s) + z)));
      const o = (await m.run([{ ...x, dtype: 'uint8', data: xu }]))[0]!;
      expect(o.dtype).toBe('uint8');
      const real = Float32Array.from(o.data as Uint8Array, (v) => (v - outT.quant!.zeroPoint[0]!) * outT.quant!.scale[0]!);
      expect(sqnrDb(ref[i]!, real)).toBeGreaterThan(35);
    }
    await m.dispose();
  });

  it('int8 I/O: the model input and output tensors are int8 themselves (no boundary QUANTIZE/DEQUANTIZE)', () => {
    const r = quantizeInt8(floatGraph, stats, { io: 'int8' });
    const g = readTflite(writeTflite(r.graph));
    expect(g.tensor(g.inputs[0]!).dtype).toBe('int8');
    expect(g.tensor(g.outputs[0]!).dtype).toBe('int8');
    expect(g.nodes.some((n) => n.op === 'DEQUANTIZE')).toBe(false);
    // the only QUANTIZE ops are int8 → int8 requantizes feeding a CONCATENATION (its inputs must share its scale)
    for (const n of g.nodes.filter((x) => x.op === 'QUANTIZE')) {
      expect(g.tensor(n.inputs[0]!).dtype).toBe('int8');
      expect(g.consumersOf(n.outputs[0]!).map((c) => c.op)).toEqual(['CONCATENATION']);
    }
  });

  it('CONCATENATION: inputs keep their own int8 ranges, requantized to the output parameters in front of it', async () => {
    const r = quantizeInt8(floatGraph, stats);
    const g = r.graph;
    const cat = g.nodes.find((n) => n.op === 'CONCATENATION');
    expect(cat).toBeDefined();
    const out = g.tensor(cat!.outputs[0]!).quant!;
    for (const i of cat!.inputs) expect([g.tensor(i).quant!.scale[0], g.tensor(i).quant!.zeroPoint[0]]).toEqual([out.scale[0], out.zeroPoint[0]]);
    const requantized = cat!.inputs.filter((i) => g.producerOf(i)?.op === 'QUANTIZE');
    expect(requantized.length).toBeGreaterThan(0);
    for (const i of requantized) expect(g.tensor(g.producerOf(i)!.inputs[0]!).quant!.scale[0]).not.toBe(out.scale[0]);
    const ref = await outputsOf(writeTflite(floatGraph), heldOut);
    const got = await outputsOf(writeTflite(g), heldOut);
    expect(sqnrDb(ref[0]!, got[0]!)).toBeGreaterThan(30);
  });

  it('keepFloat leaves the named node float between DEQUANTIZE and QUANTIZE, and the model still runs', async () => {
    const add = floatGraph.nodes.find((n) => n.op === 'ADD')!;
    const r = quantizeInt8(floatGraph, stats, { keepFloat: new Set([add.name]) });
    expect(r.keptFloat).toEqual([{ node: add.name, op: 'ADD', reason: 'kept float as asked (keepFloat)' }]);
    const g = r.graph;
    const node = g.nodes.find((n) => n.name === add.name)!;
    for (const i of node.inputs) expect(g.producerOf(i)?.op).toBe('DEQUANTIZE');
    expect(g.tensor(node.outputs[0]!).dtype).toBe('float32');
    expect(g.consumersOf(node.outputs[0]!).map((n) => n.op)).toContain('QUANTIZE');
    const ref = await outputsOf(writeTflite(floatGraph), heldOut);
    const got = await outputsOf(writeTflite(g), heldOut);
    expect(sqnrDb(ref[0]!, got[0]!)).toBeGreaterThan(35);
  });
});
