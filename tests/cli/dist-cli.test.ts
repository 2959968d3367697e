/**
 * The compiled CLI (dist/, what `npx mai` runs): one Node process, no tsx, heavy modules loaded
 * only by the commands that use them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '../helpers/onnx-builder.js';
import { DIST_MAIN, ROOT } from '../../scripts/dist.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-dist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEAVY = ['onnxruntime-node', '@litertjs/core', '@devicefarmer/adbkit', 'better-sqlite3', 'sharp', 'playwright-core', 'onnx-proto', 'protobufjs', '@tensorflow'];

// A resolve hook that names every module the CLI imports (on stderr, one `IMPORT url` line each).
const hooks = join(dir, 'log-imports.mjs');
writeFileSync(hooks, "export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write(`IMPORT ${r.url}\\n`); return r; }\n");
const logImports = `data:text/javascript,import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`;

function run(args: string[], nodeArgs: string[] = []) {
  return spawnSync(process.execPath, [...nodeArgs, DIST_MAIN, ...args], { cwd: ROOT, encoding: 'utf8' });
}

function packagesImported(args: string[]): string[] {
  const r = run(args, ['--import', logImports]);
  const urls = r.stderr.split('\n').filter((l) => l.startsWith('IMPORT ')).map((l) => l.slice(7));
  return [...new Set(urls.filter((u) => u.includes('/node_modules/')).map((u) => u.split('/node_modules/').pop()!.split('/').slice(0, 2).join('/')))];
}

describe('compiled CLI (dist/)', () => {
  it('package.json bin points at the compiled entry point, which starts with a node shebang', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    expect(join(ROOT, pkg.bin.mai!)).toBe(DIST_MAIN);
    expect(readFileSync(DIST_MAIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(pkg.scripts.prepare).toMatch(/npm run build/);
  });

  it('--version and --help answer from one process without tsx or any heavy module', () => {
    const v = run(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toBe('0.1.0');
    for (const args of [['--help'], ['--version'], ['convert', '--help'], ['deploy', '--help'], ['sim', '--help'], ['devices', '--help']]) {
      const pkgs = packagesImported(args);
      expect(pkgs, args.join(' ')).toContain('commander/esm.mjs');
      for (const p of pkgs) expect(HEAVY.some((h) => p.startsWith(h)) || p.startsWith('tsx'), `${args.join(' ')} imported ${p}`).toBe(false);
    }
  });

  it('convert runs from dist: writes the .tflite, and a missing model is exit 2 naming it', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 4, 4]);
    b.output(b.node('Relu', [b.node('Sigmoid', [x])]));
    const model = join(dir, 'tiny.onnx');
    writeFileSync(model, b.build());
    const out = join(dir, 'tiny.tflite');
    const r = run(['convert', model, '-o', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ output: out, written: true });
    expect(readFileSync(out).subarray(4, 8).toString()).toBe('TFL3');
    const pkgs = packagesImported(['convert', model, '-o', join(dir, 'tiny2.tflite')]);
    expect(pkgs.some((p) => p.startsWith('onnx-proto'))).toBe(true);
    for (const p of ['onnxruntime-node', '@litertjs/core', 'better-sqlite3', '@devicefarmer/adbkit', 'sharp']) expect(pkgs.some((q) => q.startsWith(p)), p).toBe(false);
    const missing = run(['convert', join(dir, 'nope.onnx'), '-o', join(dir, 'nope.tflite')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`model file not found: ${join(dir, 'nope.onnx')}`);
    expect(readdirSync(dir).sort()).toEqual(['log-imports.mjs', 'tiny.onnx', 'tiny.tflite', 'tiny2.tflite']);
  });
});

describe('compiled CLI output into a closed pipe', () => {
  it('a reader that stops early (| head -c 100) gets no stack trace; the command finishes and exits 0', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    let x = b.input('x', [1, 4, 8, 8]);
    for (let i = 0; i < 1500; i++) x = b.node(i % 2 ? 'Relu' : 'Sigmoid', [x]);
    b.output(x);
    const model = join(dir, 'chain.onnx');
    writeFileSync(model, b.build());
    const q = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    // inspect --json of 1500 ops is far more than a pipe holds; head leaves after 100 bytes
    const cmd = `${[process.execPath, DIST_MAIN, 'inspect', model, '--json'].map(q).join(' ')} | head -c 100 > /dev/null; echo "status \${PIPESTATUS[0]}" >&2`;
    const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.stderr.trim()).toBe('status 0');
  });
});
