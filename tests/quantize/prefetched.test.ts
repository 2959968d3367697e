/**
 * prefetched(): calibration asks for the next sample as it hands out the current one, so an image
 * decode overlaps the LiteRT run; items keep their order, a failing item fails where the loop
 * reaches it (never as an unhandled rejection), and leaving the loop early closes the source.
 */
import { describe, expect, it } from 'vitest';
import { prefetched } from '../../src/quantize/calibrate.js';

describe('prefetched', () => {
  it('keeps the order and starts the next item before the loop body runs', async () => {
    const log: string[] = [];
    async function* source() {
      for (let k = 0; k < 3; k++) {
        log.push(`load ${k}`);
        await new Promise((r) => setTimeout(r, 5));
        yield k;
      }
    }
    const seen: number[] = [];
    for await (const k of prefetched(source())) {
      log.push(`use ${k}`);
      seen.push(k);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(log.slice(0, 3)).toEqual(['load 0', 'load 1', 'use 0']);
    expect(log.indexOf('load 2')).toBeLessThan(log.indexOf('use 1'));
  });

  it('a failing item fails where the loop reaches it, with no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    async function* source() {
      yield 0;
      throw new Error('corrupt sample 1');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const k of prefetched(source())) {
          seen.push(k);
          await new Promise((r) => setTimeout(r, 20));
        }
      })(),
    ).rejects.toThrow('corrupt sample 1');
    await new Promise((r) => setTimeout(r, 20));
    process.off('unhandledRejection', onUnhandled);
    expect(seen).toEqual([0]);
    expect(unhandled).toEqual([]);
  });

  it('leaving the loop early closes the source', async () => {
    let closed = false;
    async function* source() {
      try {
        for (let k = 0; ; k++) yield k;
      } finally {
        closed = true;
      }
    }
    for await (const k of prefetched(source())) if (k === 2) break;
    expect(closed).toBe(true);
    // arrays (sync iterables) pass through too
    const out: number[] = [];
    for await (const k of prefetched([4, 5, 6])) out.push(k);
    expect(out).toEqual([4, 5, 6]);
  });
});
