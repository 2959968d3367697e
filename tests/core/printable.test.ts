/** Names shown on a terminal: control characters visible as escapes, everything else unchanged. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printable } from '../../src/core/printable.js';

describe('printable', () => {
  it('escapes control characters and leaves the rest', () => {
    expect(printable('a\nb\tc\r')).toBe('a\\nb\\tc\\r');
    expect(printable('\u001b[31mred\u0007')).toBe('\\x1b[31mred\\x07');
    expect(printable('x\u0085y\u2028z')).toBe('x\\x85y\\u2028z');
    expect(printable("a;touch $HOME-pwned.tflite 日本 🙂")).toBe("a;touch $HOME-pwned.tflite 日本 🙂");
  });

  it('property: no control character survives (500 runs)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        expect(printable(s)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      }),
      { numRuns: 500 },
    );
  });
});
