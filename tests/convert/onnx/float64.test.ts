/**
 * float64 (ONNX DOUBLE) graphs are computed as float32 (src/convert/onnx/float64.ts). The oracle is
 * onnxruntime-node running the float64 original on the same values (float32-representable, so
 * feeding float32 loses nothing); the converted model runs in LiteRT.js.
 *
 * Tolerance, from float32 rounding (unit roundoff u = 2^-24): the chain below has 9 rounding steps
 * (Mul, Exp, 2 additions in the 3-term ReduceSum, Log, Sub, Div, Add, Min) each ≤ 1 u relative, Exp's
 * argument error is amplified by |arg| ≤ 2, Log turns a relative error into an absolute one, and each
 * LiteRT transcendental (EXP, LOG) may be off by a few ulp. 32 u · max(1, |want|) (≈ 1.9e-6) covers that
 * with a factor ~2 margin; the measured worst error is printed and asserted below it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { FLOAT64_NOTE_KEY } from '../../../src/convert/onnx/float64.js';
import { TO_NCHW, TO_NHWC } from '../../../src/convert/onnx/layout.js';
import { assertValid } from '../../../src/ir/verify.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { mai } from '../../helpers/cli.js';
import { attr, OnnxGraphBuilder, uniformFloat32 } from '../../helpers/onnx-builder.js';
import { importRejection, LAYOUTS, layoutName, opHistogram } from './harness.js';
import { float64Unfit } from '../conformance/run-case.js';
import { permuteData, permuteShape } from '../../../src/ir/ndarray.js';

const U = 2 ** -24;
const TOL_ULPS = 32;
const SHAPE = [2, 3, 4, 5];

/**
 * y = Min(Log(ReduceSum(Exp(x · w), axis 1)) − x / d + Cast(Cast(x, FLOAT), DOUBLE), cap): float64
 * input, output, initializers (w per last axis, d, cap) and a Max against a float64 Constant node.
 */
function float64Model(): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 13 });
  const x = b.input('x', SHAPE, 'float64');
  const w = b.init('w', [5], [0.5, -1.25, 2, 0.75, -0.3], 'float64');
  const d = b.init('d', [1], [3], 'float64');
  const cap = b.init('cap', [1], [2.5], 'float64');
  const floor = b.node('Constant', [], { value: attr.tensor({ name: 'floor', shape: [], data: [-1.5], dtype: 'float64' }) });
  const e = b.node('Exp', [b.node('Max', [b.node('Mul', [x, w]), floor])]);
  const s = b.node('ReduceSum', [e, b.init('axes', [1], [1], 'int64')], { keepdims: 1 });
  const roundTrip = b.node('Cast', [b.node('Cast', [x], { to: 1 })], { to: 11 });
  const t = b.node('Add', [b.node('Sub', [b.node('Log', [s]), b.node('Div', [x, d])]), roundTrip]);
  b.node('Min', [t, cap], {}, 'y');
  b.output('y', SHAPE, 'float64');
  return b.build();
}

async function runBoth(model: Uint8Array, keepIoLayout: boolean, xs: Float32Array) {
  const g = importOnnx(model, { keepIoLayout });
  assertValid(g, 'float64 import');
  const inT = g.tensor(g.inputs[0]!);
  const outT = g.tensor(g.outputs[0]!);
  const ort = await onnxRuntime.load(model);
  const [want] = await ort.run([{ name: 'x', dtype: 'float64', shape: SHAPE, data: Float64Array.from(xs) }]);
  await ort.dispose();
  const lrt = await liteRtRuntime.load(writeTflite(g));
  const feed = inT.layout === 'NHWC' ? (permuteData('float32', xs, SHAPE, TO_NHWC) as Float32Array) : xs;
  const [raw] = await lrt.run([{ name: g.inputs[0]!, dtype: 'float32', shape: inT.shape, data: feed }]);
  await lrt.dispose();
  const got = outT.layout === 'NHWC' ? (permuteData('float32', raw!.data as Float32Array, raw!.shape, TO_NCHW) as Float32Array) : (raw!.data as Float32Array);
  return { g, want: want!, got, inT, outT };
}

describe('float64 (ONNX DOUBLE) graphs: computed as float32', () => {
  for (const keep of LAYOUTS) {
    it(`${layoutName(keep)}: a float64 model matches onnxruntime's float64 run within float32 rounding`, async () => {
      const xs = uniformFloat32(2 * 3 * 4 * 5, 64, -2, 2);
      // edge values: zeros, the Max floor itself (ties), values where the Min cap binds
      xs.set([0, -0, -1.5 / 0.5, 2, -2, 1.9999999], 0);
      const { g, want, got, inT, outT } = await runBoth(float64Model(), keep, xs);
      expect(want.dtype).toBe('float64');
      expect(inT.dtype).toBe('float32');
      expect(outT.dtype).toBe('float32');
      expect(inT.shape).toEqual(keep ? SHAPE : permuteShape(SHAPE, TO_NHWC));
      expect([...g.tensors.values()].filter((t) => t.dtype === 'float64').map((t) => t.name)).toEqual([]);
      // Cast(Cast(x, FLOAT), DOUBLE) of float32-held values is no op at all
      expect(opHistogram(g).CAST).toBeUndefined();
      const w = want.data as Float64Array;
      let worst = 0;
      let capped = 0;
      for (let i = 0; i < w.length; i++) {
        const ulps = Math.abs(got[i]! - w[i]!) / (U * Math.max(1, Math.abs(w[i]!)));
        worst = Math.max(worst, ulps);
        if (w[i] === 2.5) capped++;
      }
      expect(capped, 'the Min cap binds somewhere').toBeGreaterThan(0);
      console.log(`float64 model (${layoutName(keep)}): worst error ${worst.toFixed(2)} u·max(1,|want|) (limit ${TOL_ULPS})`);
      expect(worst).toBeLessThanOrEqual(TOL_ULPS);
      expect(g.metadata.get(FLOAT64_NOTE_KEY)).toMatch(/float64 .* imported as float32/);
    });
  }

  it('a float64 initializer beyond float32 range is refused, naming it', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [3], 'float64');
    b.node('Add', [x, b.init('huge_bias', [3], [1, -1e300, 2], 'float64')], {}, 'y');
    b.output('y', [3], 'float64');
    const e = importRejection(b.build());
    expect(e.diagnostics).toHaveLength(1);
    expect(e.diagnostics[0]!.reason).toBe('unsupported-dtype');
    expect(e.diagnostics[0]!.message).toMatch(/float64 constant 'huge_bias' holds -1e\+300 at element 1, beyond float32's range/);
  });

  it('a float64 Constant beyond float32 range is refused too; ±Infinity and NaN are float32 values and are kept', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [2], 'float64');
    const c = b.node('Constant', [], { value: attr.tensor({ shape: [2], data: [3.5e38, 0], dtype: 'float64' }) }, 'big_const');
    b.node('Mul', [x, c], {}, 'y');
    b.output('y', [2], 'float64');
    expect(importRejection(b.build()).diagnostics[0]!.message).toMatch(/'big_const' holds 3\.5e\+38/);

    const ok = new OnnxGraphBuilder({ opset: 13 });
    const x2 = ok.input('x', [3], 'float64');
    ok.node('Max', [x2, ok.init('limits', [3], [-Infinity, Infinity, NaN], 'float64')], {}, 'y');
    ok.output('y', [3], 'float64');
    const g = importOnnx(ok.build());
    const t = [...g.tensors.values()].find((v) => v.name.startsWith('limits'))!;
    expect(Array.from(t.data as Float32Array)).toEqual([-Infinity, Infinity, NaN]);
  });

  it('out-of-range float64 constants that only feed import-time folding are fine: folds stay float64', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [4], 'float64');
    // 1e300 · 1e-300 folds to 1 in float64 before anything becomes a float32 tensor
    const one = b.node('Mul', [b.init('big', [1], [1e300], 'float64'), b.init('small', [1], [1e-300], 'float64')]);
    b.node('Add', [x, one], {}, 'y');
    b.output('y', [4], 'float64');
    const g = importOnnx(b.build());
    const c = [...g.tensors.values()].find((t) => t.data && t.dtype === 'float32')!;
    expect(Array.from(c.data as Float32Array)).toEqual([1]);
  });

  it('float64 constants below float32 range underflow as IEEE rounding does (subnormal or 0), not refused', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [4], 'float64');
    const vals = [1e-320, 1e-40, -3e-39, 1e-46];
    b.node('Add', [x, b.init('tiny', [4], vals, 'float64')], {}, 'y');
    b.output('y', [4], 'float64');
    const g = importOnnx(b.build());
    const t = [...g.tensors.values()].find((v) => v.name.startsWith('tiny'))!;
    expect(t.dtype).toBe('float32');
    const got = Array.from(t.data as Float32Array);
    expect(got).toEqual(vals.map(Math.fround));
    expect(got[0]).toBe(0);
    expect(got[1]).not.toBe(0); // a float32 subnormal
    // the absolute error of underflow is at most half the smallest float32 subnormal (2^-150)
    for (let i = 0; i < vals.length; i++) expect(Math.abs(got[i]! - vals[i]!)).toBeLessThanOrEqual(2 ** -150);
  });

  it('the conformance harness feeds float64 test data only when float32 holds it (else the case is not runnable)', () => {
    const t = (values: number[]) => ({ name: 'x', dtype: 'float64' as const, code: 11, shape: [values.length], values: Float64Array.from(values) });
    expect(float64Unfit(t([1, -2.5, 3.4e38, 1e-40, 0, -0, Infinity, NaN]))).toBeUndefined();
    expect(float64Unfit(t([1, 2.4e198, 6.9e-310]))).toMatch(/2\.4e\+198 is beyond float32's range/);
    expect(float64Unfit(t([1, 6.9e-310]))).toMatch(/6\.9e-310 is below float32's smallest subnormal .* fed as 0/);
    expect(float64Unfit({ ...t([1e300]), dtype: 'float32' as const })).toBeUndefined(); // only float64 data is judged
  });

  it('mai convert prints the float64 note, lists it in --json, and --check runs onnxruntime on float64 inputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mai-f64-'));
    const src = join(dir, 'f64.onnx');
    writeFileSync(src, float64Model());
    const text = await mai('convert', src, '-o', join(dir, 'f64.tflite'));
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/note: float64 inputs, outputs, activations and constants were imported as float32/);
    const json = await mai('convert', src, '-o', join(dir, 'f64b.tflite'), '--check', '--json');
    expect(json.code, json.stderr + json.stdout).toBe(0);
    const r = JSON.parse(json.stdout) as { notes: string[]; inputs: Array<{ dtype: string }>; outputs: Array<{ dtype: string }>; check: { pass: boolean } };
    expect(r.notes.some((n) => n.startsWith('float64 '))).toBe(true);
    expect(r.inputs.map((i) => i.dtype)).toEqual(['float32']);
    expect(r.outputs.map((o) => o.dtype)).toEqual(['float32']);
    expect(r.check.pass).toBe(true);
  });
});
