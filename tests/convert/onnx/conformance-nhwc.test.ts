/**
 * The ONNX conformance cases mai covers (tests/convert/conformance runs them with keepIoLayout, NCHW
 * I/O like the test data) run again through the default path: 4-D inputs and outputs in NHWC, the
 * test data transposed on the way in and back on the way out. This exercises the layout logic of
 * every op on real expected outputs. Same rule: every case passes or is refused with a MaiError;
 * a wrong number or a crash fails. Skipped with a message when ../shared/onnx-conformance is absent.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFORMANCE_ROOT, coveredCases } from '../conformance/covered-cases.js';
import { runCase, type CaseResult } from '../conformance/run-case.js';

const present = existsSync(join(CONFORMANCE_ROOT, 'node'));
const SUITES = ['node', 'pytorch-converted', 'pytorch-operator'] as const;

describe.skipIf(!present)(present ? 'ONNX conformance through the NHWC-I/O path' : `ONNX conformance (NHWC) SKIPPED: ${CONFORMANCE_ROOT}/node is absent`, () => {
  for (const suite of SUITES) {
    it(`${suite}: covered cases with NHWC I/O match the expected outputs in LiteRT`, { timeout: 900_000 }, async () => {
      const { cases } = coveredCases(join(CONFORMANCE_ROOT, suite));
      const results: CaseResult[] = [];
      for (const dir of cases) results.push(await runCase(dir, { nhwcIo: true }));
      const passed = results.filter((r) => r.status === 'passed').length;
      console.log(`${suite} (NHWC I/O): ${results.length} covered, ${passed} passed, ${results.filter((r) => r.status === 'rejected').length} rejected, ${results.filter((r) => r.status === 'not-runnable').length} not runnable`);
      expect(passed).toBeGreaterThan(0);
      expect(results.filter((r) => r.status === 'failed').map((r) => `${r.name}: ${r.reason}`), `${suite}: wrong results through the NHWC path`).toEqual([]);
    });
  }
});
