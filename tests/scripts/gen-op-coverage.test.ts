import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC_PATH, gpuOf, readConformance, renderOpCoverage, withoutConformance } from '../../scripts/gen-op-coverage.js';
import { ONNX_OPS } from '../../src/convert/onnx/ops/index.js';

const REGENERATE = 'docs/op-coverage.md is stale: run `npm run docs:ops` and commit it';

describe('docs/op-coverage.md', () => {
  it('equals the generator output (op table + GPU rules; conformance numbers come from the last local run)', () => {
    const committed = readFileSync(DOC_PATH, 'utf8');
    expect(withoutConformance(committed), REGENERATE).toBe(withoutConformance(renderOpCoverage(readConformance())));
  });

  it('has one row per ONNX op of the table, and the conformance column is "not run" without the artifact', () => {
    const md = renderOpCoverage(undefined);
    const rows = md.split('\n').filter((l) => /^\| [A-Z]\w* \| /.test(l) && l.split(' | ').length === 5);
    expect(rows.length).toBe(new Set(ONNX_OPS.map((r) => r.onnxOp)).size);
    for (const r of rows) expect(r.endsWith('| not run |')).toBe(true);
    expect(md).toMatch(/Conformance: not run/);
  });

  it('counts conformance cases per op across suites, including multi-op cases', () => {
    const md = renderOpCoverage({
      suites: [
        { suite: 'a', perOp: { Relu: { passed: 2, failed: 1, rejected: 1, 'not-runnable': 5 }, 'Conv+Relu': { passed: 3, failed: 0, rejected: 0, 'not-runnable': 0 } } },
        { suite: 'b', perOp: { Relu: { passed: 1, failed: 0, rejected: 0, 'not-runnable': 0 } } },
      ],
    });
    expect(md).toMatch(/^\| Relu \| .* \| 6 \/ 8 \|$/m);
    expect(md).toMatch(/^\| Conv \| .* \| 3 \/ 3 \|$/m);
    expect(md).toMatch(/^\| Sigmoid \| .* \| no cases \|$/m);
  });

  it('marks never-delegated TFLite ops as CPU', () => {
    expect(gpuOf('SQUEEZE')).toEqual({ delegated: false, label: 'CPU (never delegated)' });
    expect(gpuOf('CONV_2D').label).toBe('GPU ≤ v6 if conditions hold');
    expect(gpuOf('RELU').label).toBe('GPU ≤ v2');
  });
});
