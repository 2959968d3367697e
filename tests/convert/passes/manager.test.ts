import { describe, expect, it } from 'vitest';
import { runPasses } from '../../../src/convert/passes/manager.js';
import { ALL_PASSES, DEFAULT_PIPELINE, passesByIds } from '../../../src/convert/passes/registry.js';
import type { Pass } from '../../../src/convert/passes/pass.js';
import { verify } from '../../../src/ir/verify.js';
import { IrBuilder, cloneGraph, opCounts } from '../../helpers/ir-builder.js';
import { normalFloat32 } from '../../helpers/onnx-builder.js';
import { ORACLE } from './pass-harness.js';
import { expectSameInLiteRt } from '../../helpers/tflite-oracle.js';

/** What the importer emits for Conv+BN+Clip(0,6) → Conv+BN → Transposes around a reshape. */
function importedLike() {
  const b = new IrBuilder(21);
  const x = b.input('x', [1, 8, 8, 3]);
  let y = b.conv2d(x, { out: 8, k: 3, stride: 2 });
  y = b.binary('ADD', b.binary('MUL', y, b.const(undefined, [8], normalFloat32(8, 1, 0.2, 1))), b.const(undefined, [8]));
  y = b.unary('RELU6', y);
  y = b.depthwise(y);
  y = b.binary('ADD', b.binary('MUL', y, b.const(undefined, [8], normalFloat32(8, 2, 0.2, 1))), b.const(undefined, [8]));
  y = b.unary('RELU', y);
  y = b.transpose(b.transpose(y, [0, 3, 1, 2]), [0, 2, 3, 1]);
  y = b.reshape(y, [1, 4, 4, 8]);
  b.unary('TANH', y);
  b.output(b.unary('LOGISTIC', b.conv2d(y, { out: 1 })));
  return b.graph;
}

describe('pass manager and registry', () => {
  it('pass ids are unique kebab-case and every pass has a summary', () => {
    const ids = ALL_PASSES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of ALL_PASSES) {
      expect(p.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(p.summary.length).toBeGreaterThan(10);
    }
    for (const p of DEFAULT_PIPELINE) expect(ALL_PASSES).toContain(p);
    expect(() => passesByIds(['fuse-activation', 'nope'])).toThrow(/unknown pass id\(s\): nope/);
  });

  it('the default pipeline turns an imported-style graph into conv → dwconv → conv → logistic', () => {
    const g = importedLike();
    const reports = runPasses(g, DEFAULT_PIPELINE, { verify: true });
    expect(reports.map((r) => r.id)).toEqual(DEFAULT_PIPELINE.map((p) => p.id));
    expect(reports.every((r) => r.status !== 'invalid')).toBe(true);
    expect(opCounts(g)).toEqual({ CONV_2D: 2, DEPTHWISE_CONV_2D: 1, LOGISTIC: 1 });
    expect(g.nodes.map((n) => n.attrs.activation ?? 'NONE')).toEqual(['RELU6', 'RELU', 'NONE', 'NONE']);
    expect(verify(g)).toEqual([]);
  });

  it('reports a throwing pass and a pass that breaks the graph as invalid, and stops', () => {
    const throwing: Pass = { id: 'boom', summary: 'throws on purpose', run: () => { throw new Error('kaput'); } };
    const breaking: Pass = {
      id: 'break-graph',
      summary: 'leaves a dangling input',
      run: (g) => {
        g.nodes[0]!.inputs[0] = 'nowhere';
        return { status: 'applied', message: 'broke it' };
      },
    };
    const r1 = runPasses(importedLike(), [throwing, DEFAULT_PIPELINE[0]!], { verify: true });
    expect(r1).toEqual([{ id: 'boom', status: 'invalid', message: 'boom: kaput' }]);
    const r2 = runPasses(importedLike(), [breaking, DEFAULT_PIPELINE[0]!], { verify: true });
    expect(r2).toHaveLength(1);
    expect(r2[0]!.status).toBe('invalid');
    expect(r2[0]!.message).toMatch(/IR invalid after pass break-graph[\s\S]*nowhere/);
    // without verify the broken graph goes unnoticed by the manager
    expect(runPasses(importedLike(), [breaking], {})[0]!.status).toBe('applied');
  });

  describe(ORACLE, () => {
    it('whole default pipeline', async () => {
      const g = importedLike();
      const before = cloneGraph(g);
      runPasses(g, DEFAULT_PIPELINE, { verify: true });
      await expectSameInLiteRt(before, g, 3, 1e-5);
    });
  });
});
