/**
 * The simulator against published Mali GPU latencies (src/devicelab/sim/anchors.ts): the anchor
 * models are built (src/samples/public-nets.ts), converted with mai and run through the cost model
 * with their profile. Fails when a change to the cost model moves a model-only point out of its
 * ±30 % band or above a pipeline upper bound, or when the table in docs/devicelab.md is stale.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANCHOR_BAND, ANCHORS, type AnchorModel } from '../../src/devicelab/sim/anchors.js';
import { evaluateAnchors, renderCalibrationTable, type AnchorModelFile } from '../../src/devicelab/sim/calibration.js';
import { checkGpuCompat } from '../../src/convert/gpu/check.js';
import { nodeFlops } from '../../src/ir/flops.js';

describe('calibration anchors', () => {
  const models = new Map<AnchorModel, AnchorModelFile | undefined>();
  const results = evaluateAnchors(models);

  it('builds every anchor model and runs it fully on the GPU delegate', () => {
    for (const r of results) {
      expect(r.simMs, r.anchor.model).toBeDefined();
      const m = models.get(r.anchor.model)!;
      expect(checkGpuCompat(m.graph).fullyDelegated, r.anchor.model).toBe(true);
    }
    expect(ANCHORS.filter((a) => a.kind === 'model').length).toBeGreaterThanOrEqual(5);
  });

  it('the built architectures have the published multiply-adds (±10 %)', () => {
    // Papers: MobileNetV1 569 M, V2 300 M, V3-Large 0.75 155 M, V3-Small 0.75 44 M; EfficientNet-Lite0 407 M (tensorflow/tpu README).
    const published: Partial<Record<AnchorModel, number>> = { 'mobilenet-v1': 569e6, 'mobilenet-v2': 300e6, 'mobilenet-v3-large-0.75': 155e6, 'mobilenet-v3-small-0.75': 44e6, 'efficientnet-lite0': 407e6 };
    for (const [model, macs] of Object.entries(published)) {
      const g = models.get(model as AnchorModel)!.graph;
      const flops = g.nodes.reduce((a, n) => a + nodeFlops(g, n), 0);
      expect(Math.abs(flops / 2 / macs! - 1), model).toBeLessThan(0.1);
    }
  });

  it.each(results.filter((r) => r.anchor.kind === 'model').map((r) => [`${r.anchor.model} on ${r.anchor.profile}`, r] as const))(
    'model-only anchor %s is reproduced within ±30 %%',
    (_name, r) => {
      expect(Math.abs(r.error!)).toBeLessThanOrEqual(ANCHOR_BAND);
    },
  );

  it.each(results.filter((r) => r.anchor.kind === 'pipeline').map((r) => [`${r.anchor.model} on ${r.anchor.profile}`, r] as const))(
    'pipeline upper bound %s is not exceeded',
    (_name, r) => {
      expect(r.simMs!).toBeLessThanOrEqual(r.anchor.ms);
    },
  );

  it('the calibration table in docs/devicelab.md is the one the current model produces', () => {
    expect(readFileSync('docs/devicelab.md', 'utf8')).toContain(renderCalibrationTable(results));
  });
});
