/**
 * The WebAssembly SIMD extremes scan against a scalar loop: random runs with NaN, ±Inf, lengths
 * that are not a multiple of 4, sub-ranges at any offset, empty and all-NaN runs.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random.js';
import { range, runRange, runRangeOutside, SIMD_RUN } from '../../src/quantize/observers/simd-range.js';

function scalar(d: Float32Array, from: number, to: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    if (d[i]! < lo) lo = d[i]!;
    if (d[i]! > hi) hi = d[i]!;
  }
  return [lo, hi];
}

describe('runRange (WebAssembly SIMD extremes)', () => {
  it('equals a scalar scan on 3000 random runs with NaN and ±Inf, at any offset and length', () => {
    const rand = seededRandom(5);
    let compared = 0;
    for (let t = 0; t < 3000; t++) {
      const n = 1 + Math.floor(rand() * 200);
      const d = Float32Array.from({ length: n }, () => (rand() - 0.5) * 1e3);
      if (t % 3 === 0) d[Math.floor(rand() * n)] = NaN;
      if (t % 7 === 0) d[Math.floor(rand() * n)] = Infinity;
      if (t % 11 === 0) d[Math.floor(rand() * n)] = -Infinity;
      const from = Math.floor(rand() * n);
      const to = from + Math.floor(rand() * (n - from + 1));
      runRange(d, from, to);
      expect([range.lo, range.hi], `run ${t}: [${from}, ${to}) of ${n}`).toEqual(scalar(d, from, to));
      compared++;
    }
    expect(compared).toBe(3000);
  });

  it('a full run of SIMD_RUN values finds extremes placed in its first and last lanes', () => {
    const d = new Float32Array(SIMD_RUN).fill(1);
    d[0] = -7;
    d[SIMD_RUN - 1] = 9;
    runRange(d, 0, SIMD_RUN);
    expect([range.lo, range.hi]).toEqual([-7, 9]);
  });

  it('an empty or all-NaN run gives [+Inf, −Inf]', () => {
    const d = new Float32Array(10).fill(NaN);
    runRange(d, 0, 10);
    expect([range.lo, range.hi]).toEqual([Infinity, -Infinity]);
    runRange(d, 3, 3);
    expect([range.lo, range.hi]).toEqual([Infinity, -Infinity]);
  });

  it('runRangeOutside: the same extremes, and exactly the values outside the thresholds (NaN, ±Inf included) in order', () => {
    const rand = seededRandom(8);
    for (let t = 0; t < 1000; t++) {
      const n = 1 + Math.floor(rand() * (t % 10 === 0 ? SIMD_RUN : 300));
      const d = Float32Array.from({ length: n }, () => (rand() - 0.5) * 100);
      if (t % 3 === 0) d[Math.floor(rand() * n)] = NaN;
      if (t % 7 === 0) d[Math.floor(rand() * n)] = Infinity;
      if (t % 11 === 0) d[Math.floor(rand() * n)] = -Infinity;
      const from = Math.floor(rand() * n);
      const to = from + Math.floor(rand() * (n - from + 1));
      // thresholds that are not float32 values: compared as float32
      const tLo = -40 + rand() * 30 + 1e-9;
      const tHi = 10 + rand() * 30 + 1e-9;
      const got: number[] = [];
      runRangeOutside(d, from, to, tLo, tHi, (v) => got.push(v));
      expect([range.lo, range.hi], `run ${t}`).toEqual(scalar(d, from, to));
      const [lo, hi] = [Math.fround(tLo), Math.fround(tHi)];
      expect(got, `run ${t}`).toEqual([...d.subarray(from, to)].filter((v) => !(v >= lo && v <= hi)));
    }
  });
});
