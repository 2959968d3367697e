/**
 * The real oracle: graphs written by writeTflite load and run in LiteRT.js
 * (Google's TFLite runtime, wasm/XNNPACK). Outputs are compared with tiny,
 * obviously-correct JS kernels (nhwc-ref.ts); the LiteRT run is what proves
 * the file valid.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../src/ir/graph.js';
import type { HostTensor } from '../../src/runtime/types.js';
import type { LoadedModel } from '../../src/runtime/types.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { writeTflite } from '../../src/tflite/index.js';
import { IrBuilder } from '../helpers/ir-builder.js';
import * as ref from './nhwc-ref.js';
import { captureLiteRtErrors } from './litert-errors.js';

const loaded: LoadedModel[] = [];
afterAll(async () => {
  for (const m of loaded) await m.dispose();
});

/** Write g, load it in LiteRT, run it on seeded inputs; returns inputs and outputs. */
async function run(g: Graph, seed = 1): Promise<{ ins: HostTensor[]; outs: HostTensor[] }> {
  const ins = g.inputs.map((name, i) => {
    const t = g.tensor(name);
    return { name, dtype: 'float32' as const, shape: [...t.shape], data: uniformFloat32(t.shape.reduce((a, b) => a * b, 1), seed * 100 + i) };
  });
  const { result: outs, errors } = await captureLiteRtErrors(async () => {
    const model = await liteRtRuntime.load(writeTflite(g));
    loaded.push(model);
    return model.run(ins);
  });
  expect(errors).toEqual([]);
  expect(outs.length).toBe(g.outputs.length);
  outs.forEach((o, i) => expect(o.shape).toEqual(g.tensor(g.outputs[i]!).shape));
  return { ins, outs };
}

const data = (g: Graph, name: string) => g.tensor(name).data as Float32Array;
const arr = (t: HostTensor): ref.Arr => ({ shape: t.shape, data: t.data as Float32Array });

describe('graphs written by writeTflite run in LiteRT and match a JS reference', () => {
  it('CONV_2D, SAME stride 1 and VALID stride 2', async () => {
    for (const [stride, padding] of [[1, 'SAME'], [2, 'VALID']] as const) {
      const b = new IrBuilder(11);
      const x = b.input('x', [1, 7, 7, 3]);
      const y = b.conv2d(x, { out: 5, k: 3, stride, padding });
      b.output(y);
      const node = b.graph.nodes[0]!;
      const { ins, outs } = await run(b.graph);
      const w = b.graph.tensor(node.inputs[1]!);
      const want = ref.conv2d(arr(ins[0]!), { shape: w.shape, data: w.data as Float32Array }, data(b.graph, node.inputs[2]!), stride, padding);
      expect(outs[0]!.shape).toEqual(want.shape);
      expect(ref.maxAbs(outs[0]!.data as Float32Array, want.data)).toBeLessThan(1e-5);
    }
  });

  it('ADD with fused RELU, then RELU6', async () => {
    const b = new IrBuilder(12);
    const x = b.input('a', [1, 4, 4, 8]);
    const y = b.input('b', [1, 4, 4, 8]);
    const s = b.binary('ADD', x, y, { activation: 'RELU' });
    b.output(s);
    const { ins, outs } = await run(b.graph);
    const a = ins[0]!.data as Float32Array;
    const c = ins[1]!.data as Float32Array;
    const want = Float32Array.from(a, (v, i) => Math.max(Math.fround(v + c[i]!), 0));
    expect(outs[0]!.data).toEqual(want);
    expect(want.some((v) => v === 0) && want.some((v) => v > 0)).toBe(true);
  });

  it('SOFTMAX (beta 1) over the last axis', async () => {
    const b = new IrBuilder(13);
    const x = b.input('logits', [3, 10]);
    b.output(b.op('SOFTMAX', [x], [3, 10], { beta: 1 }));
    const { ins, outs } = await run(b.graph);
    const want = ref.softmax(arr(ins[0]!));
    expect(ref.maxAbs(outs[0]!.data as Float32Array, want.data)).toBeLessThan(1e-6);
  });

  it('DEPTHWISE_CONV_2D', async () => {
    const b = new IrBuilder(14);
    const x = b.input('x', [1, 6, 6, 4]);
    b.output(b.depthwise(x, { k: 3 }));
    const node = b.graph.nodes[0]!;
    const { ins, outs } = await run(b.graph);
    const w = b.graph.tensor(node.inputs[1]!);
    const want = ref.depthwise(arr(ins[0]!), { shape: w.shape, data: w.data as Float32Array }, data(b.graph, node.inputs[2]!));
    expect(ref.maxAbs(outs[0]!.data as Float32Array, want.data)).toBeLessThan(1e-5);
  });

  it('MAX_POOL_2D and AVERAGE_POOL_2D (2×2, stride 2)', async () => {
    const b = new IrBuilder(15);
    const x = b.input('x', [1, 6, 6, 3]);
    const attrs = { padding: 'VALID', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' } as const;
    b.output(b.op('MAX_POOL_2D', [x], [1, 3, 3, 3], attrs));
    b.output(b.op('AVERAGE_POOL_2D', [x], [1, 3, 3, 3], attrs));
    const { ins, outs } = await run(b.graph);
    expect(ref.maxAbs(outs[0]!.data as Float32Array, ref.pool(arr(ins[0]!), 2, 'max').data)).toBe(0);
    expect(ref.maxAbs(outs[1]!.data as Float32Array, ref.pool(arr(ins[0]!), 2, 'avg').data)).toBeLessThan(1e-6);
  });

  it('RESIZE_BILINEAR ×2 (legacy coordinates)', async () => {
    const b = new IrBuilder(16);
    const x = b.input('x', [1, 3, 4, 2]);
    b.output(b.op('RESIZE_BILINEAR', [x, b.ints([6, 8])], [1, 6, 8, 2], { alignCorners: false, halfPixelCenters: false }));
    const { ins, outs } = await run(b.graph);
    expect(ref.maxAbs(outs[0]!.data as Float32Array, ref.resizeBilinear(arr(ins[0]!), 6, 8).data)).toBeLessThan(1e-6);
  });

  it('CONCATENATION on channels, TRANSPOSE, RESHAPE', async () => {
    const b = new IrBuilder(17);
    const x = b.input('x', [1, 2, 3, 2]);
    const y = b.input('y', [1, 2, 3, 3]);
    const c = b.op('CONCATENATION', [x, y], [1, 2, 3, 5], { axis: 3, activation: 'NONE' });
    const t = b.transpose(c, [0, 3, 1, 2]);
    b.output(b.reshape(t, [5, 6]));
    const { ins, outs } = await run(b.graph);
    const xs = ins[0]!.data as Float32Array;
    const ys = ins[1]!.data as Float32Array;
    const cat = new Float32Array(30);
    for (let p = 0; p < 6; p++) {
      cat.set(xs.subarray(p * 2, p * 2 + 2), p * 5);
      cat.set(ys.subarray(p * 3, p * 3 + 3), p * 5 + 2);
    }
    const want = ref.transpose({ shape: [1, 2, 3, 5], data: cat }, [0, 3, 1, 2]);
    expect(outs[0]!.data).toEqual(want.data);
  });

  it('FULLY_CONNECTED with bias', async () => {
    const b = new IrBuilder(18);
    const x = b.input('x', [2, 12]);
    b.output(b.fc(x, 7));
    const node = b.graph.nodes[0]!;
    const { ins, outs } = await run(b.graph);
    const w = b.graph.tensor(node.inputs[1]!);
    const want = ref.fullyConnected(arr(ins[0]!), { shape: w.shape, data: w.data as Float32Array }, data(b.graph, node.inputs[2]!));
    expect(ref.maxAbs(outs[0]!.data as Float32Array, want.data)).toBeLessThan(1e-5);
  });

  it('PAD with zeros and MEAN over H, W', async () => {
    const b = new IrBuilder(19);
    const x = b.input('x', [1, 2, 2, 2]);
    const pads = b.const(undefined, [4, 2], Int32Array.from([0, 0, 1, 0, 0, 1, 0, 0]), { dtype: 'int32' });
    b.output(b.op('PAD', [x, pads], [1, 3, 3, 2]));
    b.output(b.op('MEAN', [x, b.ints([1, 2])], [1, 1, 1, 2], { keepDims: true }));
    const { ins, outs } = await run(b.graph);
    const v = ins[0]!.data as Float32Array;
    const padded = new Float32Array(18);
    for (let y = 0; y < 2; y++) for (let xx = 0; xx < 2; xx++) for (let c = 0; c < 2; c++) padded[((y + 1) * 3 + xx) * 2 + c] = v[(y * 2 + xx) * 2 + c]!;
    expect(outs[0]!.data).toEqual(padded);
    const mean = [0, 1].map((c) => (v[c]! + v[2 + c]! + v[4 + c]! + v[6 + c]!) / 4);
    expect(ref.maxAbs(outs[1]!.data as Float32Array, mean)).toBeLessThan(1e-6);
  });

  it('DEQUANTIZE of a per-channel int8 constant (axis 0) added to the input', async () => {
    const b = new IrBuilder(21);
    const x = b.input('x', [3, 2, 2, 1]);
    const q = Int8Array.from({ length: 12 }, (_, i) => i * 9 - 50);
    const scales = [0.5, 0.25, 2];
    const zps = [1, -2, 0];
    b.graph.addTensor({ name: 'q', dtype: 'int8', shape: [3, 2, 2, 1], layout: 'plain', data: q, quant: { scale: scales, zeroPoint: zps, axis: 0 } });
    const d = b.op('DEQUANTIZE', ['q'], [3, 2, 2, 1]);
    b.output(b.binary('ADD', x, d));
    const { ins, outs } = await run(b.graph);
    const xs = ins[0]!.data as Float32Array;
    const want = Float32Array.from(xs, (v, i) => Math.fround(v + scales[Math.floor(i / 4)]! * (q[i]! - zps[Math.floor(i / 4)]!)));
    expect(outs[0]!.data).toEqual(want);
  });

  it('an op outside the table (ARG_MIN) with options captured raw is written again and runs', async () => {
    const b = new IrBuilder(20);
    const x = b.input('x', [1, 4, 4, 5]);
    const axis = b.const(undefined, [1], Int32Array.from([3]), { dtype: 'int32' });
    // ArgMinOptions { output_type: byte = INT32 (2) at vtable offset 4 }, captured as vtable bytes + inline bytes
    const raw = new Uint8Array([6, 0, 8, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    b.graph.addTensor({ name: 'am', dtype: 'int32', shape: [1, 4, 4], layout: 'plain' });
    b.graph.addNode({ name: 'argmin', op: 'ARG_MIN', inputs: [x, axis], outputs: ['am'], attrs: { rawOptions: { type: 57, bytes: raw } } });
    b.output('am');
    const { ins, outs } = await run(b.graph);
    const v = ins[0]!.data as Float32Array;
    const want = new Int32Array(16);
    for (let p = 0; p < 16; p++) {
      let best = 0;
      for (let c = 1; c < 5; c++) if (v[p * 5 + c]! < v[p * 5 + best]!) best = c;
      want[p] = best;
    }
    expect(outs[0]!.data).toEqual(want);
  });
});
