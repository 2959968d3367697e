import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mai } from '../helpers/cli.js';
import { buildOnnxModel, normalFloat32 } from '../helpers/onnx-builder.js';
import { DEFAULT_PIPELINE } from '../../src/convert/passes/registry.js';

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
