/**
 * `--outputs` on convert and inspect: a model with a deep-supervision side output and a
 * post-processing tail mai cannot convert (`Unique`); keeping
 * the main output drops both, `--check` compares that output against onnxruntime; an intermediate
 * value can be an output; an unknown name is exit 2 listing the outputs.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, attr, buildOnnxModelFiles, normalFloat32 } from '../helpers/onnx-builder.js';
import { mai } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Conv → Relu ('features') → Conv → Sigmoid ('alpha'); side output 'aux' from features; tail 'ids' = Unique(Flatten(alpha)). */
function model(external: boolean): string {
  const b = new OnnxGraphBuilder({ opset: 13 });
  const x = b.input('x', [1, 3, 8, 8]);
  const extra = external ? { externalLocation: 'w.bin' } : {};
  const f = b.node('Relu', [b.node('Conv', [x, b.init('w1', [4, 3, 3, 3], normalFloat32(108, 1), 'float32', extra)], { pads: attr.ints([1, 1, 1, 1]) })], {}, 'features');
  const alpha = b.node('Sigmoid', [b.node('Conv', [f, b.init('w2', [1, 4, 3, 3], normalFloat32(36, 2), 'float32', extra)], { pads: attr.ints([1, 1, 1, 1]) })], {}, 'alpha');
  const aux = b.node('Conv', [f, b.init('w3', [1, 4, 1, 1], normalFloat32(4, 3), 'float32', extra)], {}, 'aux');
  const ids = b.nodeMulti('Unique', [b.node('Flatten', [alpha])], { sorted: attr.int(1) }, ['ids'])[0]!;
  b.output(alpha, [1, 1, 8, 8]);
  b.output(aux, [1, 1, 8, 8]);
  b.output(ids, ['n']);
  const files = buildOnnxModelFiles(b.spec);
  const path = join(dir, external ? 'ext.onnx' : 'm.onnx');
  writeFileSync(path, files.model);
  for (const [name, data] of files.externalFiles) writeFileSync(join(dir, name), data);
  return path;
}

describe('mai convert --outputs', () => {
  it('without --outputs the unconvertible tail is reported', async () => {
    const r = await mai('convert', model(false), '-o', join(dir, 'all.tflite'), '--json');
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/Unique/);
  });

  it.each([false, true])('keeps the chosen output and what it needs; --check against onnxruntime (external data: %s)', async (external) => {
    const out = join(dir, `alpha-${external}.tflite`);
    const r = await mai('convert', model(external), '-o', out, '--outputs', 'alpha', '--check', '--json');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.outputs.map((o: { name: string }) => o.name)).toEqual(['alpha']);
    expect(j.check.outputs.map((o: { name: string }) => o.name)).toEqual(['alpha']);
    expect(j.check.pass).toBe(true);
    expect(j.ops).toEqual({ CONV_2D: 2, LOGISTIC: 1 });
    expect(existsSync(out)).toBe(true);
  });

  it('an intermediate value and a graph output together, in the order given', async () => {
    const r = await mai('convert', model(false), '-o', join(dir, 'two.tflite'), '--outputs', 'aux,features', '--check', '--json');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.outputs.map((o: { name: string }) => o.name)).toEqual(['aux', 'features']);
    expect(j.check.outputs.every((o: { pass: boolean }) => o.pass)).toBe(true);
    expect(j.ops.LOGISTIC).toBeUndefined();
  });

  it('an unknown name is exit 2 listing the outputs; nothing is written', async () => {
    const out = join(dir, 'none.tflite');
    const r = await mai('convert', model(false), '-o', out, '--outputs', 'alpah', '--json');
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout || r.stderr);
    expect(j.error).toBe('unknown-output');
    expect(j.message).toContain("'alpah'");
    expect(j.message).toContain('alpha, aux, ids');
    expect(existsSync(out)).toBe(false);
  });

  it('an empty name is a bad option', async () => {
    const r = await mai('convert', model(false), '-o', join(dir, 'e.tflite'), '--outputs', 'alpha,');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--outputs/);
  });
});

describe('mai inspect --outputs', () => {
  it('describes the selection: its outputs and only the nodes they need, converted', async () => {
    const r = await mai('inspect', model(false), '--outputs', 'alpha', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.outputs.map((o: { name: string }) => o.name)).toEqual(['alpha']);
    expect(j.ops).toEqual({ Conv: 2, Relu: 1, Sigmoid: 1 });
    expect(j.conversion.ok).toBe(true);
  });

  it('an unknown name is exit 2', async () => {
    const r = await mai('inspect', model(false), '--outputs', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('alpha, aux, ids');
  });
});
