import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mai } from '../helpers/cli.js';
import { buildOnnxModel, buildOnnxModelFiles, normalFloat32 } from '../helpers/onnx-builder.js';
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
    expect(info.flops).toBeGreaterThan(1e7);
    expect(info.weightBytes).toBeGreaterThan(100_000);
    const text = await mai('inspect', 'node_modules/@mediapipe/selfie_segmentation/selfie_segmentation.tflite');
    expect(text.stdout).toMatch(/CONV_2D/);
    expect(text.stdout).toMatch(/MFLOPs/);
  });

  it('inspects an ONNX model through the importer', async () => {
    const src = join(dir, 'conv-inspect.onnx');
    writeFileSync(src, convModel());
    const r = await mai('inspect', src, '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.format).toBe('onnx');
    expect(info.ops.CONV_2D).toBe(1);
    expect(info.flops).toBe(2 * 16 * 16 * 4 * 27 + 16 * 16 * 4 + 2 * 16 * 16 * 4);
  });

  it('random bytes → exit 2', async () => {
    const f = join(dir, 'noise.bin');
    writeFileSync(f, Uint8Array.from({ length: 999 }, (_, i) => (i * 7919) & 255));
    const r = await mai('inspect', f);
    expect(r.code).toBe(2);
  });
});
