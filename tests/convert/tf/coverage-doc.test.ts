import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTfOpCoverage, runTfFixtures, TF_DOC_PATH } from '../../../scripts/gen-tf-op-coverage.js';
import { TF_OPS } from '../../../src/convert/tf/ops/index.js';

describe('docs/tf-op-coverage.md', () => {
  it('equals the generator output (op table, GPU rules, a fresh run of the TF fixtures)', async () => {
    const results = await runTfFixtures();
    expect(results.length).toBeGreaterThan(0);
    expect(readFileSync(TF_DOC_PATH, 'utf8'), 'docs/tf-op-coverage.md is stale: run `npm run docs:tf-ops` and commit it').toBe(renderTfOpCoverage(results));
  });

  it('has one row per TF op of the table; a failing fixture lowers the count of every op it uses', () => {
    const md = renderTfOpCoverage([
      { fixture: 'a', format: 'tfjs', ops: ['Conv2D', 'Relu'], pass: true },
      { fixture: 'a', format: 'graphdef', ops: ['Conv2D'], pass: false },
    ]);
    const rows = md.split('## Refused by name')[0]!.split('\n').filter((l) => /^\| _?[A-Z]\w* \| /.test(l));
    expect(rows.length).toBe(TF_OPS.length);
    expect(md).toMatch(/^\| Conv2D \| .* \| 1 \/ 2 \|$/m);
    expect(md).toMatch(/^\| Relu \| .* \| 1 \/ 1 \|$/m);
    expect(md).toMatch(/^\| Tanh \| .* \| no fixture \|$/m);
    expect(md).toMatch(/^\| While \| unsupported-op \| is part of a data-dependent loop/m);
  });
});
