import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mai } from '../helpers/cli.js';
import { fiveDModel, gpuModel } from './gpu-fixtures.js';
import { buildFp16EncoderDecoderOnnx } from '../../src/samples/pytorch-fp16-encoder-decoder.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mai-cli-target-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mai convert --target', () => {
  it('a fully delegated model converts and reports one partition', async () => {
    const src = join(dir, 'ok.onnx');
    writeFileSync(src, gpuModel());
    const r = await mai('convert', src, '-o', join(dir, 'ok.tflite'), '--target', 'kirin9000', '--json');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.gpu).toMatchObject({ target: 'kirin9000', fullyDelegated: true, delegatePartitions: 1, cpuOps: [] });
    expect(rep.written).toBe(true);
    expect(existsSync(join(dir, 'ok.tflite'))).toBe(true);
  });

  it('the PyTorch-style fp16 encoder–decoder (shape-arithmetic resizes) converts for kirin9000: 0 CPU ops, 0 TRANSPOSE, --check passes', async () => {
    const src = join(dir, 'fp16ed.onnx');
    writeFileSync(src, buildFp16EncoderDecoderOnnx());
    const r = await mai('convert', src, '-o', join(dir, 'fp16ed.tflite'), '--target', 'kirin9000', '--check', '--json');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.gpu).toMatchObject({ fullyDelegated: true, delegatePartitions: 1, cpuOps: [] });
    expect(rep.ops.TRANSPOSE ?? 0).toBe(0);
    expect(rep.check.pass).toBe(true);
  });

  it('fails with exit 1 listing every CPU op with rule, message and node, and writes nothing', async () => {
    const src = join(dir, 'five.onnx');
    writeFileSync(src, fiveDModel());
    const r = await mai('convert', src, '-o', join(dir, 'five.tflite'), '--target', 'kirin9000', '--json');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const rep = JSON.parse(r.stdout);
    expect(rep.written).toBe(false);
    expect(rep.gpu.fullyDelegated).toBe(false);
    type Cpu = { node: string; op: string; rules: Array<{ rule: string; message: string }> };
    const cpu: Cpu[] = rep.gpu.cpuOps;
    // the three nodes touching a 5-D tensor, each with the rank rule and the delegate's message
    const rank = cpu.filter((o) => o.rules.some((r) => r.rule === 'gpu.rank-above-4'));
    expect(rank.map((o) => o.node.replace(/_reshape$/, '')).sort()).toEqual(['back4d', 'swap5d', 'to5d']);
    for (const o of rank) expect(o.rules.find((r) => r.rule === 'gpu.rank-above-4')!.message).toBe("OP is supported, but tensor type/shape isn't compatible.");
    expect(cpu.find((o) => o.node === 'swap5d')!.rules[0]!.rule).toBe('gpu.transpose-perm');
    // whatever is left outside the single delegated partition is listed under the partition rule
    for (const o of cpu.filter((x) => !rank.includes(x))) expect(o.rules.map((r) => r.rule)).toEqual(['gpu.partition-limit']);
    expect(rep.gpu.cpuOps.length).toBe(rep.nodes - rep.gpu.delegatedOps);
    expect(readdirSync(dir).filter((f) => f.startsWith('five.tflite'))).toEqual([]);
  });

  it('text mode prints one line per CPU op and the same exit code', async () => {
    const src = join(dir, 'five-text.onnx');
    writeFileSync(src, fiveDModel());
    const r = await mai('convert', src, '-o', join(dir, 'five-text.tflite'), '--target', 'kirin9000');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/not written: \d+ of \d+ ops would run on the CPU on kirin9000/);
    expect(r.stdout).toMatch(/swap5d \(TRANSPOSE\): gpu\.transpose-perm: .*; gpu\.rank-above-4: OP is supported/);
    expect(r.stdout.match(/gpu\.rank-above-4/g)?.length).toBe(3);
  });

  it('--allow-cpu-fallback writes the file and prints the same list as warnings', async () => {
    const src = join(dir, 'five-allow.onnx');
    const out = join(dir, 'five-allow.tflite');
    writeFileSync(src, fiveDModel());
    const r = await mai('convert', src, '-o', out, '--target', 'kirin9000', '--allow-cpu-fallback');
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(r.stderr.match(/^warning: .*gpu\.rank-above-4/gm)?.length).toBe(3);
    const j = await mai('convert', src, '-o', out, '--target', 'kirin9000', '--allow-cpu-fallback', '--json');
    expect(j.code).toBe(0);
    expect(j.stderr).toBe('');
    expect(JSON.parse(j.stdout)).toMatchObject({ written: true, gpu: { fullyDelegated: false } });
  });

  it('--allow-cpu-fallback without --target is exit 2', async () => {
    const src = join(dir, 'ok3.onnx');
    writeFileSync(src, gpuModel());
    const r = await mai('convert', src, '-o', join(dir, 'ok3.tflite'), '--allow-cpu-fallback', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).message).toMatch(/--allow-cpu-fallback needs --target/);
    expect(existsSync(join(dir, 'ok3.tflite'))).toBe(false);
  });

  it('an unknown target is exit 2 naming the known ones', async () => {
    const src = join(dir, 'ok2.onnx');
    writeFileSync(src, gpuModel());
    const r = await mai('convert', src, '-o', join(dir, 'ok2.tflite'), '--target', 'pixel9', '--json');
    expect(r.code).toBe(2);
    const err = JSON.parse(r.stdout);
    expect(err.error).toBe('unknown-target');
    expect(err.message).toContain('kirin9000');
    expect(existsSync(join(dir, 'ok2.tflite'))).toBe(false);
  });
});
