/**
 * `mai convert --channels-last-outputs`: the YOLO-style corpus detector's [1,80,84] head comes out as
 * [1,84,80] with zero TRANSPOSE, --check against onnxruntime passes and every op is delegated on the
 * Kirin 9000; `mai inspect` shows the layout; misuse (with --keep-io-layout, on a TF graph) is exit 2
 * naming the option, nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mai } from '../helpers/cli.js';
import { FIXTURES } from '../convert/tf/fixtures.js';

const yolo = resolve('data/corpus/yolo_style.ts-op13.onnx');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mai-cli-channels-last-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mai convert --channels-last-outputs', () => {
  it('YOLO-style detector: [1,84,80] head, 0 TRANSPOSE, --check passes, fully delegated', async () => {
    const out = join(dir, 'yolo.tflite');
    const r = await mai('convert', yolo, '-o', out, '--channels-last-outputs', '--check', '--target', 'kirin9000', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.ops.TRANSPOSE ?? 0).toBe(0);
    expect(report.outputs).toEqual([{ name: 'output', shape: [1, 84, 80], dtype: 'float32', layout: 'NHWC' }]);
    expect(report.check.pass).toBe(true);
    expect(report.gpu.fullyDelegated).toBe(true);
    expect(report.notes.join('\n')).toMatch(/'output' \[1,84,80\] channels-last/);
    const inspect = await mai('inspect', out);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).toMatch(/output\s+float32\s+\[1,84,80\]\s+NHWC/);
  });

  it('without the option the output is ONNX\'s [1,80,84] (one TRANSPOSE)', async () => {
    const r = await mai('convert', yolo, '-o', join(dir, 'yolo-default.tflite'), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.outputs[0]).toMatchObject({ shape: [1, 80, 84], layout: 'plain' });
    expect(report.ops.TRANSPOSE).toBe(1);
  });

  it('with --keep-io-layout: exit 2 naming both options, nothing written', async () => {
    const r = await mai('convert', yolo, '-o', join(dir, 'both.tflite'), '--channels-last-outputs', '--keep-io-layout');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--channels-last-outputs and --keep-io-layout/);
    expect(readdirSync(dir).filter((f) => f.startsWith('both'))).toEqual([]);
  });

  it('on a TF graph: exit 2 naming the option and the file, nothing written', async () => {
    const r = await mai('convert', join(FIXTURES, 'op_pool', 'frozen.pb'), '-o', join(dir, 'tf.tflite'), '--channels-last-outputs');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--channels-last-outputs applies to ONNX models; .*frozen\.pb is a TF graph/);
    expect(existsSync(join(dir, 'tf.tflite'))).toBe(false);
  });
});
