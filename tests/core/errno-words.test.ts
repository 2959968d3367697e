import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errnoWords } from '../../src/core/errno-words.js';

describe('errnoWords', () => {
  it('says what a file-system error code means', () => {
    expect(errnoWords(Object.assign(new Error('EACCES: permission denied, open /x'), { code: 'EACCES' }))).toBe('permission denied');
    expect(errnoWords(Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' }))).toBe('the file system is read-only');
    expect(errnoWords(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }))).toBe('no space left on the device');
  });

  it('an error of a real call is named in words, never by its code', () => {
    let e: unknown;
    try {
      mkdirSync('/proc/mai-cannot-be-here');
    } catch (err) {
      e = err;
    }
    expect(e).toBeDefined();
    expect(errnoWords(e)).not.toMatch(/^E[A-Z]+\b/);
  });

  it('an unknown code keeps the message without its code prefix; a non-error is printed as is', () => {
    expect(errnoWords(Object.assign(new Error('EWEIRD: something odd, open /x'), { code: 'EWEIRD' }))).toBe('something odd, open /x');
    expect(errnoWords(new Error('database disk image is malformed'))).toBe('database disk image is malformed');
    expect(errnoWords('plain')).toBe('plain');
  });
});
