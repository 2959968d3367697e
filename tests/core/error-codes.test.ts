import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from '../../src/core/error-codes.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('the error code catalogue', () => {
  it('describes every code in one line, each description distinct', () => {
    const descriptions = Object.values(ERROR_CODES);
    for (const [code, d] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(d.length, code).toBeGreaterThan(10);
      expect(d, code).not.toContain('\n');
    }
    expect(new Set(descriptions).size).toBe(descriptions.length);
  });

  it('knows its codes and nothing else', () => {
    expect(isErrorCode('file-not-found')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('gpu-cpu-fallback')).toBe(false);
  });

  it('is the only place codes are made: src/ raises no raw Error a user could reach outside the listed exceptions', () => {
    // the emulated device shell's file system reports errno text its shell prints; decode.ts wraps its own throw
    const allowed = new Set(['src/devicelab/sim/vfs.ts', 'src/data/decode.ts']);
    const raw = sources('src').filter((f) => !allowed.has(f) && /throw new Error\(/.test(readFileSync(f, 'utf8')));
    expect(raw).toEqual([]);
  });
});
