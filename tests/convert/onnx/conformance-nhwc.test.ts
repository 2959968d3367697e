/**
 * ONNX backend conformance models for this ops through the default NHWC-I/O path (the
 * suite in tests/convert/conformance runs them with keepIoLayout; this one exercises the layout
 * logic: inputs transposed to NHWC, outputs back). Rule: see conformance-runner.ts.
 * Every covered model must either pass or be rejected with a stable reason code; a wrong result
 * or a crash fails. A model LiteRT.js cannot run here (I/O dtypes it cannot feed) is skipped with
 * the reason (ctx.skip), not counted as passed. Skipped with a message when ../shared/onnx-conformance is absent.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { conformanceAvailable, coveredCases, runCase, type CaseResult } from './conformance-runner.js';

const available = conformanceAvailable();
const STABLE_REASONS = /^(unsupported-op|unsupported-attribute|requires-constant-input|dynamic-shape|unsupported-dtype|shape-mismatch)/;

describe.skipIf(!available)('ONNX conformance suite (../shared/onnx-conformance/node)', () => {
  const cases = available ? coveredCases() : [];
  const results: CaseResult[] = [];
  afterAll(() => {
    const perOp = new Map<string, Record<string, number>>();
    for (const r of results) {
      for (const op of r.ops.filter((o) => o !== 'Constant' || r.ops.length === 1)) {
        const row = perOp.get(op) ?? {};
        row[r.outcome] = (row[r.outcome] ?? 0) + 1;
        perOp.set(op, row);
      }
    }
    const lines = [...perOp].sort().map(([op, c]) => `  ${op.padEnd(20)} pass ${(c.pass ?? 0) + (c['pass-frozen'] ?? 0)} (frozen ${c['pass-frozen'] ?? 0}), rejected ${c.rejected ?? 0}, skipped ${c.skipped ?? 0}, fail ${c.fail ?? 0}`);
    console.log(`conformance: ${results.length} models\n${lines.join('\n')}`);
  });
  for (const c of cases) {
    it(c.name, async (ctx) => {
      const r = await runCase(c.name, c.ops);
      results.push(r);
      // not runnable here (e.g. I/O dtypes LiteRT.js cannot feed): reported as skipped, never as passed
      if (r.outcome === 'skipped') ctx.skip(r.detail);
      expect(r.outcome, r.detail).not.toBe('fail');
      if (r.outcome === 'rejected') expect(r.detail).toMatch(STABLE_REASONS);
    });
  }
});

describe.skipIf(available)('ONNX conformance suite', () => {
  it.skip('skipped: ../shared/onnx-conformance is absent on this machine', () => {});
});
