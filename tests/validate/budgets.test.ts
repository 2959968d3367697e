import { describe, expect, it } from 'vitest';
import { isMaiError } from '../../src/core/errors.js';
import { judge, latencyBudget, loadBudgets, metricBudget, metricDrop, parseBudgets, sizeBudget } from '../../src/validate/budgets.js';

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

  it('metric drop is direction-aware', () => {
    expect(metricDrop('sad', 1, 1.5)).toBe(0.5);
    expect(metricDrop('psnr', 30, 29)).toBe(1);
    expect(metricDrop('iou', 0.9, 0.95)).toBeCloseTo(-0.05);
  });
});
