import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mai } from '../helpers/cli.js';
import { buildOnnxModel, normalFloat32 } from '../helpers/onnx-builder.js';
import { ALL_PASSES, DEFAULT_PIPELINE } from '../../src/convert/passes/registry.js';

let dir: string;
let src: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mai-cli-passes-'));
  src = join(dir, 'conv-tanh.onnx');
  // Conv → Tanh: fuse-activation declines (TFLite's CONV_2D kernel ignores a fused TANH)
  writeFileSync(
    src,
    buildOnnxModel({
      opset: 13,
      inputs: [{ name: 'x', shape: [1, 3, 8, 8] }],
      outputs: [{ name: 'y', shape: [1, 4, 8, 8] }],
      initializers: [{ name: 'w', shape: [4, 3, 3, 3], data: normalFloat32(108, 1, 0.3) }],
      nodes: [
        { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1] } },
        { op: 'Tanh', inputs: ['c'], outputs: ['y'] },
      ],
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mai convert --verbose / --passes', () => {
  it('--verbose lists every pass of the pipeline with its status, and each decline with its reason', async () => {
    const r = await mai('convert', src, '-o', join(dir, 'v.tflite'), '--verbose');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('pass '));
    expect(lines.map((l) => l.split(':')[0])).toEqual(DEFAULT_PIPELINE.map((p) => `pass ${p.id}`));
    expect(r.stdout).toMatch(/^pass fuse-activation: declined: /m);
    expect(r.stdout).toMatch(/^ {2}declined .*TANH.*ignores a fused TANH/m);
    const quiet = await mai('convert', src, '-o', join(dir, 'q.tflite'));
    expect(quiet.stdout).not.toMatch(/^pass /m);
  });

  it('--passes runs only the passes named, in that order', async () => {
    const r = await mai('convert', src, '-o', join(dir, 'p.tflite'), '--passes', 'eliminate-dead-code, remove-identity', '--json');
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout).passes.map((p: { id: string }) => p.id)).toEqual(['eliminate-dead-code', 'remove-identity']);
  });

  it('--passes with an unknown id is bad input naming it and the known ones', async () => {
    const r = await mai('convert', src, '-o', join(dir, 'x.tflite'), '--passes', 'fold-constants,nope', '--json');
    expect(r.code).toBe(2);
    const e = JSON.parse(r.stdout);
    expect(e.error).toBe('bad-option');
    expect(e.message).toMatch(/unknown pass id\(s\): nope; known: remove-identity, fold-constants/);
  });
});

describe('mai convert --list-passes', () => {
  it('--json lists every registered pass with its phase, summary, transactional flag and place in the default pipeline', async () => {
    const r = await mai('convert', '--list-passes', '--json');
    expect(r.code, r.stderr).toBe(0);
    const { passes } = JSON.parse(r.stdout) as { passes: Array<{ id: string; phase: string; summary: string; transactional: boolean; inDefaultPipeline: boolean; runBy?: string; runs?: string[] }> };
    expect(passes.map((p) => p.id).sort()).toEqual(ALL_PASSES.map((p) => p.id).sort());
    for (const p of passes) {
      const spec = ALL_PASSES.find((q) => q.id === p.id)!;
      expect(p).toMatchObject({ phase: spec.phase, summary: spec.summary, transactional: Boolean(spec.transactional), inDefaultPipeline: DEFAULT_PIPELINE.includes(spec) });
    }
    expect(passes.find((p) => p.id === 'squeeze-to-reshape')).toMatchObject({ phase: 'target', transactional: true, inDefaultPipeline: true });
    // the transpose passes run inside sink-transposes
    expect(passes.find((p) => p.id === 'lower-transpose-rank')).toMatchObject({ inDefaultPipeline: false, runBy: 'sink-transposes' });
    expect(passes.find((p) => p.id === 'sink-transposes')!.runs).toEqual(['sink-transposes-below-ops', 'hoist-transposes-over-reshapes', 'hoist-transposes-over-ops', 'cancel-transposes', 'lower-transpose-rank']);
    // phase order
    const phases = passes.map((p) => p.phase);
    expect(phases.indexOf('cleanup')).toBeGreaterThan(phases.lastIndexOf('normalize'));
  });

  it('prints a table with one row per pass', async () => {
    const r = await mai('convert', '--list-passes');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id +phase +default +transactional +summary$/);
    expect(lines).toHaveLength(ALL_PASSES.length + 2);
    expect(r.stdout).toMatch(/^hoist-transposes-over-ops +layout +in sink-transposes +no +move a TRANSPOSE above/m);
    expect(r.stdout).toMatch(/^align-broadcast-ranks +target +yes +yes +/m);
  });

  it('is a usage error with a model; a conversion without a model or -o still is one', async () => {
    const withModel = await mai('convert', src, '--list-passes', '--json');
    expect(withModel.code).toBe(2);
    expect(JSON.parse(withModel.stdout)).toEqual({ error: 'usage', message: '--list-passes takes no model' });
    const noModel = await mai('convert', '-o', join(dir, 'n.tflite'), '--json');
    expect(noModel.code).toBe(2);
    expect(JSON.parse(noModel.stdout)).toEqual({ error: 'usage', message: "missing required argument 'model'" });
    const noOutput = await mai('convert', src);
    expect(noOutput.code).toBe(2);
    expect(noOutput.stderr).toMatch(/required option '-o, --output <file>' not specified/);
  });

  it('--verbose lists the steps of sink-transposes; --passes runs one of them alone', async () => {
    const r = await mai('convert', src, '-o', join(dir, 's.tflite'), '--verbose');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^pass sink-transposes: .*\n(?: {2}.*\n)*? {2}step sink-transposes-below-ops: (applied|skipped|declined): /m);
    expect(r.stdout).toMatch(/^ {2}step lower-transpose-rank: /m);
    const one = await mai('convert', src, '-o', join(dir, 'o.tflite'), '--passes', 'hoist-transposes-over-ops', '--json');
    expect(one.code, one.stdout).toBe(0);
    expect(JSON.parse(one.stdout).passes.map((p: { id: string }) => p.id)).toEqual(['hoist-transposes-over-ops']);
  });
});
