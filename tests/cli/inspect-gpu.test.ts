import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mai } from '../helpers/cli.js';
import { fiveDModel } from './gpu-fixtures.js';

const SELFIE = 'node_modules/@mediapipe/selfie_segmentation/selfie_segmentation.tflite';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mai-cli-inspect-gpu-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface OpRow { index: number; node: string; op: string; verdict: string; rule?: string; rules?: string[]; message?: string; partition?: number }

describe('mai inspect: GPU verdict per op and delegate partitions', () => {
  it("Google's selfie_segmentation.tflite (fp16 DEQUANTIZE, CUSTOM Convolution2DTransposeBias): every op delegated, 1 partition", async () => {
    const r = await mai('inspect', SELFIE, '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.gpu).toMatchObject({ target: 'kirin9000', delegatePartitions: 1, fullyDelegated: true, cpuOps: 0 });
    expect(info.gpu.ops).toHaveLength(info.nodeCount);
    expect(info.gpu.ops.every((o: OpRow) => o.verdict === 'delegated')).toBe(true);
    expect(info.gpu.ops.some((o: OpRow) => o.op === 'CUSTOM:Convolution2DTransposeBias')).toBe(true);
    const text = await mai('inspect', SELFIE);
    expect(text.stdout).toMatch(/CUSTOM:Convolution2DTransposeBias\s+1\s+delegated/);
    expect(text.stdout).toMatch(/GPU \(kirin9000\): 246 of 246 ops delegated in 1 delegate partition/);
  });

  it('our .tflite with CPU ops: each CPU op listed with its rule and message, partitions counted', async () => {
    const src = join(dir, 'five.onnx');
    const out = join(dir, 'five.tflite');
    writeFileSync(src, fiveDModel());
    expect((await mai('convert', src, '-o', out, '--target', 'kirin9000', '--allow-cpu-fallback', '--json')).code).toBe(0);
    const r = await mai('inspect', out, '--json');
    expect(r.code).toBe(0);
    const gpu = JSON.parse(r.stdout).gpu;
    expect(gpu.fullyDelegated).toBe(false);
    expect(gpu.delegatePartitions).toBe(1);
    expect(gpu.supportedSubsets).toBeGreaterThanOrEqual(1);
    const cpu = gpu.ops.filter((o: OpRow) => o.verdict === 'cpu');
    expect(cpu.length).toBe(gpu.cpuOps);
    expect(cpu.filter((o: OpRow) => o.rules!.includes('gpu.rank-above-4')).map((o: OpRow) => o.op).sort()).toEqual(['RESHAPE', 'RESHAPE', 'TRANSPOSE']);
    for (const o of cpu) expect(o.message).toBeTruthy();
    const text = await mai('inspect', out);
    expect(text.stdout).toMatch(/RESHAPE\s+2\s+CPU: gpu\.rank-above-4/);
    expect(text.stdout).toMatch(/CPU ops \(\d+\):/);
    for (const o of cpu) expect(text.stdout).toContain(o.node);
  });

  it('ONNX: the verdict is on the conversion result', async () => {
    const src = join(dir, 'five2.onnx');
    writeFileSync(src, fiveDModel());
    const r = await mai('inspect', src, '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.gpu).toBeUndefined();
    const gpu = info.conversion.tflite.gpu;
    expect(gpu.ops).toHaveLength(info.conversion.tflite.nodeCount);
    expect(gpu.ops.some((o: OpRow) => o.node === 'swap5d' && o.verdict === 'cpu' && o.rule === 'gpu.transpose-perm')).toBe(true);
  });

  it('an unknown --target is exit 2', async () => {
    const r = await mai('inspect', SELFIE, '--target', 'nope', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toBe('unknown-target');
  });
});
