/**
 * The CLI entry point as `npm run mai --` runs it (tsx src/cli/main.ts) in a child process with stdout
 * on a pipe: a --json document larger than a pipe buffer arrives whole. Once LiteRT.js is loaded the
 * stdout pipe is written asynchronously, and process.exit right after the write cut it at 64 KiB.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '../helpers/onnx-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

describe('mai CLI entry point', () => {
  it('prints a --json document over 64 KiB whole when stdout is a pipe', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    let x = b.input('x', [1, 4, 8, 8]);
    for (let i = 0; i < 700; i++) x = b.node(i % 2 ? 'Relu' : 'Sigmoid', [x]);
    b.output(x);
    const model = join(dir, 'chain.onnx');
    writeFileSync(model, b.build());
    // through a real pipe (`| cat`, as `| jq` would be); Node's own child pipes are socket pairs
    const file = join(dir, 'out.json');
    const q = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const cmd = [process.execPath, tsxCli, join(process.cwd(), 'src', 'cli', 'main.ts'), 'quantize', model, '-o', join(dir, 'chain-fp16.tflite'), '--mode', 'fp16', '--json'].map(q).join(' ');
    const r = spawnSync('sh', ['-c', `${cmd} 2>/dev/null | cat > ${q(file)}`], { stdio: 'ignore' });
    expect(r.status).toBe(0);
    const out = readFileSync(file, 'utf8');
    expect(out.length).toBeGreaterThan(65536);
    const doc = JSON.parse(out) as Record<string, unknown>;
    expect(doc).toHaveProperty('layers');
  }, 60_000);
});
