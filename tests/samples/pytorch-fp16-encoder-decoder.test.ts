/**
 * The showcase: a PyTorch `.half()` encoder–decoder with interpolate(size=skip.shape[2:]) and
 * view(b, -1) shape chains converts with NHWC I/O to a model with zero TRANSPOSE ops whose every op
 * the Kirin 9000 GPU delegate takes, and its outputs match onnxruntime.
 *
 * Two references: (1) onnxruntime on the float32 twin of the model (the same float16-rounded weights,
 * float32 compute — what mai imports): max error ≤ 1e-4 of the output range, the converter's usual
 * tolerance (measured 4.5e-7); (2) onnxruntime on the fp16 model itself, fed the same fp16 input: its activations are
 * rounded to float16 after every op (relative step 2^-11 ≈ 4.9e-4), and the outputs in (0, 1) are
 * float16 themselves (half an ulp, 2^-12, of rounding at [0.5, 1)); the bound is 2 float16 ulps at
 * 1.0 = 2^-10 ≈ 9.8e-4 absolute (measured: alpha 2.4e-4, score 2.9e-5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convert } from '../../src/convert/index.js';
import { FLOAT16_NOTE_KEY } from '../../src/convert/onnx/context.js';
import { checkGpuCompat } from '../../src/convert/gpu/index.js';
import { TO_NCHW, TO_NHWC } from '../../src/convert/onnx/layout.js';
import { floatToHalf, halfToFloat } from '../../src/ir/dtype.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { onnxRuntime } from '../../src/runtime/onnxruntime.js';
import type { HostTensor } from '../../src/runtime/types.js';
import { buildFp16EncoderDecoderOnnx, FP16_ED_INPUT, FP16_ED_OUTPUTS } from '../../src/samples/pytorch-fp16-encoder-decoder.js';
import { uniformFloat32 } from '../helpers/onnx-builder.js';
import { relativeError } from '../helpers/tflite-oracle.js';
import { mai } from '../helpers/cli.js';
import { permuteData, permuteShape } from '../../src/ir/ndarray.js';

const SIZE = 64;
const fp16Model = buildFp16EncoderDecoderOnnx({ size: SIZE });
const fp32Twin = buildFp16EncoderDecoderOnnx({ size: SIZE, precision: 'float32' });
const shape = [1, 3, SIZE, SIZE];
// an input exactly representable in float16, so both references and LiteRT see the same values
const halfBits = Uint16Array.from(uniformFloat32(3 * SIZE * SIZE, 42, 0, 1), (v) => floatToHalf(v));
const input32 = Float32Array.from(halfBits, halfToFloat);

const result = convert({ bytes: fp16Model, file: 'pytorch-fp16-encoder-decoder.onnx' });
const g = result.graph;

let converted: HostTensor[];
beforeAll(async () => {
  const m = await liteRtRuntime.load(result.tflite);
  const out = await m.run([{ name: FP16_ED_INPUT, dtype: 'float32', shape: permuteShape(shape, TO_NHWC), data: permuteData('float32', input32, shape, TO_NHWC) as Float32Array }]);
  await m.dispose();
  // back to ONNX order for comparison (alpha is NHWC [1,S,S,1], score is [1,1])
  converted = out.map((r) => (r.shape.length === 4 ? { ...r, shape: permuteShape(r.shape, TO_NCHW), data: permuteData('float32', r.data as Float32Array, r.shape, TO_NCHW) as Float32Array } : r));
});

function byName(outs: HostTensor[], name: string): HostTensor {
  const sig = g.signature!.outputs.findIndex((o) => o.name === name);
  return outs[sig]!;
}

describe('PyTorch fp16 encoder–decoder (showcase)', () => {
  it('converts with float32 NHWC I/O, zero TRANSPOSE ops and no op left of the shape chains', () => {
    const ops = g.nodes.map((n) => n.op);
    expect(ops).not.toContain('TRANSPOSE');
    expect(ops.filter((o) => !['CONV_2D', 'RELU', 'RESIZE_BILINEAR', 'CONCATENATION', 'LOGISTIC', 'MEAN', 'RESHAPE', 'FULLY_CONNECTED', 'ADD', 'MUL', 'PAD', 'DEQUANTIZE'].includes(o))).toEqual([]);
    // the fp16 weights stay float16, each read through a DEQUANTIZE of a constant
    const dq = g.nodes.filter((n) => n.op === 'DEQUANTIZE');
    expect(dq.length).toBeGreaterThan(0);
    for (const n of dq) expect(g.tensor(n.inputs[0]!)).toMatchObject({ dtype: 'float16', data: expect.anything() });
    expect(ops.filter((o) => o === 'RESIZE_BILINEAR')).toHaveLength(2);
    const input = g.tensor(g.inputs[0]!);
    expect(input).toMatchObject({ dtype: 'float32', layout: 'NHWC', shape: [1, SIZE, SIZE, 3] });
    for (const o of g.outputs) expect(g.tensor(o).dtype).toBe('float32');
    expect(g.metadata.get(FLOAT16_NOTE_KEY)).toMatch(/float16 .* imported as float32/);
  });

  it('every op is delegated to the GPU (one partition)', () => {
    const r = checkGpuCompat(g);
    expect(r.nodes.filter((n) => !n.supported).map((n) => `${n.op} ${n.node}: ${n.violations[0]?.message}`)).toEqual([]);
    expect(r.fullyDelegated).toBe(true);
    expect(r.delegatedPartitionCount).toBe(1);
  });

  it('matches onnxruntime on the float32 twin within 1e-4 of the output range', async () => {
    const ort = await onnxRuntime.load(fp32Twin);
    const ref = await ort.run([{ name: FP16_ED_INPUT, dtype: 'float32', shape, data: input32 }]);
    await ort.dispose();
    for (const [i, name] of FP16_ED_OUTPUTS.entries()) {
      const got = byName(converted, name);
      expect(got.shape).toEqual(ref[i]!.shape);
      const e = name === 'score' ? Math.abs((got.data as Float32Array)[0]! - (ref[i]!.data as Float32Array)[0]!) : relativeError(ref[i]!.data as Float32Array, got.data as Float32Array);
      expect(e, name).toBeLessThanOrEqual(1e-4);
    }
  });

  it('matches onnxruntime running the fp16 model on fp16 input within 2^-10 (2 float16 ulps at 1.0)', async () => {
    const ort = await onnxRuntime.load(fp16Model);
    const ref = await ort.run([{ name: FP16_ED_INPUT, dtype: 'float16', shape, data: halfBits as unknown as Float32Array }]);
    await ort.dispose();
    for (const [i, name] of FP16_ED_OUTPUTS.entries()) {
      expect(ref[i]!.dtype).toBe('float16');
      const want = Float32Array.from(ref[i]!.data as Uint16Array, halfToFloat);
      const got = byName(converted, name).data as Float32Array;
      let maxAbs = 0;
      for (let k = 0; k < want.length; k++) maxAbs = Math.max(maxAbs, Math.abs(want[k]! - got[k]!));
      expect(maxAbs, `${name} max |fp16 ORT − mai|`).toBeLessThanOrEqual(2 ** -10);
    }
  });
});

describe('dynamic_axes export at batch 2, 32×48 (non-square: the interpolate sizes come from each skip)', () => {
  it('matches onnxruntime on the float32 twin within 1e-4 of the output range', async () => {
    const dynShape = [2, 3, 32, 48];
    const x = Float32Array.from(uniformFloat32(2 * 3 * 32 * 48, 7, 0, 1), (v) => halfToFloat(floatToHalf(v)));
    const r = convert({ bytes: buildFp16EncoderDecoderOnnx({ size: SIZE, dynamicAxes: true }), inputShapes: { [FP16_ED_INPUT]: dynShape } });
    const m = await liteRtRuntime.load(r.tflite);
    const out = await m.run([{ name: FP16_ED_INPUT, dtype: 'float32', shape: permuteShape(dynShape, TO_NHWC), data: permuteData('float32', x, dynShape, TO_NHWC) as Float32Array }]);
    await m.dispose();
    const ort = await onnxRuntime.load(buildFp16EncoderDecoderOnnx({ size: SIZE, dynamicAxes: true, precision: 'float32' }));
    const ref = await ort.run([{ name: FP16_ED_INPUT, dtype: 'float32', shape: dynShape, data: x }]);
    await ort.dispose();
    const alpha = out[r.graph.signature!.outputs.findIndex((o) => o.name === 'alpha')]!;
    const got = permuteData('float32', alpha.data as Float32Array, alpha.shape, TO_NCHW) as Float32Array;
    expect(permuteShape(alpha.shape, TO_NCHW)).toEqual(ref[0]!.shape);
    expect(relativeError(ref[0]!.data as Float32Array, got)).toBeLessThanOrEqual(1e-4);
  });
});

describe('mai convert --target kirin9000 on the showcase model', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mai-fp16-ed-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0, fully delegated in one partition', async () => {
    const src = join(dir, 'fp16-ed.onnx');
    writeFileSync(src, fp16Model);
    const r = await mai('convert', src, '-o', join(dir, 'fp16-ed.tflite'), '--target', 'kirin9000', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.gpu).toMatchObject({ target: 'kirin9000', fullyDelegated: true, delegatePartitions: 1, cpuOps: [] });
    expect(rep.inputs).toEqual([{ name: FP16_ED_INPUT, shape: [1, SIZE, SIZE, 3], dtype: 'float32' }]);
    expect(rep.notes).toEqual([expect.stringMatching(/float16 inputs, outputs and activations were imported as float32/), expect.stringMatching(/float16 initializers kept float16/)]);
  });

  it('a dynamic_axes export converts once --input-shape makes its shapes static (the shape chains then fold)', async () => {
    const src = join(dir, 'fp16-ed-dynamic.onnx');
    writeFileSync(src, buildFp16EncoderDecoderOnnx({ size: SIZE, dynamicAxes: true }));
    const without = await mai('convert', src, '-o', join(dir, 'dyn0.tflite'), '--json');
    expect(without.code).toBe(2);
    const r = await mai('convert', src, '-o', join(dir, 'dyn.tflite'), '--target', 'kirin9000', '--input-shape', `${FP16_ED_INPUT}=2,3,32,48`, '--json');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.gpu).toMatchObject({ fullyDelegated: true, cpuOps: [] });
    expect(rep.ops.TRANSPOSE).toBeUndefined();
    expect(rep.outputs.map((o: { shape: number[] }) => o.shape)).toEqual([[2, 32, 48, 1], [2, 1]]);
  });

  it('tells the user, without --json, that the fp16 model takes float32 input', async () => {
    const src = join(dir, 'fp16-ed-text.onnx');
    writeFileSync(src, fp16Model);
    const r = await mai('convert', src, '-o', join(dir, 'fp16-ed-text.tflite'), '--target', 'kirin9000');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/GPU \(kirin9000\): all \d+ ops delegated, 1 partition/);
    expect(r.stdout).toMatch(/^note: float16 .* feed float32 inputs$/m);
  });
});
