/**
 * An ONNX reference (onnxruntime-node, NCHW input [1,3,H,W]) against its
 * TFLite conversion (LiteRT, NHWC input [1,H,W,3]): each model is fed in its
 * own layout, so the outputs agree to float rounding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { buildEncoderDecoderOnnx } from '../../src/samples/encoder-decoder.js';
import { convert } from '../../src/convert/index.js';
import { mai } from '../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mai-onnxref-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('validate with an ONNX reference', () => {
  it('NCHW ONNX vs NHWC TFLite conversion: agreement to float rounding, PASS under a tight agreement budget', async () => {
    const onnx = buildEncoderDecoderOnnx({ size: 64, width: 8, seed: 3 });
    writeFileSync(join(dir, 'ed.onnx'), onnx);
    writeFileSync(join(dir, 'ed.tflite'), convert({ bytes: onnx, file: 'ed.onnx' }).tflite);
    writeFileSync(join(dir, 'b.yaml'), 'models:\n  ed:\n    agreement:\n      max_abs: { max: 1.0e-5 }\n      sqnr: { min: 80 }\n');
    const r = await mai('validate', '--reference', join(dir, 'ed.onnx'), '--candidate', join(dir, 'ed.tflite'), '--data', 'data/samples/matting', '--task', 'matting', '--budgets', join(dir, 'b.yaml'), '--json');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.reference).toMatchObject({ format: 'onnx', runtime: 'onnxruntime-node', input: { shape: [1, 3, 64, 64], layout: 'NCHW' } });
    expect(j.candidate).toMatchObject({ format: 'tflite', runtime: 'litert-wasm', input: { shape: [1, 64, 64, 3], layout: 'NHWC' } });
    expect(j.summary.agreement.max_abs).toBeLessThan(1e-5);
    expect(j.verdicts.map((v: { status: string }) => v.status)).toEqual(['PASS', 'PASS']);
  });

  it('an ONNX candidate is refused (the candidate runs in LiteRT)', async () => {
    writeFileSync(join(dir, 'c.onnx'), buildEncoderDecoderOnnx({ size: 32, width: 8, seed: 1 }));
    const r = await mai('validate', '--reference', join(dir, 'c.onnx'), '--candidate', join(dir, 'c.onnx'), '--data', 'data/samples/matting', '--task', 'matting', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).message).toMatch(/expected a \.tflite file/);
  });
});
