import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mai } from '../helpers/cli.js';
import { buildOnnxModel, buildOnnxModelFiles, normalFloat32, OnnxGraphBuilder } from '../helpers/onnx-builder.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mai-cli-convert-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function convModel(): Uint8Array {
  return buildOnnxModel({
    opset: 13,
    inputs: [{ name: 'image', shape: [1, 3, 16, 16] }],
    outputs: [{ name: 'alpha', shape: [1, 4, 16, 16] }],
    initializers: [
      { name: 'w', shape: [4, 3, 3, 3], data: normalFloat32(108, 1, 0.3) },
      { name: 'b', shape: [4], data: normalFloat32(4, 2, 0.1) },
    ],
    nodes: [
      { op: 'Conv', inputs: ['image', 'w', 'b'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1] } },
      { op: 'Relu', inputs: ['c'], outputs: ['r'] },
      { op: 'Sigmoid', inputs: ['r'], outputs: ['alpha'] },
    ],
  });
}

/** No output and no temp file may be left behind after a failed conversion. */
function leftovers(name: string): string[] {
  return readdirSync(dir).filter((f) => f.includes(name));
}

describe('mai convert', () => {
  it('converts, checks against onnxruntime and writes a file LiteRT runs', async () => {
    const src = join(dir, 'conv.onnx');
    const out = join(dir, 'conv.tflite');
    writeFileSync(src, convModel());
    const r = await mai('convert', src, '-o', out, '--check', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.check.pass).toBe(true);
    expect(report.check.outputs[0].maxAbs).toBeLessThan(1e-4);
    expect(report.inputs[0]).toMatchObject({ name: 'image', shape: [1, 16, 16, 3] });
    expect(report.ops.TRANSPOSE ?? 0).toBe(0);
    const m = await liteRtRuntime.load(readFileSync(out));
    expect(m.inputs()[0]!.shape).toEqual([1, 16, 16, 3]);
    await m.dispose();
  });

  it('--keep-io-layout keeps NCHW I/O with one TRANSPOSE at each end', async () => {
    const src = join(dir, 'conv-keep.onnx');
    writeFileSync(src, convModel());
    const r = await mai('convert', src, '-o', join(dir, 'conv-keep.tflite'), '--keep-io-layout', '--check', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.inputs[0].shape).toEqual([1, 3, 16, 16]);
    expect(report.outputs[0].shape).toEqual([1, 4, 16, 16]);
    expect(report.ops.TRANSPOSE).toBe(2);
    expect(report.check.pass).toBe(true);
  });

  const bad: Array<[string, () => Uint8Array | undefined, RegExp]> = [
    ['empty', () => new Uint8Array(0), /empty/],
    ['truncated', () => convModel().subarray(0, 200), /./],
    ['random', () => Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24), /./],
    ['missing', () => undefined, /not found/],
  ];
  for (const [name, make, msg] of bad) {
    it(`bad input: ${name} file → one clear line, exit 2, nothing written`, async () => {
      const src = join(dir, `${name}.onnx`);
      const bytes = make();
      if (bytes) writeFileSync(src, bytes);
      const out = join(dir, `${name}-out.tflite`);
      const r = await mai('convert', src, '-o', out);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^mai: error: /);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).toContain(`${name}.onnx`); // the message names the file
      expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('  hint:'))).toHaveLength(1);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
      expect(existsSync(out)).toBe(false);
      expect(leftovers(`${name}-out`)).toEqual([]);
    });
  }

  it('bad input: a .tflite given to convert is named as such, exit 2', async () => {
    const src = join(dir, 'conv.onnx');
    writeFileSync(src, convModel());
    const tfl = join(dir, 'given.tflite');
    expect((await mai('convert', src, '-o', tfl)).code).toBe(0);
    const r = await mai('convert', tfl, '-o', join(dir, 'again.tflite'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/given\.tflite.*TFLite/);
  });

  it('bad input: every unknown op is listed with its node name and reason code', async () => {
    const src = join(dir, 'unknown.onnx');
    writeFileSync(
      src,
      buildOnnxModel({
        opset: 13,
        inputs: [{ name: 'x', shape: [1, 3, 8, 8] }],
        outputs: [{ name: 'z', shape: [1, 3, 8, 8] }],
        nodes: [
          { op: 'FrobnicateA', name: 'first_bad', inputs: ['x'], outputs: ['y'] },
          { op: 'Relu', name: 'ok', inputs: ['y'], outputs: ['y2'] },
          { op: 'FrobnicateB', name: 'second_bad', inputs: ['y2'], outputs: ['z'] },
        ],
      }),
    );
    const out = join(dir, 'unknown-out.tflite');
    const r = await mai('convert', src, '-o', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/first_bad.*FrobnicateA.*unsupported-op/);
    expect(r.stderr).toMatch(/second_bad.*FrobnicateB.*unsupported-op/);
    expect(existsSync(out)).toBe(false);
    const j = await mai('convert', src, '-o', out, '--json');
    expect(JSON.parse(j.stdout).diagnostics.map((d: { node: string }) => d.node)).toEqual(['first_bad', 'second_bad']);
  });

  it('bad input: a missing external data file names the path, exit 2', async () => {
    const { model } = buildOnnxModelFiles({
      opset: 13,
      inputs: [{ name: 'x', shape: [1, 3, 8, 8] }],
      outputs: [{ name: 'y', shape: [1, 2, 8, 8] }],
      initializers: [{ name: 'w', shape: [2, 3, 1, 1], data: normalFloat32(6, 3), externalLocation: 'weights.bin' }],
      nodes: [{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'] }],
    });
    const src = join(dir, 'external.onnx');
    writeFileSync(src, model); // weights.bin deliberately not written
    const out = join(dir, 'external-out.tflite');
    const r = await mai('convert', src, '-o', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/weights\.bin/);
    expect(existsSync(out)).toBe(false);
  });

  it('a symbolic input dim needs --input-shape; the error names the input', async () => {
    const src = join(dir, 'dynamic.onnx');
    writeFileSync(
      src,
      buildOnnxModel({
        opset: 13,
        inputs: [{ name: 'pixels', shape: ['batch', 3, 8, 8] }],
        outputs: [{ name: 'y', shape: ['batch', 3, 8, 8] }],
        nodes: [{ op: 'Relu', inputs: ['pixels'], outputs: ['y'] }],
      }),
    );
    const r = await mai('convert', src, '-o', join(dir, 'dyn.tflite'), '--json');
    expect(r.code).toBe(2);
    const err = JSON.parse(r.stdout);
    expect(JSON.stringify(err)).toMatch(/dynamic-shape/);
    expect(JSON.stringify(err)).toMatch(/pixels/);
    const ok = await mai('convert', src, '-o', join(dir, 'dyn.tflite'), '--input-shape', 'pixels=1,3,8,8', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).inputs[0].shape).toEqual([1, 8, 8, 3]);
  });

  it('bad output paths are refused up front (exit 2, naming the -o path), nothing converted or written', async () => {
    const src = join(dir, 'conv-out.onnx');
    writeFileSync(src, convModel());
    const missing = await mai('convert', src, '-o', join(dir, 'no-such-dir', 'x.tflite'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/-o .*no-such-dir.*does not exist/);
    expect(missing.stderr).not.toMatch(/\.tmp/);
    const folder = await mai('convert', src, '-o', dir);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/is a folder/);
    const same = await mai('convert', src, '-o', src);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/input model itself/);
    expect(readFileSync(src).subarray(4, 8).toString()).not.toBe('TFL3'); // the source is untouched
  });

  it('--check loads external data next to the model, whatever the current folder', async () => {
    const sub = join(dir, 'ext-ok');
    const { model, externalFiles } = buildOnnxModelFiles({
      opset: 13,
      inputs: [{ name: 'x', shape: [1, 3, 8, 8] }],
      outputs: [{ name: 'y', shape: [1, 2, 8, 8] }],
      initializers: [
        { name: 'w', shape: [2, 3, 1, 1], data: normalFloat32(6, 3), externalLocation: 'weights.bin' },
        { name: 'b', shape: [2], data: normalFloat32(2, 4) },
      ],
      nodes: [{ op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['y'] }],
    });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'ext.onnx'), model);
    for (const [name, data] of externalFiles) writeFileSync(join(sub, name), data);
    expect(process.cwd()).not.toBe(sub);
    const r = await mai('convert', join(sub, 'ext.onnx'), '-o', join(dir, 'ext.tflite'), '--check', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).check.pass).toBe(true);
  });

  it('--check fails with exit 1 when LiteRT and onnxruntime disagree beyond tolerance (catastrophic cancellation)', async () => {
    // x·W with W's two halves ≈ ±1e6: the result is the tiny difference of huge partial sums,
    // so the two runtimes' different float summation orders give visibly different outputs.
    const K = 256;
    const b = new OnnxGraphBuilder();
    const x = b.input('x', [1, K]);
    const xx = b.node('Concat', [x, x], { axis: 1 });
    const w = new Float32Array(2 * K * 4);
    for (let i = 0; i < 2 * K; i++) for (let j = 0; j < 4; j++) w[i * 4 + j] = (i < K ? 1 : -1) * (1e6 + 7.3 * (i % K) * (j + 1));
    const y = b.node('MatMul', [xx, b.init('W', [2 * K, 4], w)], {}, 'y');
    b.output(y, [1, 4]);
    const src = join(dir, 'cancel.onnx');
    writeFileSync(src, b.build());
    const out = join(dir, 'cancel.tflite');
    const r = await mai('convert', src, '-o', out, '--check', '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout); // exactly one JSON document, with the failing verdict
    expect(report.check.pass).toBe(false);
    expect(report.check.outputs[0].maxAbs).toBeGreaterThan(report.check.outputs[0].limit);
    expect(existsSync(out)).toBe(true); // a verdict, not an error: the file is kept for inspection
    const text = await mai('convert', src, '-o', out, '--check');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/FAIL/);
  });

  it('usage error (missing -o) exits 2', async () => {
    const r = await mai('convert', join(dir, 'conv.onnx'));
    expect(r.code).toBe(2);
  });
});

describe('mai inspect', () => {
  it("inspects Google's selfie_segmentation.tflite (a file someone else wrote)", async () => {
    const r = await mai('inspect', 'node_modules/@mediapipe/selfie_segmentation/selfie_segmentation.tflite', '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.format).toBe('tflite');
    expect(info.inputs[0].shape).toEqual([1, 256, 256, 3]);
    expect(info.outputs[0].shape).toEqual([1, 256, 256, 1]);
    expect(info.ops.CONV_2D).toBeGreaterThan(10);
    expect(info.ops['CUSTOM:Convolution2DTransposeBias']).toBeGreaterThan(0); // named, not a bare CUSTOM
    expect(info.flops).toBeGreaterThan(1e7);
    expect(info.weightBytes).toBeGreaterThan(100_000);
    const text = await mai('inspect', 'node_modules/@mediapipe/selfie_segmentation/selfie_segmentation.tflite');
    expect(text.stdout).toMatch(/CONV_2D/);
    expect(text.stdout).toMatch(/MFLOPs/);
  });

  it('inspects an ONNX model as it is (NCHW I/O, ONNX ops) and as mai convert would write it', async () => {
    const src = join(dir, 'conv-inspect.onnx');
    writeFileSync(src, convModel());
    const r = await mai('inspect', src, '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.format).toBe('onnx');
    expect(info.opset).toBe(13);
    expect(info.inputs[0]).toMatchObject({ name: 'image', shape: [1, 3, 16, 16], dtype: 'float32' });
    expect(info.ops).toEqual({ Conv: 1, Relu: 1, Sigmoid: 1 });
    expect(info.weightBytes).toBe((108 + 4) * 4);
    expect(info.conversion.ok).toBe(true);
    expect(info.conversion.tflite.ops).toEqual({ CONV_2D: 1, LOGISTIC: 1 }); // RELU fused
    expect(info.conversion.tflite.inputs[0].shape).toEqual([1, 16, 16, 3]);
    // conv MACs ×2 + bias adds, then one op per element for the sigmoid
    expect(info.flops).toBe(2 * 16 * 16 * 4 * 27 + 16 * 16 * 4 + 16 * 16 * 4);
  });

  it('inspects an ONNX model it cannot convert: exit 0, every unsupported node listed', async () => {
    const src = join(dir, 'inspect-unknown.onnx');
    writeFileSync(
      src,
      buildOnnxModel({
        opset: 13,
        inputs: [{ name: 'x', shape: ['batch', 3, 8, 8] }],
        outputs: [{ name: 'z', shape: ['batch', 3, 8, 8] }],
        nodes: [
          { op: 'FrobnicateA', name: 'first_bad', inputs: ['x'], outputs: ['y'] },
          { op: 'Relu', name: 'ok', inputs: ['y'], outputs: ['z'] },
        ],
      }),
    );
    const r = await mai('inspect', src, '--json', '--input-shape', 'x=1,3,8,8');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.inputs[0].shape).toEqual(['batch', 3, 8, 8]);
    expect(info.conversion.ok).toBe(false);
    expect(info.conversion.diagnostics.map((d: { node: string }) => d.node)).toContain('first_bad');
    const text = await mai('inspect', src, '--input-shape', 'x=1,3,8,8');
    expect(text.stdout).toMatch(/not convertible yet/);
    expect(text.stdout).toMatch(/first_bad \(FrobnicateA\): unsupported-op/);
  });

  it('random bytes → exit 2', async () => {
    const f = join(dir, 'noise.bin');
    writeFileSync(f, Uint8Array.from({ length: 999 }, (_, i) => (i * 7919) & 255));
    const r = await mai('inspect', f);
    expect(r.code).toBe(2);
  });
});
