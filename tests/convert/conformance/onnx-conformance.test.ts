/**
 * The ONNX backend conformance suite (../shared/onnx-conformance: `node/`, plus
 * the PyTorch-exported `pytorch-converted/` and `pytorch-operator/`) run for
 * every test whose ops are all in the importer's op table: convert with
 * keepIoLayout (NCHW I/O like the test data) → LiteRT.js → compare with the
 * expected outputs, |got − want| ≤ 1e-7 + 1e-3·|want| as the ONNX backend tests use (integers exact).
 *
 * Outcomes: passed; failed (wrong numbers, crash, LiteRT refused the model);
 * rejected (the converter refused with a clean MaiError naming the reason —
 * a documented limitation, not a pass); not runnable here (I/O dtypes
 * LiteRT.js cannot feed or return: int64, bool, float16, float64, string…).
 * Inputs after the first are frozen into initializers when the converter
 * needs them constant (TFLite weights are static): `frozenInputs` in the report.
 * Per-op counts and every case's reason go to test-artifacts/conformance.json.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ONNX_OPS } from '../../../src/convert/onnx/ops/index.js';
import { ATOL, RTOL, runCase, type CaseResult, type CaseStatus } from './run-case.js';
import { CONFORMANCE_ROOT as ROOT, ONLY, coveredCases } from './covered-cases.js';

const present = existsSync(join(ROOT, 'node'));
const SUITES = ['node', 'pytorch-converted', 'pytorch-operator'] as const;
const ARTIFACT = join(process.cwd(), 'test-artifacts', 'conformance.json');
/**
 * Every covered case that runs must pass: a wrong number is a conversion bug. A failure
 * that is understood and accepted goes into KNOWN_FAILURES with its reason (none today).
 */
export const MIN_PASS_RATE = 1;
/** Of all covered cases (rejected and not-runnable ones included), the share that must pass. */
export const MIN_COVERED_PASS_RATE = 0.95;
const KNOWN_FAILURES: Record<string, string> = {};

function summarize(suite: string, results: CaseResult[], outOfScope: Array<{ name: string; op: string; reason: string }>) {
  const perOp: Record<string, Record<CaseStatus, number>> = {};
  for (const r of results) {
    perOp[r.op] ??= { passed: 0, failed: 0, rejected: 0, 'not-runnable': 0 };
    perOp[r.op]![r.status]++;
  }
  const count = (s: CaseStatus) => results.filter((r) => r.status === s).length;
  const ran = count('passed') + count('failed');
  return {
    suite,
    totals: { covered: results.length, passed: count('passed'), failed: count('failed'), rejected: count('rejected'), notRunnable: count('not-runnable'), outOfScopeDtypes: outOfScope.length, passRate: results.length ? +(count('passed') / results.length).toFixed(4) : 0, passRateOfRun: ran ? +(count('passed') / ran).toFixed(4) : 0 },
    perOp,
    failed: results.filter((r) => r.status === 'failed'),
    rejected: results.filter((r) => r.status === 'rejected'),
    notRunnable: results.filter((r) => r.status === 'not-runnable'),
    passed: results.filter((r) => r.status === 'passed').map((r) => ({ name: r.name, op: r.op, frozenInputs: r.frozenInputs, maxAbsError: r.maxAbsError, ioAdapter: r.ioAdapter })),
    outOfScope,
  };
}

const reports: Array<ReturnType<typeof summarize>> = [];

describe.skipIf(!present)(present ? 'ONNX conformance (covered ops)' : `ONNX conformance SKIPPED: ${ROOT}/node is absent (the suite is not part of a user's clone)`, () => {
  afterAll(() => {
    if (!reports.length || ONLY) return;
    mkdirSync(join(process.cwd(), 'test-artifacts'), { recursive: true });
    writeFileSync(ARTIFACT, JSON.stringify({ root: ROOT, tolerance: { atol: ATOL, rtol: RTOL, integers: 'exact' }, minPassRate: MIN_PASS_RATE, minCoveredPassRate: MIN_COVERED_PASS_RATE, suites: reports }, null, 2));
  });

  for (const suite of SUITES) {
    it(`${suite}: covered cases convert and match the expected outputs in LiteRT`, { timeout: 900_000 }, async (ctx) => {
      const { cases, outOfScope } = coveredCases(join(ROOT, suite));
      if (!cases.length) ctx.skip(`no covered cases in ${join(ROOT, suite)}`);
      const results: CaseResult[] = [];
      for (const dir of cases) results.push(await runCase(dir));
      const report = summarize(suite, results, outOfScope);
      reports.push(report);
      const ran = report.totals.passed + report.totals.failed;
      expect(ran).toBeGreaterThan(0);
      const unexplained = report.failed.filter((r) => !(r.name in KNOWN_FAILURES));
      expect(unexplained.map((r) => `${r.name}: ${r.reason}`), `${suite}: covered cases that ran and gave wrong results`).toEqual([]);
    });
  }

  it(`all suites: at least ${MIN_COVERED_PASS_RATE * 100} % of the covered cases pass (rejections and unrunnable cases count against it)`, (ctx) => {
    if (ONLY) ctx.skip(`MAI_CONFORMANCE_OPS=${ONLY.join(',')} runs a subset; the bar is over every covered case`);
    expect(reports.map((r) => r.suite)).toEqual([...SUITES]);
    const covered = reports.reduce((n, r) => n + r.totals.covered, 0);
    const passed = reports.reduce((n, r) => n + r.totals.passed, 0);
    const notPassed = reports.flatMap((r) => [...r.failed, ...r.rejected, ...r.notRunnable].map((c) => `${r.suite}/${c.name}: ${c.status}`));
    expect(passed / covered, `${passed} of ${covered} covered cases pass; the others:\n${notPassed.join('\n')}`).toBeGreaterThanOrEqual(MIN_COVERED_PASS_RATE);
  });
});
