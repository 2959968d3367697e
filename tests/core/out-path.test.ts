/** Outputs named after samples / models stay inside --out, whatever the name holds. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { outputPathIn, safeFileName } from '../../src/core/out-path.js';
import { hostileWord } from '../devicelab/hostile.js';

const out = mkdtempSync(join(tmpdir(), 'mai-out-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('safeFileName / outputPathIn', () => {
  it.each([
    ['face_001', '.png', 'face_001.png'],
    ['../../etc/passwd', '.png', /^_\.\._etc_passwd-[0-9a-f]{8}\.png$/],
    ['..', '', /^_-[0-9a-f]{8}$/],
    ['.hidden', '.html', /^hidden-[0-9a-f]{8}\.html$/],
    ['a/b', '', /^a_b-[0-9a-f]{8}$/],
    ['a\0b\nc', '.json', /^a_b_c-[0-9a-f]{8}\.json$/],
    ['C:\\x', '', /^C__x-[0-9a-f]{8}$/],
    ['日本語 sample', '.png', '日本語 sample.png'],
  ])('%s', (name, ext, expected) => {
    const f = safeFileName(name, ext);
    if (typeof expected === 'string') expect(f).toBe(expected);
    else expect(f).toMatch(expected);
  });

  it('cuts long names under 200 bytes, keeping the extension and telling them apart', () => {
    const a = safeFileName('é'.repeat(5000) + 'a', '.png');
    const b = safeFileName('é'.repeat(5000) + 'b', '.png');
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(200);
    expect(a.endsWith('.png')).toBe(true);
    expect(a).not.toBe(b);
  });

  it('property: every hostile name gives a writable file directly inside --out, distinct names distinct files (500 runs)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(hostileWord(), { minLength: 1, maxLength: 5 }), (names) => {
        const paths = names.map((n) => outputPathIn(out, n, '.png'));
        for (const p of paths) expect(dirname(p)).toBe(out);
        expect(new Set(paths).size).toBe(names.length);
        for (const p of paths) writeFileSync(p, 'x');
        for (const p of paths) rmSync(p);
        expect(readdirSync(out)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
