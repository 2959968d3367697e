import { describe, expect, it } from 'vitest';
import { reportJson } from '../../src/validate/json.js';

describe('reportJson (shared by validate, metrics and convert --check)', () => {
  it('writes non-finite numbers as the strings "Infinity", "-Infinity", "NaN", at any depth; finite numbers unchanged', () => {
    const text = reportJson({ sqnr: Infinity, psnr: [30.5, -Infinity], nested: { cosine: NaN, max_abs: 0, n: -2.5e-9 } });
    expect(JSON.parse(text)).toEqual({ sqnr: 'Infinity', psnr: [30.5, '-Infinity'], nested: { cosine: 'NaN', max_abs: 0, n: -2.5e-9 } });
    // plain JSON.stringify would have written null, losing the value
    expect(text).not.toContain('null');
  });

  it('is one pretty-printed JSON document', () => {
    expect(reportJson({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});
