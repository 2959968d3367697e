import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mai } from '../helpers/cli.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { readTflite } from '../../src/tflite/reader.js';
import { buildEncoderDecoderOnnx } from '../../src/samples/encoder-decoder.js';
import { outlierModelBytes } from '../quantize/outlier-model.js';
import { npyF32 } from '../quantize/npy-writer.js';
import { IrBuilder } from '../helpers/ir-builder.js';
import { writeTflite } from '../../src/tflite/writer.js';

let dir: string;
let onnx: string;
let outlier: string;
let batch: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mai-cli-quantize-'));
  onnx = join(dir, 'ed.onnx');
  writeFileSync(onnx, buildEncoderDecoderOnnx({ size: 64, width: 8, seed: 2 }));
  outlier = join(dir, 'outlier.tflite');
  writeFileSync(outlier, outlierModelBytes());
  batch = join(dir, 'calib.npy');
  writeFileSync(batch, npyF32([12, 8, 8, 3], uniformFloat32(12 * 192, 5, 0, 1)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PHOTOS = join('data', 'samples', 'matting');
const noOutput = (name: string) => readdirSync(dir).filter((f) => f.startsWith(name));

describe('mai quantize', () => {
  it('int8 from ONNX on the bundled photos: one JSON document, a file LiteRT runs, the --report file', async () => {
    const out = join(dir, 'ed-int8.tflite');
    const rep = join(dir, 'ed-int8.json');
    const r = await mai('quantize', onnx, '-o', out, '--calib', PHOTOS, '--report', rep, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ mode: 'int8', io: 'float', convertedFrom: 'onnx', evaluatedOn: 'held-out', data: { kind: 'celebamat', total: 4 } });
    expect(j.calibSamples).toEqual(['astronaut', 'chelsea', 'coffee']);
    expect(j.evalSamples).toEqual(['hubble_deep_field']);
    expect(j.calibration.samplesPerSec).toBeGreaterThan(0);
    expect(j.sizes.quantizedBytes).toBe(readFileSync(out).byteLength);
    expect(j.outputs[0]).toHaveProperty('sqnrDb');
    expect(j.layers[0]).toHaveProperty('rmseOverScale');
    expect(j.layers.length).toBeGreaterThan(10);
    expect(JSON.parse(readFileSync(rep, 'utf8')).layers.length).toBe(j.layers.length);
    const g = readTflite(readFileSync(out));
    expect(g.nodes.some((n) => n.op === 'CONV_2D' && g.tensor(n.inputs[1]!).dtype === 'int8')).toBe(true);
    const m = await liteRtRuntime.load(readFileSync(out));
    const [y] = await m.run([{ name: 'input', dtype: 'float32', shape: [1, 64, 64, 3], data: uniformFloat32(64 * 64 * 3, 1, 0, 1) }]);
    expect(y!.shape).toEqual([1, 64, 64, 1]);
    await m.dispose();
  });

  it('--no-calib-worker calibrates in this thread to the same file, byte for byte', async () => {
    const a = join(dir, 'ed-lanes.tflite');
    const b = join(dir, 'ed-one-thread.tflite');
    const ra = await mai('quantize', onnx, '-o', a, '--calib', PHOTOS, '--json');
    const rb = await mai('quantize', onnx, '-o', b, '--calib', PHOTOS, '--no-calib-worker', '--json');
    expect([ra.code, rb.code, rb.stderr]).toEqual([0, 0, '']);
    expect(JSON.parse(rb.stdout).mode).toBe('int8');
    expect(Buffer.compare(readFileSync(a), readFileSync(b))).toBe(0);
  });

  it('text output: the output table and the worst layers', async () => {
    const r = await mai('quantize', onnx, '-o', join(dir, 'ed-text.tflite'), '--calib', PHOTOS, '--layers', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/int8: [\d.]+ KiB → [\d.]+ KiB/);
    expect(r.stdout).toMatch(/per layer, worst first \(3 of \d+/);
    expect(r.stdout).toMatch(/rmse\/scale\s+sqnr_dB/);
  });

  it('fp16 needs no calibration data: the report runs on seeded inputs', async () => {
    const r = await mai('quantize', onnx, '-o', join(dir, 'ed-fp16.tflite'), '--mode', 'fp16', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.evaluatedOn).toBe('random');
    expect(j.outputs[0].sqnrDb).toBeGreaterThan(50);
  });

  it('--max-drop sqnr=25 on the outlier model (.npy batch calibration): plain int8 fails, the budget loop passes', async () => {
    const out = join(dir, 'outlier-int8.tflite');
    const r = await mai('quantize', outlier, '-o', out, '--calib', batch, '--observer', 'minmax', '--max-drop', 'sqnr=25', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.data).toMatchObject({ kind: 'npy-batch', total: 12 });
    expect(j.mixedPrecision.met).toBe(true);
    expect(j.mixedPrecision.int8Value).toBeLessThan(25);
    expect(j.mixedPrecision.value).toBeGreaterThanOrEqual(25);
    expect(j.mixedPrecision.keptFloat.sort()).toEqual(['mix_in', 'mix_out']);
    expect(j.mixedPrecision.sizeCostBytes).toBeGreaterThan(0);
    expect(j.outputs[0].sqnrDb).toBeGreaterThanOrEqual(25);
  });

  it('a .tflite with RELU as its own op: fused into the conv before int8, said in notes', async () => {
    const b = new IrBuilder(3);
    const y = b.unary('RELU', b.conv2d(b.input('x', [1, 8, 8, 3]), { out: 4, k: 3 }));
    b.output(b.conv2d(y, { out: 2, k: 1 }));
    const src = join(dir, 'relu.tflite');
    writeFileSync(src, writeTflite(b.graph));
    const r = await mai('quantize', src, '-o', join(dir, 'relu-int8.tflite'), '--calib', batch, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.notes).toEqual(['fused 1 activation op(s) into their producers before int8 (numerically the same float model)']);
    expect(j.layers.some((l: { op: string }) => l.op === 'RELU')).toBe(false);
    const g = readTflite(readFileSync(join(dir, 'relu-int8.tflite')));
    expect(g.nodes.filter((n) => n.op === 'RELU')).toEqual([]);
  });

  it('an already-quantized model is said to be one', async () => {
    const r = await mai('quantize', outlier, '-o', join(dir, 'twice-1.tflite'), '--calib', batch);
    expect(r.code).toBe(0);
    const again = await mai('quantize', join(dir, 'twice-1.tflite'), '-o', join(dir, 'twice-2.tflite'), '--mode', 'fp16', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).notes[0]).toMatch(/twice-1\.tflite is already quantized \(\d+ int8\/uint8 activation tensors\)/);
  });

  it('budget unmet → exit 1, the result still printed as one JSON document with the reason', async () => {
    const r = await mai('quantize', outlier, '-o', join(dir, 'outlier-200.tflite'), '--calib', batch, '--max-drop', 'sqnr=200', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.mixedPrecision.met).toBe(false);
    expect(j.mixedPrecision.reason).toMatch(/even with every layer but the least sensitive one/);
  });

  it('int8 without --calib → exit 2 with a hint, nothing written', async () => {
    const r = await mai('quantize', onnx, '-o', join(dir, 'nocalib.tflite'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/int8 quantization needs calibration data \(--calib\)/);
    expect(r.stderr).toMatch(/hint: .*--mode fp16/);
    expect(noOutput('nocalib')).toEqual([]);
  });

  it('corrupt model → exit 2 naming the file; --json gives one error document', async () => {
    const bad = join(dir, 'corrupt.tflite');
    writeFileSync(bad, Uint8Array.from({ length: 2048 }, (_, i) => (i * 2654435761) >>> 24));
    const r = await mai('quantize', bad, '-o', join(dir, 'corrupt-out.tflite'), '--mode', 'fp16', '--json');
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.message).toContain('corrupt.tflite');
    expect(noOutput('corrupt-out')).toEqual([]);
  });

  it('bad options and inputs are exit 2 before any work: preprocess YAML line, output folder, --mode, --max-drop', async () => {
    const yml = join(dir, 'pre.yaml');
    writeFileSync(yml, 'resize: fit\nmean: [0.5, 0.5, 0.5]\nstdev: 0.5\n');
    const y = await mai('quantize', onnx, '-o', join(dir, 'x.tflite'), '--calib', PHOTOS, '--preprocess', yml);
    expect(y.code).toBe(2);
    expect(y.stderr).toContain(`${yml}:3: stdev: unknown field`);
    const o = await mai('quantize', onnx, '-o', join(dir, 'no', 'such', 'x.tflite'), '--mode', 'fp16');
    expect(o.code).toBe(2);
    const m = await mai('quantize', onnx, '-o', join(dir, 'x.tflite'), '--mode', 'int4');
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/--mode must be one of int8, fp16, dynamic/);
    const d = await mai('quantize', onnx, '-o', join(dir, 'x.tflite'), '--calib', PHOTOS, '--max-drop', 'accuracy=30');
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/--max-drop expects METRIC=VALUE/);
    const c = await mai('quantize', onnx, '-o', join(dir, 'x.tflite'), '--calib', join(dir, 'missing-data'));
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('missing-data');
    expect(existsSync(join(dir, 'x.tflite'))).toBe(false);
  });
});
