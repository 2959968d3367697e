import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeAllTemp, removeTemp, tempDir, tempSibling, trackTemp, trackedTemp, untrackTemp } from '../../src/core/temp-files.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-temp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('temp-file registry', () => {
  it('tempSibling is a hidden .tmp beside the target, tracked until untracked or removed', () => {
    const target = join(dir, 'model.tflite');
    const t = tempSibling(target);
    expect(dirname(t)).toBe(dir);
    expect(basename(t)).toMatch(/^\.model\.tflite\.[0-9a-f]{12}\.tmp$/);
    expect(trackedTemp()).toContain(t);
    writeFileSync(t, 'x');
    removeTemp(t);
    expect(existsSync(t)).toBe(false);
    expect(trackedTemp()).not.toContain(t);
    const kept = tempSibling(target);
    untrackTemp(kept);
    expect(trackedTemp()).not.toContain(kept);
  });

  it('removeAllTemp removes tracked files and folders (with contents), skips missing ones, keeps the rest', () => {
    const d = tempDir('mai-temp-test-');
    writeFileSync(join(d, 'a.bin'), 'a');
    mkdirSync(join(d, 'sub'));
    writeFileSync(join(d, 'sub', 'b.bin'), 'b');
    const f = trackTemp(join(dir, 'f.tmp'));
    writeFileSync(f, 'f');
    trackTemp(join(dir, 'never-created.tmp'));
    writeFileSync(join(dir, 'keep.txt'), 'k');
    removeAllTemp();
    expect(existsSync(d)).toBe(false);
    expect(existsSync(f)).toBe(false);
    expect(trackedTemp()).toEqual([]);
    expect(readdirSync(dir)).toEqual(['keep.txt']);
  });

  // A child process creates temp files, then ends in each way JavaScript sees: they are gone after.
  it.each([
    ['a normal end', '', 0],
    ['process.exit(3)', 'process.exit(3);', 3],
    ['an uncaught error', "throw new Error('boom');", 1],
    ['an unhandled rejection', "await Promise.reject(new Error('boom'));", 1],
  ])('removes them on %s', (_name, ending, status) => {
    const out = mkdtempSync(join(dir, 'child-'));
    const script = `
      import { writeFileSync } from 'node:fs';
      import { join } from 'node:path';
      import { tempDir, tempSibling } from ${JSON.stringify(join(process.cwd(), 'src/core/temp-files.ts'))};
      const d = tempDir('mai-temp-child-');
      writeFileSync(join(d, 'x'), 'x');
      writeFileSync(tempSibling(join(${JSON.stringify(out)}, 'out.bin')), 'y');
      writeFileSync(join(${JSON.stringify(out)}, 'dir.txt'), d);
      ${ending}`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(status);
    const files = readdirSync(out);
    expect(files).toEqual(['dir.txt']);
    const d = readFileSync(join(out, 'dir.txt'), 'utf8');
    expect(d).toContain('mai-temp-child-');
    expect(existsSync(d)).toBe(false);
  });
});
