import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutputPath, writeFileAtomic } from '../../src/core/fs-atomic.js';
import { trackedTemp } from '../../src/core/temp-files.js';
import type { MaiError } from '../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-atomic-'));
afterAll(() => {
  chmodSync(join(dir, 'ro'), 0o755);
  rmSync(dir, { recursive: true, force: true });
});

/** A folder this process cannot create files in: a mode-555 folder, or (as root, who ignores modes) /sys. */
function unwritableDir(): string {
  const ro = join(dir, 'ro');
  mkdirSync(ro, { recursive: true });
  chmodSync(ro, 0o555);
  try {
    writeFileSync(join(ro, 'x'), '');
    rmSync(join(ro, 'x'));
    return '/sys';
  } catch {
    return ro;
  }
}

describe('output paths', () => {
  it('checkOutputPath refuses a folder it cannot create files in, naming the path and the reason in words', () => {
    const ro = unwritableDir();
    expect(() => checkOutputPath(join(ro, 'model.tflite'), '-o')).toThrow(
      expect.objectContaining({ code: 'output-unwritable', exit: 2, message: `-o ${join(ro, 'model.tflite')}: cannot create files in ${ro}: permission denied` }),
    );
    expect(readdirSync(ro).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('checkOutputPath accepts a writable folder and leaves nothing behind; refuses a missing folder and a folder as file', () => {
    checkOutputPath(join(dir, 'ok.tflite'), '-o');
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(() => checkOutputPath(join(dir, 'missing', 'x.tflite'), '-o')).toThrow(expect.objectContaining({ code: 'output-dir-missing' }));
    expect(() => checkOutputPath(dir, '--html')).toThrow(expect.objectContaining({ code: 'output-is-directory' }));
  });

  it('writeFileAtomic writes the whole file (strings and bytes, larger than one chunk) and leaves no temp file tracked or on disk', async () => {
    const big = new Uint8Array((8 << 20) * 2 + 12345).map((_, i) => i * 7);
    await writeFileAtomic(join(dir, 'big.bin'), big);
    expect(Buffer.compare(readFileSync(join(dir, 'big.bin')), Buffer.from(big))).toBe(0);
    await writeFileAtomic(join(dir, 'text.txt'), 'héllo');
    expect(readFileSync(join(dir, 'text.txt'), 'utf8')).toBe('héllo');
    await writeFileAtomic(join(dir, 'empty.bin'), new Uint8Array(0));
    expect(statSync(join(dir, 'empty.bin')).size).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(trackedTemp()).toEqual([]);
  });

  it('writeFileAtomic of bytes with holes fills each hole on the way to the file', async () => {
    const bytes = Uint8Array.from({ length: 64 }, (_, i) => i + 1);
    const holes = [
      { offset: 0, length: 4, fill: (d: Uint8Array) => d.fill(0xa0) },
      { offset: 20, length: 10, fill: (d: Uint8Array) => d.fill(0xb0) },
      { offset: 60, length: 4, fill: (d: Uint8Array) => d.fill(0xc0) },
    ];
    await writeFileAtomic(join(dir, 'holes.bin'), { bytes, holes });
    const want = new Uint8Array(bytes);
    for (const h of holes) h.fill(want.subarray(h.offset, h.offset + h.length));
    expect([...readFileSync(join(dir, 'holes.bin'))]).toEqual([...want]);
    expect(bytes[0]).toBe(1); // the caller's bytes are not filled
  });

  it('writeFileAtomic into a folder it cannot write: an error in words naming the path, nothing left', async () => {
    const ro = unwritableDir();
    const target = join(ro, 'out.bin');
    const e = await writeFileAtomic(target, new Uint8Array(10)).then(() => undefined, (err: unknown) => err as MaiError);
    expect(e?.message).toBe(`cannot write ${target}: permission denied`);
    expect(trackedTemp()).toEqual([]);
  });
});
