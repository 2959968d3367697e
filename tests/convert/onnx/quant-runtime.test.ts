/**
 * QuantizeLinear / DequantizeLinear / DynamicQuantizeLinear computed at run time (quant-runtime.ts)
 * against onnxruntime: integer outputs must be identical and float outputs equal to the bit, on data
 * built to hit the hard cases — exact .5 ties of x / scale, saturation at both ends, negative zero
 * points, per-axis and blocked parameters, 8- and 16-bit types, NHWC-held activations.
 */
import { describe, expect, it } from 'vitest';
import { convert } from '../../../src/convert/index.js';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { TO_NCHW, TO_NHWC } from '../../../src/convert/onnx/layout.js';
import type { DType } from '../../../src/ir/dtype.js';
import type { Graph } from '../../../src/ir/graph.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import type { HostTensor } from '../../../src/runtime/types.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { OnnxGraphBuilder, uniformFloat32, type OnnxDType } from '../../helpers/onnx-builder.js';
import { adaptIo, carrierOf } from '../conformance/io-adapter.js';
import { importRejection, opHistogram } from './harness.js';
import { permuteData, permuteShape } from '../../../src/ir/ndarray.js';

/** The rejected node's diagnostics. */
const rejection = (bytes: Uint8Array) => (importRejection(bytes).diagnostics ?? []) as Array<{ reason: string; opType?: string; message: string }>;

const TYPED: Record<string, (n: number[]) => HostTensor['data']> = {
  float32: (v) => Float32Array.from(v), uint8: (v) => Uint8Array.from(v), int8: (v) => Int8Array.from(v),
  uint16: (v) => Uint16Array.from(v), int16: (v) => Int16Array.from(v), int32: (v) => Int32Array.from(v),
};

function feed(name: string, dtype: DType, shape: number[], values: number[]): HostTensor {
  return { name, dtype, shape, data: TYPED[dtype]!(values) };
}

/**
 * Runs `model` in onnxruntime and its conversion (`convert`: import and passes) in LiteRT.js on `feeds` (ONNX order); returns each
 * output's values from both, in ONNX order. LiteRT.js I/O it cannot carry goes through CAST (the
 * conformance adapter); with `nhwc`, 4-D I/O is converted to NHWC as `mai convert` does by default.
 */
async function both(model: Uint8Array, feeds: HostTensor[], nhwc = false): Promise<{ g: Graph; ops: Record<string, number>; want: number[][]; got: number[][] }> {
  const ort = await onnxRuntime.load(model);
  const want = await ort.run(feeds);
  await ort.dispose();
  const { graph: g } = convert({ bytes: model, keepIoLayout: !nhwc }); // import + the default passes
  const layouts = [...g.inputs, ...g.outputs].map((t) => g.tensor(t).layout);
  const ops = opHistogram(g); // before the I/O adapter's CASTs
  adaptIo(g);
  const lrt = await liteRtRuntime.load(writeTflite(g));
  const tflFeeds = feeds.map((f, i) => {
    const carrier = carrierOf(f.dtype)!;
    let data: ArrayLike<number> = f.data as ArrayLike<number>;
    let shape = f.shape;
    if (layouts[i] === 'NHWC') {
      data = permuteData('float32', Float32Array.from(data), f.shape, TO_NHWC) as Float32Array;
      shape = permuteShape(f.shape, TO_NHWC);
    }
    return feed(f.name, carrier, shape, Array.from(data));
  });
  const got = await lrt.run(tflFeeds);
  await lrt.dispose();
  const outs = got.map((t, i) => {
    let v = Array.from(t.data as ArrayLike<number>);
    if (layouts[g.inputs.length + i] === 'NHWC') v = Array.from(permuteData('float32', Float32Array.from(v), t.shape, TO_NCHW) as Float32Array);
    return v;
  });
  return { g, ops, want: want.map((t) => Array.from(t.data as ArrayLike<number>)), got: outs };
}

/** x / scale = k + 0.5 exactly for every k in [-n, n): ties both ways, on even and odd k. */
function ties(scale: number, n: number): number[] {
  const out: number[] = [];
  for (let k = -n; k < n; k++) out.push((k + 0.5) * scale);
  return out;
}

describe('QuantizeLinear computed (integer output used as such)', () => {
  const cases: Array<{ to: OnnxDType; zp: number; scale: number; opset: number }> = [
    { to: 'uint8', zp: 128, scale: 0.5, opset: 13 },
    { to: 'uint8', zp: 3, scale: 2, opset: 13 },
    { to: 'int8', zp: -7, scale: 0.25, opset: 13 },
    { to: 'int8', zp: 0, scale: 4, opset: 13 },
    { to: 'int16', zp: -300, scale: 0.125, opset: 21 },
    { to: 'uint16', zp: 40000, scale: 8, opset: 21 },
  ];
  for (const c of cases) {
    it(`per tensor to ${c.to} (zero point ${c.zp}): .5 ties to even, saturation both ways, identical to onnxruntime`, async () => {
      const x = [...ties(c.scale, 40), 0, -0, 1e9, -1e9, 3.4e38, -3.4e38, 70000 * c.scale, -70000 * c.scale, 255.5 * c.scale, -128.5 * c.scale];
      const b = new OnnxGraphBuilder({ opset: c.opset });
      const xi = b.input('x', [x.length]);
      b.output(b.node('QuantizeLinear', [xi, b.init('s', [], [c.scale]), b.init('z', [], [c.zp], c.to)], {}, 'q'), [x.length], c.to);
      const { ops, want, got } = await both(b.build(), [feed('x', 'float32', [x.length], x)]);
      expect(ops).toEqual({ DIV: 1, ROUND: 1, ...(c.zp ? { ADD: 1 } : {}), MAXIMUM: 1, MINIMUM: 1, CAST: 1 });
      expect(got).toEqual(want);
      // the ties really are rounded to even (TFLite's QUANTIZE would round them away from zero)
      // x / scale = −1.5, −0.5, 0.5, 1.5 → −2, 0, 0, 2
      expect(want[0]!.slice(38, 42)).toEqual([c.zp - 2, c.zp, c.zp, c.zp + 2]);
    });
  }

  it('random x and non-power-of-two scales: x / scale is divided (not multiplied by 1/scale) exactly as onnxruntime', async () => {
    const n = 4096;
    const x = Array.from(uniformFloat32(n, 11, -30, 30));
    for (const scale of [0.1, 0.3, 0.07, 1 / 3, 0.0123]) {
      // and values whose quotient lands within an ulp of a tie
      const near = ties(scale, 200).flatMap((v) => [v, Math.fround(v * (1 + 2 ** -23)), Math.fround(v * (1 - 2 ** -23))]);
      const all = [...x, ...near];
      const b = new OnnxGraphBuilder({ opset: 13 });
      const xi = b.input('x', [all.length]);
      b.output(b.node('QuantizeLinear', [xi, b.init('s', [], [scale]), b.init('z', [], [-3], 'int8')], {}, 'q'), [all.length], 'int8');
      const { want, got } = await both(b.build(), [feed('x', 'float32', [all.length], all)]);
      expect(got, `scale ${scale}`).toEqual(want);
    }
  });

  it('opset 21 output_dtype without zero point (symmetric int16)', async () => {
    const x = ties(0.5, 20);
    const b = new OnnxGraphBuilder({ opset: 21 });
    const xi = b.input('x', [x.length]);
    b.output(b.node('QuantizeLinear', [xi, b.init('s', [], [0.5])], { output_dtype: 5 }, 'q'), [x.length], 'int16');
    const { ops, want, got } = await both(b.build(), [feed('x', 'float32', [x.length], x)]);
    expect(ops.ADD).toBeUndefined(); // zero point 0: no ADD
    expect(got).toEqual(want);
  });

  it('per axis on a 4-D tensor held in NHWC (after a Conv), identical to onnxruntime', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const xi = b.input('x', [1, 2, 4, 4]);
    const w = b.init('w', [3, 2, 1, 1], [1, -1, 0.5, 2, -3, 0.25]);
    const conv = b.node('Conv', [xi, w]);
    b.output(b.node('QuantizeLinear', [conv, b.init('s', [3], [0.05, 0.5, 0.125]), b.init('z', [3], [-20, 0, 100], 'int8')], { axis: 1 }, 'q'), [1, 3, 4, 4], 'int8');
    const x = Array.from(uniformFloat32(32, 5, -4, 4));
    for (const nhwc of [false, true]) {
      const { g, want, got } = await both(b.build(), [feed('x', 'float32', [1, 2, 4, 4], x)], nhwc);
      expect(g.nodes.find((n) => n.op === 'DIV')!.inputs.map((t) => g.tensor(t).layout)).toContain('NHWC');
      expect(got).toEqual(want);
    }
  });

  it('after a Conv, the x / scale stays a DIV (folding it into the weights as 1/scale rounds ties the other way)', async () => {
    // a 1×1 Conv with weight 1 passes x through exactly; x / 7 = k + 0.5 exactly, while x · fround(1/7) is not
    const n = 64;
    const b = new OnnxGraphBuilder({ opset: 21 });
    const xi = b.input('x', [1, 1, 8, 8]);
    const conv = b.node('Conv', [xi, b.init('w', [1, 1, 1, 1], [1]), b.init('b', [1], [0])]);
    b.output(b.node('QuantizeLinear', [conv, b.init('s', [], [7]), b.init('z', [], [0], 'int16')], {}, 'q'), [1, 1, 8, 8], 'int16');
    const x = Array.from({ length: n }, (_, k) => 7 * (k * 37 + 0.5));
    const { ops, want, got } = await both(b.build(), [feed('x', 'float32', [1, 1, 8, 8], x)], true);
    expect(got).toEqual(want);
    expect(ops.DIV).toBe(1);
  });

  it('blocked (opset 21, block_size 3 over 8 columns: a short last block), per row zero points', async () => {
    const scale = [0.5, 1.5, 0.25, 2, 0.75, 4, 1, 0.125, 3];
    const zp = [0, 10, -5, 3, 127, -128, 7, 7, 1];
    const b = new OnnxGraphBuilder({ opset: 21 });
    const xi = b.input('x', [3, 8]);
    b.output(b.node('QuantizeLinear', [xi, b.init('s', [3, 3], scale), b.init('z', [3, 3], zp, 'int8')], { axis: 1, block_size: 3 }, 'q'), [3, 8], 'int8');
    const x = [...ties(0.25, 4), ...Array.from(uniformFloat32(16, 3, -200, 200))];
    const { want, got } = await both(b.build(), [feed('x', 'float32', [3, 8], x)]);
    expect(got).toEqual(want);
  });

  it('blocked on axis 0 of a 4-D input converted to NHWC', async () => {
    const b = new OnnxGraphBuilder({ opset: 21 });
    const xi = b.input('x', [4, 2, 2, 3]);
    const scale = Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => 0.25 * (1 + (i % 5)));
    b.output(b.node('QuantizeLinear', [xi, b.init('s', [2, 2, 2, 3], scale), b.init('z', [2, 2, 2, 3], scale.map((_, i) => (i * 37) % 256), 'uint8')], { axis: 0, block_size: 2 }, 'q'), [4, 2, 2, 3], 'uint8');
    const x = Array.from(uniformFloat32(48, 9, -40, 40));
    const { want, got } = await both(b.build(), [feed('x', 'float32', [4, 2, 2, 3], x)], true);
    expect(got).toEqual(want);
  });
});

describe('DequantizeLinear computed (what TFLite DEQUANTIZE does not take)', () => {
  const cases: Array<{ from: OnnxDType; zp: number[]; values: number[]; opset: number }> = [
    { from: 'uint16', zp: [32767], values: [0, 1, 32767, 32768, 65535, 12345], opset: 21 },
    { from: 'int16', zp: [-1024], values: [-32768, -1, 0, 1, 32767, -1025], opset: 21 },
    { from: 'int32', zp: [0], values: [-(2 ** 31), 2 ** 31 - 1, 16777217, -16777219, 0, 5], opset: 13 },
    { from: 'int8', zp: [-5], values: [-128, 127, -5, 0, 4, -6], opset: 13 },
  ];
  for (const c of cases) {
    it(`per tensor ${c.from} (zero point ${c.zp[0]}): bit-identical to onnxruntime`, async () => {
      const b = new OnnxGraphBuilder({ opset: c.opset });
      const xi = b.input('x', [6], c.from);
      b.output(b.node('DequantizeLinear', [xi, b.init('s', [], [0.0371]), b.init('z', [], c.zp, c.from)], {}, 'y'), [6]);
      const { ops, want, got } = await both(b.build(), [feed('x', c.from as DType, [6], c.values)]);
      // int8 per tensor: TFLite DEQUANTIZE takes it (same single-rounded product); the others computed
      expect(ops).toEqual(c.from === 'int8' ? { DEQUANTIZE: 1 } : { CAST: 1, ...(c.zp[0] ? { SUB: 1 } : {}), MUL: 1 });
      expect(got).toEqual(want);
    });
  }

  it('per axis uint8 with zero points on a 4-D input converted to NHWC', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const xi = b.input('x', [1, 3, 2, 2], 'uint8');
    b.output(b.node('DequantizeLinear', [xi, b.init('s', [3], [0.1, 2, 0.0078125]), b.init('z', [3], [0, 128, 255], 'uint8')], { axis: 1 }, 'y'), [1, 3, 2, 2]);
    const x = [0, 1, 254, 255, 0, 127, 128, 129, 3, 200, 255, 17];
    for (const nhwc of [false, true]) {
      const { want, got } = await both(b.build(), [feed('x', 'uint8', [1, 3, 2, 2], x)], nhwc);
      expect(got).toEqual(want);
    }
  });

  it('blocked int8 (block_size 2 on axis 1) with a negative axis', async () => {
    const b = new OnnxGraphBuilder({ opset: 21 });
    const xi = b.input('x', [2, 5], 'int8');
    b.output(b.node('DequantizeLinear', [xi, b.init('s', [2, 3], [0.5, 0.3, 7, 1e-3, 2, 0.125]), b.init('z', [2, 3], [0, -3, 5, 127, -128, 1], 'int8')], { axis: -1, block_size: 2 }, 'y'), [2, 5]);
    const x = [-128, 127, 0, 1, -1, 5, -5, 100, -100, 64];
    const { want, got } = await both(b.build(), [feed('x', 'int8', [2, 5], x)]);
    expect(got).toEqual(want);
  });

  it('per tensor uint8 still imports as one DEQUANTIZE', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const xi = b.input('x', [4], 'uint8');
    b.output(b.node('DequantizeLinear', [xi, b.init('s', [], [0.5]), b.init('z', [], [3], 'uint8')], {}, 'y'), [4]);
    expect(opHistogram(importOnnx(b.build()))).toEqual({ DEQUANTIZE: 1 });
  });
});

describe('per-tensor scale and zero point computed at run time', () => {
  it('QuantizeLinear(x, s, z) and DequantizeLinear with runtime scalar s and z (the DynamicQuantizeLinear function body shape)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const xi = b.input('x', [3, 5]);
    const si = b.input('s', []);
    const zi = b.input('z', [], 'int8');
    const q = b.node('QuantizeLinear', [xi, si, zi], {}, 'q');
    b.output(q, [3, 5], 'int8');
    b.output(b.node('DequantizeLinear', [q, si, zi], {}, 'y'), [3, 5]);
    const x = [...ties(0.25, 5), ...Array.from(uniformFloat32(5, 1, -40, 40))];
    for (const [s, z] of [[0.25, -3], [0.1, 0], [0.0371, 127]] as const) {
      const { ops, want, got } = await both(b.build(), [feed('x', 'float32', [3, 5], x), feed('s', 'float32', [], [s]), feed('z', 'int8', [], [z])]);
      expect(ops.DEQUANTIZE).toBeUndefined();
      expect(got, `s ${s} z ${z}`).toEqual(want);
    }
  });
});

describe('DynamicQuantizeLinear computed', () => {
  const inputs: Record<string, number[]> = {
    'mixed signs': Array.from(uniformFloat32(64, 2, -3, 5)),
    'all negative (max adjusted to 0)': Array.from(uniformFloat32(30, 4, -9, -0.5)),
    'all positive (min adjusted to 0)': Array.from(uniformFloat32(30, 6, 0.25, 7)),
    'all zero (onnxruntime: scale 1, zero point 0)': new Array<number>(12).fill(0),
    'one tiny value': [0, 0, 1e-30, 0],
    'ties of x / scale': [-2.55, 0, 2.55, 0.005, 0.015, -0.025, 1.275, -1.265],
    huge: [3e38, -3e38, 1, -1],
    'subnormal range': [-1e-40, 0, 2e-40],
    '+inf (scale inf)': [Infinity, 1, -2],
  };
  for (const [what, x] of Object.entries(inputs)) {
    it(`${what}: y, scale and zero point identical to onnxruntime`, async () => {
      const b = new OnnxGraphBuilder({ opset: 11 });
      const xi = b.input('x', [x.length]);
      b.nodeMulti('DynamicQuantizeLinear', [xi], {}, ['y', 'y_scale', 'y_zp']);
      b.output('y', [x.length], 'uint8');
      b.output('y_scale', []);
      b.output('y_zp', [], 'uint8');
      const { want, got } = await both(b.build(), [feed('x', 'float32', [x.length], x)]);
      expect(got).toEqual(want);
    });
  }

  it('a 4-D input held in NHWC, only y used downstream', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const xi = b.input('x', [1, 2, 3, 3]);
    const [y] = b.nodeMulti('DynamicQuantizeLinear', [b.node('Relu', [xi])], {}, 3);
    b.output(b.node('Identity', [y!], {}, 'q'), [1, 2, 3, 3], 'uint8');
    const x = Array.from(uniformFloat32(18, 8, -1, 3));
    const { want, got } = await both(b.build(), [feed('x', 'float32', [1, 2, 3, 3], x)], true);
    expect(got).toEqual(want);
  });
});

describe('constants fold (fold/quant.ts)', () => {
  it('blocked int8 weights DequantizeLinear\'d into a MatMul fold to float32 weights (each exactly (q − zp) · scale), the MatMul within 1e-6 of onnxruntime', async () => {
    const K = 5, N = 3;
    const b = new OnnxGraphBuilder({ opset: 21 });
    const xi = b.input('x', [2, K]);
    const wq = Array.from({ length: K * N }, (_, i) => ((i * 53) % 255) - 127);
    // blocks of 2 along K (axis 0): 3 scale rows, the last block short
    const ws = [0.5, 0.25, 0.125, 0.03, 0.07, 1.5, 2, 0.01, 0.3];
    const wz = [0, 3, -3, 1, 0, -1, 7, 0, 0];
    const w = b.node('DequantizeLinear', [b.init('wq', [K, N], wq, 'int8'), b.init('ws', [3, N], ws), b.init('wz', [3, N], wz, 'int8')], { axis: 0, block_size: 2 });
    b.output(b.node('MatMul', [xi, w], {}, 'y'), [2, N]);
    const model = b.build();
    const g = importOnnx(model);
    const fc = g.nodes.find((n) => n.op === 'FULLY_CONNECTED')!;
    const weights = g.tensor(fc.inputs[1]!);
    expect(weights.data).toBeDefined(); // folded
    expect(weights.quant).toBeUndefined(); // no per-tensor / per-axis params describe blocks
    // FULLY_CONNECTED weights are [N, K]: weights[n][k] = (wq[k][n] − wz[k/2][n]) · ws[k/2][n]
    const want = (k: number, n: number) => Math.fround(Math.fround(wq[k * N + n]! - wz[Math.floor(k / 2) * N + n]!) * Math.fround(ws[Math.floor(k / 2) * N + n]!));
    for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) expect(weights.data![n * K + k]).toBe(want(k, n));
    const x = Array.from(uniformFloat32(2 * K, 4, -1, 1));
    const { want: o, got } = await both(model, [feed('x', 'float32', [2, K], x)]);
    for (let i = 0; i < o[0]!.length; i++) expect(Math.abs(got[0]![i]! - o[0]![i]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(o[0]![i]!)));
  });

  it('a constant QuantizeLinear with output_dtype int8 and no zero point folds to int8 (not the uint8 default)', async () => {
    const b = new OnnxGraphBuilder({ opset: 21 });
    const xi = b.input('x', [6]);
    const q = b.node('QuantizeLinear', [b.init('c', [6], [-300, -1.5, -0.5, 0.5, 2.5, 300]), b.init('s', [], [1])], { output_dtype: 3 });
    b.output(b.node('Add', [xi, b.node('Cast', [q], { to: 1 })], {}, 'y'), [6]);
    const { ops, want, got } = await both(b.build(), [feed('x', 'float32', [6], [0, 0, 0, 0, 0, 0])]);
    expect(ops).toEqual({ ADD: 1 });
    expect(want[0]).toEqual([-128, -2, 0, 0, 2, 127]);
    expect(got).toEqual(want);
  });
});

describe('refusals', () => {
  it('a runtime per-axis scale is refused with the input named', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const xi = b.input('x', [2, 4]);
    const s = b.input('s', [2]);
    b.output(b.node('QuantizeLinear', [xi, s, b.init('z', [2], [0, 0], 'uint8')], { axis: 0 }, 'q'), [2, 4], 'uint8');
    const d = rejection(b.build());
    expect(d[0]).toMatchObject({ opType: 'QuantizeLinear', reason: 'requires-constant-input' });
    expect(d[0]!.message).toMatch(/scale \(input 's'\) must be a constant \(a runtime one only per tensor/);
  });

  it('a block size the scale does not fit is refused', () => {
    const b = new OnnxGraphBuilder({ opset: 21 });
    const xi = b.input('x', [2, 8]);
    b.output(b.node('QuantizeLinear', [xi, b.init('s', [2, 2], [1, 1, 1, 1])], { axis: 1, block_size: 2 }, 'q'), [2, 8], 'uint8');
    const d = rejection(b.build());
    expect(d[0]).toMatchObject({ opType: 'QuantizeLinear', reason: 'shape-mismatch' });
    expect(d[0]!.message).toMatch(/block_size 2/);
  });

  it('a blocked constant folds under the same block_size rule and message as a run-time value (one check: blockLayout)', () => {
    const bad = "scale [2,2] does not block x [2,8] along axis 1 with block_size 2";
    const b = new OnnxGraphBuilder({ opset: 21 });
    const w = b.node('DequantizeLinear', [b.init('wq', [2, 8], new Array(16).fill(3), 'int8'), b.init('ws', [2, 2], [1, 1, 1, 1])], { axis: 1, block_size: 2 }, 'w');
    b.output(b.node('Add', [b.input('x', [2, 8]), w], {}, 'y'), [2, 8]);
    const d = rejection(b.build());
    expect(d.map((x) => [x.reason, x.message.replace(/^.*?: (?=scale)/, '')])).toEqual([['shape-mismatch', bad]]);
    // in range for the spec (⌈8 / 2⌉ = 4 ≤ block_size ≤ ⌈8 / 1⌉ − 1 = 7): both ends fold
    for (const block of [4, 7]) {
      const ok = new OnnxGraphBuilder({ opset: 21 });
      const wo = ok.node('DequantizeLinear', [ok.init('wq', [2, 8], new Array(16).fill(3), 'int8'), ok.init('ws', [2, 2], [1, 2, 3, 4])], { axis: 1, block_size: block }, 'w');
      ok.output(ok.node('Add', [ok.input('x', [2, 8]), wo], {}, 'y'), [2, 8]);
      const g = importOnnx(ok.build());
      const folded = g.nodes.find((n) => n.op === 'ADD')!.inputs.map((t) => g.tensor(t).data).find((v) => v);
      const scaleOf = (row: number, col: number) => [1, 2, 3, 4][row * 2 + Math.floor(col / block)]!;
      expect(Array.from(folded as Float32Array)).toEqual(Array.from({ length: 16 }, (_, i) => 3 * scaleOf(Math.floor(i / 8), i % 8)));
    }
  });

  it('a float16 scale (the division would run in float16) is refused', () => {
    const b = new OnnxGraphBuilder({ opset: 21 });
    const xi = b.input('x', [4]);
    b.output(b.node('QuantizeLinear', [xi, b.init('s', [], Uint16Array.of(0x3800), 'float16'), b.init('z', [], [0], 'uint8')], {}, 'q'), [4], 'uint8');
    const d = rejection(b.build());
    expect(d[0]).toMatchObject({ opType: 'QuantizeLinear', reason: 'unsupported-dtype' });
    expect(d[0]!.message).toMatch(/divides in float16/);
  });
});
