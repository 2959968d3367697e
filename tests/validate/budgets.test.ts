import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { isMaiError } from '../../src/core/errors.js';
import { DEFAULT_WARN_MARGIN, judge, latencyBudget, latencyBudgets, loadBudgets, metricBudget, metricDrop, parseBudgets, sizeBudget } from '../../src/validate/budgets.js';
import { budgetVerdicts, LATENCY_SKIP_REASON } from '../../src/validate/verdicts.js';

function errorOf(fn: () => unknown): { message: string; exit: number } {
  try {
    fn();
  } catch (e) {
    if (isMaiError(e)) return { message: e.message, exit: e.exit };
    throw e;
  }
  throw new Error('expected an error');
}

describe('budgets', () => {
  it('loads the example budgets.yaml at the repository root', async () => {
    const b = await loadBudgets('budgets.yaml');
    expect(latencyBudget(b, 'out/selfie_segmentation.int8.tflite', 'kirin9000')).toEqual({ maxMs: 12, warnMargin: 0.1 });
    expect(latencyBudget(b, 'selfie_segmentation', 'dimensity9000')).toBeUndefined();
    expect(latencyBudget(b, 'other_model', 'kirin9000')).toBeUndefined();
    expect(sizeBudget(b, 'bokeh_pynet.tflite')).toEqual({ maxBytes: 20_000_000, warnMargin: 0.1 });
    const mb = metricBudget(b, 'selfie_segmentation.tflite', 'matting');
    expect(mb.metrics.sad).toEqual({ maxDrop: 0.5, warnMargin: 0.1 });
    expect(mb.agreement.sqnr).toEqual({ min: 20, warnMargin: 0.1 });
    // the entry is for matting only
    expect(metricBudget(b, 'selfie_segmentation.tflite', 'bokeh').metrics).toEqual({});
  });

  it('exact names win over globs; per-limit warnMargin overrides', () => {
    const b = parseBudgets(
      ['warnMargin: 0.2', 'models:', '  "m*":', '    latency: { kirin9000: 10 }', '  m1:', '    latency:', '      kirin9000: { maxMs: 5, warnMargin: 0 }', ''].join('\n'),
    );
    expect(latencyBudget(b, 'm1.tflite', 'kirin9000')).toEqual({ maxMs: 5, warnMargin: 0 });
    expect(latencyBudget(b, 'm2.tflite', 'kirin9000')).toEqual({ maxMs: 10, warnMargin: 0.2 });
    expect(b.models[1]!.line).toBe(5);
  });

  it('malformed YAML names the line', () => {
    const e = errorOf(() => parseBudgets('models:\n  a:\n    latency: [kirin9000: 3\n', 'b.yaml'));
    expect(e.exit).toBe(2);
    expect(e.message).toMatch(/^b\.yaml:\d+: malformed YAML/);
  });

  it('a wrong field names the line and the field', () => {
    const text = ['version: 1', 'models:', '  seg:', '    metrics:', '      sad: { maxDrop: 0.5 }', '      sadd: { maxDrop: 1 }', ''].join('\n');
    const e = errorOf(() => parseBudgets(text, 'b.yaml'));
    expect(e.message).toBe('b.yaml:6: models.seg.metrics.sadd: unknown field (expected one of: sad, mse, grad, conn, iou, psnr, ssim)');
  });

  it('a wrong value type names the line and the field', () => {
    const text = ['models:', '  seg:', '    latency:', '      kirin9000: fast', ''].join('\n');
    const e = errorOf(() => parseBudgets(text, 'b.yaml'));
    expect(e.message).toMatch(/^b\.yaml:4: models\.seg\.latency\.kirin9000: expected a latency in ms/);
    const e2 = errorOf(() => parseBudgets('models:\n  seg:\n    metrics:\n      iou: { maxDropRel: -1 }\n', 'b.yaml'));
    expect(e2.message).toMatch(/^b\.yaml:4: models\.seg\.metrics\.iou\.maxDropRel: /);
    const e3 = errorOf(() => parseBudgets('models:\n  seg:\n    size: { maxMB: 1, maxBytes: 3 }\n', 'b.yaml'));
    expect(e3.message).toBe('b.yaml:3: models.seg.size: size needs exactly one of maxBytes, maxMB');
  });

  it('judge: PASS, WARN within the relative margin, FAIL past the limit; min and max', () => {
    expect(judge(10, 12, 'max', 0.1)).toEqual({ status: 'PASS', value: 10, limit: 12, margin: 2 });
    expect(judge(11, 12, 'max', 0.1).status).toBe('WARN');
    expect(judge(12, 12, 'max', 0.1).status).toBe('WARN');
    expect(judge(12.01, 12, 'max', 0.1).status).toBe('FAIL');
    expect(judge(25, 20, 'min', 0.1)).toEqual({ status: 'PASS', value: 25, limit: 20, margin: 5 });
    expect(judge(21, 20, 'min', 0.1).status).toBe('WARN');
    expect(judge(19, 20, 'min', 0.1)).toEqual({ status: 'FAIL', value: 19, limit: 20, margin: -1 });
    expect(judge(Number.NaN, 20, 'min', 0.1).status).toBe('FAIL');
  });

  it('without warnMargin in the file every rule gets the documented default, 0.1 (10 %)', () => {
    expect(DEFAULT_WARN_MARGIN).toBe(0.1);
    const b = parseBudgets(
      ['models:', '  seg:', '    metrics: { sad: { maxDrop: 1 } }', '    agreement: { sqnr: { min: 20 } }', '    latency: { kirin9000: 10 }', '    size: { maxBytes: 1000 }', ''].join('\n'),
    );
    expect(b.warnMargin).toBe(0.1);
    expect(metricBudget(b, 'seg', 'matting').metrics.sad!.warnMargin).toBe(0.1);
    expect(metricBudget(b, 'seg', 'matting').agreement.sqnr!.warnMargin).toBe(0.1);
    expect(latencyBudget(b, 'seg', 'kirin9000')!.warnMargin).toBe(0.1);
    expect(sizeBudget(b, 'seg')!.warnMargin).toBe(0.1);
    // 0.1 in effect: SQNR 21.5 against min 20 is WARN (within 2), 22.5 is PASS
    const at = (sqnr: number) => budgetVerdicts(b, { task: 'matting', model: 'seg', reference: {}, candidate: {}, agreement: { sqnr }, candidateBytes: 1 }).verdicts[0]!.status;
    expect(at(21.5)).toBe('WARN');
    expect(at(22.5)).toBe('PASS');
  });

  it('the docs state the same default warn margin as the code', () => {
    const header = readFileSync('src/validate/budgets.ts', 'utf8').split('*/')[0]!;
    expect(header).toMatch(/DEFAULT_WARN_MARGIN = 0\.1 \(10 %/);
    expect(readFileSync('budgets.yaml', 'utf8')).toMatch(/^warnMargin: 0\.1 .*0\.1 is also the default/m);
    expect(readFileSync('src/validate/README.md', 'utf8')).toMatch(/default `warnMargin` is \*\*0\.1\*\* \(10 %\)/);
  });

  it('latency rules are listed as skipped by validate (mai deploy measures them), never dropped silently', async () => {
    const b = await loadBudgets('budgets.yaml');
    expect(latencyBudgets(b, 'bokeh_pynet')).toEqual({ kirin9000: { maxMs: 100, warnMargin: 0.15 } });
    const v = budgetVerdicts(b, { task: 'bokeh', model: 'bokeh_pynet', reference: { psnr: 30, ssim: 0.9 }, candidate: { psnr: 30, ssim: 0.9 }, agreement: { sqnr: 40 }, candidateBytes: 1000 });
    expect(v.skipped).toEqual([{ check: 'latency.kirin9000.maxMs', reason: LATENCY_SKIP_REASON, limit: 100 }]);
    expect(LATENCY_SKIP_REASON).toBe('latency is measured by mai deploy');
    expect(v.verdicts.map((r) => r.check)).not.toContain('latency.kirin9000.maxMs');
    // most specific entry wins per device class; every class is listed
    const b2 = parseBudgets(['models:', '  "m*":', '    latency: { kirin9000: 10, sd8gen2: 7 }', '  m1:', '    latency: { kirin9000: 5 }', ''].join('\n'));
    const s2 = budgetVerdicts(b2, { task: 'matting', model: 'm1.tflite', reference: {}, candidate: {}, agreement: {}, candidateBytes: 1 }).skipped;
    expect(s2).toEqual([
      { check: 'latency.kirin9000.maxMs', reason: LATENCY_SKIP_REASON, limit: 5 },
      { check: 'latency.sd8gen2.maxMs', reason: LATENCY_SKIP_REASON, limit: 7 },
    ]);
  });

  it('metric drop is direction-aware', () => {
    expect(metricDrop('sad', 1, 1.5)).toBe(0.5);
    expect(metricDrop('psnr', 30, 29)).toBe(1);
    expect(metricDrop('iou', 0.9, 0.95)).toBeCloseTo(-0.05);
  });
});
