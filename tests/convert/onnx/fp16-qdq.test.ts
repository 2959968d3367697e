/**
 * Pre-quantized and fp16 ONNX against onnxruntime: fp16 initializers behind Cast, QDQ models (weights
 * DequantizeLinear'd from int8, activations through QuantizeLinear→DequantizeLinear) and
 * dynamic-quantized MatMul/Conv chains. Where the ONNX model rounds activations to 8 bits and mai
 * keeps them float, the tolerance is derived from the quantization steps (see each test).
 */
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { floatToHalf, halfToFloat } from '../../../src/ir/dtype.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import { OnnxGraphBuilder, normalFloat32, uniformFloat32 } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

/** Max |a − b|. */
function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Runs `model` in onnxruntime and its conversion in LiteRT (no 4-D I/O, so no layout change) on `feed`. */
async function bothRuntimes(model: Uint8Array, feed: { name: string; shape: number[]; data: Float32Array }) {
  const ort = await onnxRuntime.load(model);
  const [want] = await ort.run([{ ...feed, dtype: 'float32' }]);
  await ort.dispose();
  const g = importOnnx(model, { keepIoLayout: true });
  const lrt = await liteRtRuntime.load(writeTflite(g));
  const [got] = await lrt.run([{ ...feed, dtype: 'float32' }]);
  await lrt.dispose();
  return { g, want: want!.data as Float32Array, got: got!.data as Float32Array };
}

describe('fp16 weights', () => {
  it('float16 initializers behind Cast(to float) become float32 weights (no CAST op), within 1e-4 of onnxruntime', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 8, 8]);
    const h = (n: number, seed: number, std: number) => Uint16Array.from(normalFloat32(n, seed, std), (v) => floatToHalf(v));
    const w = b.node('Cast', [b.init('w16', [4, 3, 3, 3], h(108, 1, 0.3), 'float16')], { to: 1 });
    const bias = b.node('Cast', [b.init('b16', [4], h(4, 2, 0.1), 'float16')], { to: 1 });
    b.output(b.node('Relu', [b.node('Conv', [x, w, bias], { pads: [1, 1, 1, 1] })], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph)).toEqual({ CONV_2D: 1, RELU: 1 });
  });
});

describe('QDQ models', () => {
  // x → Q/DQ(s_in) → Conv(DQ(int8 W, per-channel s_w), DQ(int32 bias, s_in·s_w)) → Q/DQ(s_mid) → Relu → Q/DQ(s_out)
  const C = 3, M = 4;
  const sIn = 2 / 255, sMid = 0.05, sOut = 0.03;
  const wq = Int8Array.from(normalFloat32(M * C * 9, 5, 40), (v) => Math.max(-127, Math.min(127, Math.round(v))));
  const sW = [0.004, 0.006, 0.005, 0.003];
  const bq = Int32Array.from([100, -50, 0, 30]);

  function qdqModel(): Uint8Array {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, C, 6, 6]);
    const qdq = (v: string, s: number, zp: number, name: string) => {
      const sc = b.init(`${name}_scale`, [], [s]);
      const z = b.init(`${name}_zp`, [], [zp], 'uint8');
      return b.node('DequantizeLinear', [b.node('QuantizeLinear', [v, sc, z]), sc, z]);
    };
    const xd = qdq(x, sIn, 128, 'in');
    const w = b.node('DequantizeLinear', [b.init('w_q', [M, C, 3, 3], wq, 'int8'), b.init('w_scale', [M], sW), b.init('w_zp', [M], [0, 0, 0, 0], 'int8')], { axis: 0 });
    const bias = b.node('DequantizeLinear', [b.init('b_q', [M], bq, 'int32'), b.init('b_scale', [M], sW.map((s) => Math.fround(s * sIn))), b.init('b_zp', [M], [0, 0, 0, 0], 'int32')], { axis: 0 });
    const conv = qdq(b.node('Conv', [xd, w, bias], { pads: [1, 1, 1, 1] }, 'conv_out'), sMid, 128, 'mid');
    b.output(qdq(b.node('Relu', [conv]), sOut, 0, 'out'), [1, M, 6, 6]);
    return b.build();
  }

  it('weights import as float32 with their per-channel quant params; activations keep the Q/DQ scale and zero point', () => {
    const g = importOnnx(qdqModel());
    expect(opHistogram(g)).toEqual({ CONV_2D: 1, RELU: 1 });
    const conv = g.nodes.find((n) => n.op === 'CONV_2D')!;
    const w = g.tensor(conv.inputs[1]!);
    expect(w.dtype).toBe('float32');
    expect(w.quant).toEqual({ scale: sW.map(Math.fround), zeroPoint: [0, 0, 0, 0], axis: 0 }); // OHWI: output channel stays axis 0
    // W_f = s_w · q exactly as DequantizeLinear computes it
    expect(w.data![0]).toBe(Math.fround(wq[0]! * Math.fround(sW[0]!)));
    expect(g.tensor(conv.inputs[0]!).quant).toEqual({ scale: [Math.fround(sIn)], zeroPoint: [128] });
    expect(g.tensor(conv.outputs[0]!).quant).toEqual({ scale: [Math.fround(sMid)], zeroPoint: [128] });
  });

  it('a dequantized weight transposed before use keeps its per-axis params (axis permuted)', () => {
    const b2 = new OnnxGraphBuilder({ opset: 13 });
    const x2 = b2.input('x', [3, 4]);
    const w2 = b2.node('DequantizeLinear', [b2.init('wq', [4, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'int8'), b2.init('ws', [4], [0.5, 0.25, 0.125, 1]), b2.init('wz', [4], [0, 0, 0, 0], 'int8')], { axis: 0 });
    b2.output(b2.node('Add', [x2, b2.node('Transpose', [w2], { perm: [1, 0] })], {}, 'y'));
    const g2 = importOnnx(b2.build());
    const add2 = g2.nodes.find((n) => n.op === 'ADD')!;
    expect(g2.tensor(add2.inputs[1]!).quant).toEqual({ scale: [0.5, 0.25, 0.125, 1], zeroPoint: [0, 0, 0, 0], axis: 1 });
  });

  it('a per-channel dequantized MatMul weight keeps its params on the FULLY_CONNECTED weights ([N, K]: axis 0), within 1e-4 of onnxruntime', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [2, 3]);
    const w = b.node('DequantizeLinear', [b.init('wq', [3, 4], [1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12], 'int8'), b.init('ws', [4], [0.5, 0.25, 0.125, 1]), b.init('wz', [4], [0, 0, 0, 0], 'int8')], { axis: 1 });
    b.output(b.node('MatMul', [x, w], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    const fc = graph.nodes.find((n) => n.op === 'FULLY_CONNECTED')!;
    expect(graph.tensor(fc.inputs[1]!).quant).toEqual({ scale: [0.5, 0.25, 0.125, 1], zeroPoint: [0, 0, 0, 0], axis: 0 });
  });

  it('matches onnxruntime within the error the skipped activation rounding allows', async () => {
    const model = qdqModel();
    const data = uniformFloat32(C * 36, 3, -1, 1);
    const { want, got } = await bothRuntimes(model, { name: 'x', shape: [1, C, 6, 6], data });
    // ORT rounds x (≤ s_in/2 per element, spread through the conv by Σ|W_f| over one output's 27 taps),
    // the conv output (≤ s_mid/2; Relu is 1-Lipschitz) and the output (≤ s_out/2); mai rounds none of them.
    let sumW = 0;
    for (let m = 0; m < M; m++) {
      let s = 0;
      for (let k = 0; k < C * 9; k++) s += Math.abs(wq[m * C * 9 + k]! * sW[m]!);
      sumW = Math.max(sumW, s);
    }
    const bound = (sIn / 2) * sumW + sMid / 2 + sOut / 2;
    const err = maxAbs(want, got);
    expect(err).toBeLessThanOrEqual(bound);
    expect(err).toBeGreaterThan(0); // the rounding really was skipped (the oracle can tell)
  });

  it('a QuantizeLinear whose uint8 output is a graph output is computed (not a QUANTIZE: that rounds ties away from zero), equal to onnxruntime', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [2, 6]);
    b.output(b.node('QuantizeLinear', [x, b.init('s', [], [0.05]), b.init('z', [], [120], 'uint8')], {}, 'q'), [2, 6], 'uint8');
    const model = b.build();
    const feed = [{ name: 'x', dtype: 'float32' as const, shape: [2, 6], data: Float32Array.of(0, 0.01, -0.33, 1.234, -6.1, 9, 0.07, -0.07, 2.22, -3.01, 6.66, 0.2) }];
    const ort = await onnxRuntime.load(model);
    const [want] = await ort.run(feed);
    await ort.dispose();
    const g = importOnnx(model);
    expect(opHistogram(g)).toEqual({ DIV: 1, ROUND: 1, ADD: 1, MAXIMUM: 1, MINIMUM: 1, CAST: 1 }); // quant-runtime.test.ts: ties, per axis, blocked
    const lrt = await liteRtRuntime.load(writeTflite(g));
    const [got] = await lrt.run(feed);
    await lrt.dispose();
    expect(got!.dtype).toBe('uint8');
    expect(Array.from(got!.data as Uint8Array)).toEqual(Array.from(want!.data as Uint8Array));
  });

  it('DequantizeLinear of a quantized uint8 graph input → DEQUANTIZE, equal to onnxruntime', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [2, 5], 'uint8');
    b.output(b.node('DequantizeLinear', [x, b.init('s', [], [0.1]), b.init('z', [], [100], 'uint8')], {}, 'y'), [2, 5]);
    const model = b.build();
    const feed = [{ name: 'x', dtype: 'uint8' as const, shape: [2, 5], data: Uint8Array.of(0, 1, 99, 100, 101, 128, 200, 254, 255, 7) }];
    const ort = await onnxRuntime.load(model);
    const [want] = await ort.run(feed);
    await ort.dispose();
    const g = importOnnx(model);
    expect(opHistogram(g)).toEqual({ DEQUANTIZE: 1 });
    expect(g.tensor(g.inputs[0]!).quant).toEqual({ scale: [Math.fround(0.1)], zeroPoint: [100] });
    const lrt = await liteRtRuntime.load(writeTflite(g));
    const [got] = await lrt.run(feed);
    await lrt.dispose();
    // both compute s · (q − zp) in float32: at most one float32 ulp apart at |y| < 16 (2^-20)
    expect(maxAbs(want!.data as Float32Array, got!.data as Float32Array)).toBeLessThanOrEqual(2 ** -20);
  });
});

describe('dynamic-quantized exports (DynamicQuantizeLinear → *Integer → Cast → Mul)', () => {
  /** DynamicQuantizeLinear's scale for data x: (max(0, max x) − min(0, min x)) / 255. */
  const xScale = (x: Float32Array) => (Math.max(0, ...x) - Math.min(0, ...x)) / 255;

  it('MatMulInteger chain → one FULLY_CONNECTED on dequantized weights, within x-rounding error of onnxruntime', async () => {
    const K = 8, N = 5;
    const wq = Uint8Array.from(uniformFloat32(K * N, 9, 0, 255), Math.floor);
    const wzp = 131, ws = 0.02;
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [3, K]);
    const [xq, xs, xzp] = b.nodeMulti('DynamicQuantizeLinear', [x], {}, 3);
    const acc = b.node('MatMulInteger', [xq!, b.init('w_q', [K, N], wq, 'uint8'), xzp!, b.init('w_zp', [], [wzp], 'uint8')]);
    const f = b.node('Cast', [acc], { to: 1 });
    const y = b.node('Mul', [f, b.node('Mul', [xs!, b.init('w_scale', [], [ws])])]);
    b.output(b.node('Add', [y, b.init('bias', [N], normalFloat32(N, 4, 0.1))], {}, 'out'), [3, N]);
    const data = uniformFloat32(3 * K, 8, -2, 2);
    const { g, want, got } = await bothRuntimes(b.build(), { name: 'x', shape: [3, K], data });
    expect(Object.keys(opHistogram(g)).sort()).toEqual(['ADD', 'FULLY_CONNECTED']);
    // ORT rounds x to 8 bits (≤ xs/2 per element) before the product: |Δ| ≤ xs/2 · max_n Σ_k |W_f[k, n]|
    let sumW = 0;
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.abs((wq[k * N + n]! - wzp) * ws);
      sumW = Math.max(sumW, s);
    }
    const err = maxAbs(want, got);
    expect(err).toBeLessThanOrEqual((xScale(data) / 2) * sumW);
  });

  it('ConvInteger chain (Mul by xs, then by per-channel ws) → one CONV_2D, within x-rounding error of onnxruntime', async () => {
    const C = 2, M = 3;
    const wq = Uint8Array.from(uniformFloat32(M * C * 9, 19, 0, 255), Math.floor);
    const ws = [0.01, 0.02, 0.015];
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, C, 5, 5]);
    const [xq, xs, xzp] = b.nodeMulti('DynamicQuantizeLinear', [x], {}, 3);
    const acc = b.node('ConvInteger', [xq!, b.init('w_q', [M, C, 3, 3], wq, 'uint8'), xzp!, b.init('w_zp', [], [128], 'uint8')], { pads: [1, 1, 1, 1], kernel_shape: [3, 3] });
    const f = b.node('Cast', [acc], { to: 1 });
    const y = b.node('Mul', [b.node('Mul', [f, xs!]), b.init('w_scale', [1, M, 1, 1], ws)]);
    b.output(y, [1, M, 5, 5]);
    const data = uniformFloat32(C * 25, 21, -1, 3);
    const { g, want, got } = await bothRuntimes(b.build(), { name: 'x', shape: [1, C, 5, 5], data });
    const { TRANSPOSE: _io, ...ops } = opHistogram(g); // (NCHW I/O kept here: one transpose each end)
    expect(ops).toEqual({ CONV_2D: 1 });
    let sumW = 0;
    for (let m = 0; m < M; m++) {
      let s = 0;
      for (let k = 0; k < C * 9; k++) s += Math.abs((wq[m * C * 9 + k]! - 128) * ws[m]!);
      sumW = Math.max(sumW, s);
    }
    expect(maxAbs(want, got)).toBeLessThanOrEqual((xScale(data) / 2) * sumW);
  });

  it('a standalone MatMulInteger is not rewritten but computed exactly in float (conv-matmul-integer.test.ts; a DynamicQuantizeLinear feeding other ops: quant-runtime.test.ts)', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const a = b.input('a', [2, 3], 'uint8');
    const x = b.input('x', [2, 3]);
    b.output(b.node('MatMulInteger', [a, b.init('w', [3, 2], [1, 2, 3, 4, 5, 6], 'uint8')], {}, 'acc'), [2, 2], 'int32');
    const [xq] = b.nodeMulti('DynamicQuantizeLinear', [x], {}, 3);
    b.output(b.node('Identity', [xq!], {}, 'xq_out'), [2, 3], 'uint8');
    const g = importOnnx(b.build());
    const fc = g.nodes.find((n) => n.op === 'FULLY_CONNECTED')!;
    expect(g.tensor(fc.inputs[1]!).data).toEqual(Float32Array.of(1, 3, 5, 2, 4, 6)); // the weights unchanged, as float
    expect(g.tensor(g.signature!.outputs[0]!.tensor).dtype).toBe('int32');
  });
});

describe('float16 constants read as numbers (PyTorch .half() exports)', () => {
  it('a float16 Pad value and Pow exponent are decoded, not read as raw half bits', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 2, 3, 3], 'float16');
    const p = b.node('Pad', [x, b.init('pads', [8], [0, 0, 1, 1, 0, 0, 1, 1], 'int64'), b.init('v', [], [floatToHalf(0.5)], 'float16')]);
    b.output(b.node('Pow', [p, b.init('e', [], [floatToHalf(2)], 'float16')], {}, 'y'), undefined, 'float16');
    const model = b.build();
    const data = uniformFloat32(18, 4, -1, 1);
    const half = Uint16Array.from(data, (v) => floatToHalf(v));
    const ort = await onnxRuntime.load(model);
    const [want] = await ort.run([{ name: 'x', dtype: 'float16', shape: [1, 2, 3, 3], data: half as unknown as Float32Array }]);
    await ort.dispose();
    const g = importOnnx(model, { keepIoLayout: true });
    expect(g.nodes.map((n) => n.op)).not.toContain('POW'); // x² → MUL: the exponent was read as 2
    const lrt = await liteRtRuntime.load(writeTflite(g));
    const [got] = await lrt.run([{ name: 'x', dtype: 'float32', shape: [1, 2, 3, 3], data: Float32Array.from(half, halfToFloat) }]);
    await lrt.dispose();
    // onnxruntime squares in float16: its result is within half a float16 ulp (2^-11 relative) of the float32 square
    const w = Float32Array.from(want!.data as Uint16Array, halfToFloat);
    const g32 = got!.data as Float32Array;
    for (let i = 0; i < w.length; i++) expect(Math.abs(w[i]! - g32[i]!)).toBeLessThanOrEqual(2 ** -11 * Math.abs(g32[i]!) + 1e-7);
  });
});

describe('.half() graphs: every op reads its float16 constants as values', () => {
  /** Clip, PRelu, Mul(constant first), HardSigmoid, ReduceMean, Softmax; constants float16 or their float32 twins. */
  function build(dt: 'float16' | 'float32'): Uint8Array {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const h = (v: number[]) => (dt === 'float16' ? Uint16Array.from(v, (x) => floatToHalf(x)) : Float32Array.from(v, (x) => halfToFloat(floatToHalf(x))));
    const x = b.input('x', [1, 3, 4, 4], dt);
    const c = b.node('Clip', [x, b.init('lo', [], h([0]), dt), b.init('hi', [], h([0.75]), dt)]);
    const p = b.node('PRelu', [b.node('Sub', [c, b.init('half', [], h([0.4]), dt)]), b.init('slope', [3, 1, 1], h([0.1, 0.2, 0.3]), dt)]);
    const m = b.node('Mul', [b.init('k', [1, 3, 1, 1], h([1.5, -2, 0.5]), dt), p]);
    const hs = b.node('HardSigmoid', [m], { alpha: 0.2, beta: 0.5 });
    const r = b.node('ReduceMean', [hs], { axes: [2], keepdims: 1 });
    b.output(b.node('Softmax', [r], { axis: 1 }, 'y'), undefined, dt);
    return b.build();
  }

  it('the float16 graph converts to what onnxruntime computes for its float32 twin (1e-4 of range), and within 2 float16 ulps of its fp16 run', async () => {
    const half = Uint16Array.from(uniformFloat32(48, 12, -1, 2), (v) => floatToHalf(v));
    const x32 = Float32Array.from(half, halfToFloat);
    const shape = [1, 3, 4, 4];
    const o16 = await onnxRuntime.load(build('float16'));
    const [r16] = await o16.run([{ name: 'x', dtype: 'float16', shape, data: half as unknown as Float32Array }]);
    await o16.dispose();
    const o32 = await onnxRuntime.load(build('float32'));
    const [r32] = await o32.run([{ name: 'x', dtype: 'float32', shape, data: x32 }]);
    await o32.dispose();
    const g = importOnnx(build('float16'), { keepIoLayout: true });
    const lrt = await liteRtRuntime.load(writeTflite(g));
    const [got] = await lrt.run([{ name: 'x', dtype: 'float32', shape, data: x32 }]);
    await lrt.dispose();
    const y = got!.data as Float32Array;
    const w32 = r32!.data as Float32Array;
    expect(maxAbs(w32, y) / (Math.max(...w32) - Math.min(...w32))).toBeLessThanOrEqual(1e-4);
    // the fp16 run rounds every op's output to float16 (2^-11 relative); its outputs are ≈ 1/3, so 2 ulps = 2·2^-11·max|y|
    const w16 = Float32Array.from(r16!.data as Uint16Array, halfToFloat);
    expect(maxAbs(w16, y)).toBeLessThanOrEqual(2 * 2 ** -11 * Math.max(...w16.map(Math.abs)));
  });
});
