/** The verdict rules on hand-made inputs: precedence, persistence, minimum effect. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/devicelab/lab/config.js';
import { compareWithBaseline, decideVerdict, secondaryIncrease, type VerdictInput } from '../../../src/devicelab/lab/verdict.js';

const baseline = Array.from({ length: 35 }, (_, k) => 1000 * (1 + 0.01 * Math.sin(k * 1.7)));
const nights = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];
const slower = compareWithBaseline([1300, 1310, 1295, 1305, 1302], baseline, nights, DEFAULT_POLICY)!;
const base: VerdictInput = { validRuns: 5, comparison: slower, goodNights: 7, previousSlower: false, confirmedByRerun: false, policy: DEFAULT_POLICY };

describe('compareWithBaseline', () => {
  it('flags a 1.3× shift as slower, with a CI above 1.25', () => {
    expect(slower.shift).toBe('slower');
    expect(slower.ratio).toBeCloseTo(1.302, 2);
    expect(slower.ci.low).toBeGreaterThan(1.25);
  });
  it('a significant but small shift (2 %) is not a regression: below the minimum effect', () => {
    const c = compareWithBaseline([1020, 1021, 1022, 1023, 1024], baseline, nights, DEFAULT_POLICY)!;
    expect(c.pSlower).toBeLessThan(0.01);
    expect(c.shift).toBeNull();
    expect(c.note).toMatch(/minimum effect/);
  });
  it('a large shift of a noisy baseline needs 2.5 σ too', () => {
    const noisy = Array.from({ length: 35 }, (_, k) => 1000 * (1 + 0.2 * Math.sin(k * 1.7)));
    expect(compareWithBaseline([1150, 1160, 1170, 1180, 1190], noisy, nights, DEFAULT_POLICY)!.shift).toBeNull();
  });
  it('faster is IMPROVED', () => {
    const c = compareWithBaseline([700, 705, 702, 698, 701], baseline, nights, DEFAULT_POLICY)!;
    expect(decideVerdict({ ...base, comparison: c }).verdict).toBe('IMPROVED');
  });
});

describe('decideVerdict', () => {
  it('one night slower is WARN; two in a row or a confirming rerun is REGRESSION', () => {
    expect(decideVerdict(base).verdict).toBe('WARN');
    expect(decideVerdict({ ...base, previousSlower: true }).verdict).toBe('REGRESSION');
    expect(decideVerdict({ ...base, confirmedByRerun: true }).verdict).toBe('REGRESSION');
  });
  it('fewer than minNights good nights is INSUFFICIENT_DATA, even when slower', () => {
    expect(decideVerdict({ ...base, goodNights: 4 }).verdict).toBe('INSUFFICIENT_DATA');
  });
  it('precedence: NOT_RUN, ERROR, FAIL (accuracy, latency budget, delegation, rejected) before the statistics', () => {
    expect(decideVerdict({ ...base, notRun: 'offline', error: 'x' }).verdict).toBe('NOT_RUN');
    expect(decideVerdict({ ...base, error: 'convert failed' }).verdict).toBe('ERROR');
    expect(decideVerdict({ ...base, accuracy: 'FAIL', previousSlower: true }).verdict).toBe('FAIL');
    expect(decideVerdict({ ...base, latencyBudget: { status: 'FAIL', valueMs: 9, maxMs: 8 } }).reasons[0]).toMatch(/latency p50 9\.000 ms > budget 8 ms/);
    expect(decideVerdict({ ...base, delegationChange: '5 → 6' }).verdict).toBe('FAIL');
    expect(decideVerdict({ ...base, rejected: 'CPU fallback' }).verdict).toBe('FAIL');
    expect(decideVerdict({ ...base, validRuns: 0 }).verdict).toBe('ERROR');
  });
  it('within noise is PASS; a budget warn margin or a grown init time makes it WARN', () => {
    const same = compareWithBaseline([1000, 1001, 999, 1002, 998], baseline, nights, DEFAULT_POLICY)!;
    expect(decideVerdict({ ...base, comparison: same }).verdict).toBe('PASS');
    expect(decideVerdict({ ...base, comparison: same, accuracy: 'WARN' }).verdict).toBe('WARN');
    const init = secondaryIncrease('init time', 'ms', [340, 341, 342, 343, 344], Array.from({ length: 35 }, (_, k) => 300 + (k % 5)), { alpha: 0.01, minRatio: 1.1, minAbs: 0 });
    expect(init).toMatch(/^init time 1\.13\d× the baseline/);
    expect(decideVerdict({ ...base, comparison: same, secondary: [init!] }).verdict).toBe('WARN');
    expect(secondaryIncrease('memory', 'MB', [41, 41, 41, 41, 41], Array(35).fill(40), { alpha: 0.01, minRatio: 1.05, minAbs: 2 })).toBeUndefined();
  });
});
