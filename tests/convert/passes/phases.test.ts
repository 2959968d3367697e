import { describe, expect, it } from 'vitest';
import { runPasses } from '../../../src/convert/passes/manager.js';
import { PHASES, type PassSpec } from '../../../src/convert/passes/pass.js';
import { ALL_PASSES, DEFAULT_PIPELINE, pipeline, registerPasses } from '../../../src/convert/passes/registry.js';
import { removeIdentity } from '../../../src/convert/passes/remove-identity.js';
import { foldConstants } from '../../../src/convert/passes/fold-constants.js';
import { verify } from '../../../src/ir/verify.js';
import { IrBuilder, cloneGraph } from '../../helpers/ir-builder.js';

/** x → RELU → TANH, plus a constant ADD that fold-constants can fold. */
function small() {
  const b = new IrBuilder(3);
  const x = b.input('x', [1, 4]);
  const c = b.binary('ADD', b.const(undefined, [4]), b.const(undefined, [4]));
  b.output(b.unary('TANH', b.binary('ADD', b.unary('RELU', x), c)));
  return b.graph;
}

const breaking = (transactional: boolean): PassSpec => ({
  id: 'break-graph',
  phase: 'target',
  transactional,
  summary: 'leaves a dangling input after editing the graph',
  run: (g) => {
    g.nodes.pop();
    g.nodes[0]!.inputs[0] = 'nowhere';
    return { status: 'applied', message: 'broke it' };
  },
});

describe('pass phases and transactional passes', () => {
  it('the default pipeline runs its passes phase by phase, cleanups closing phases', () => {
    expect(DEFAULT_PIPELINE.map((p) => p.id)).toEqual([
      'remove-identity', 'fold-constants', 'cancel-transposes', 'sink-transposes', 'channel-shuffle-to-concat', 'remove-identity',
      'fold-batchnorm-into-conv', 'fuse-activation', 'squeeze-to-reshape', 'fold-broadcast-to',
      'depth-to-space-from-shuffle', 'cut-before-transpose', 'lower-rank-slices', 'fold-transpose-into-batch-matmul', 'lower-rank-elementwise', 'merge-reshapes', 'align-broadcast-ranks',
      'remove-identity', 'eliminate-dead-code', 'copy-passthrough-outputs', 'keep-half-weights',
    ]);
    const order = DEFAULT_PIPELINE.filter((p) => p.phase !== 'cleanup').map((p) => PHASES.indexOf(p.phase));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (const p of ALL_PASSES) expect(PHASES).toContain(p.phase);
  });

  it('rejects a duplicate id, an unregistered pass and a pass out of its phase', () => {
    expect(() => registerPasses([removeIdentity, foldConstants, removeIdentity])).toThrow(/pass id 'remove-identity' is registered twice/);
    expect(() => pipeline({ target: [breaking(true)] })).toThrow(/pass 'break-graph' is not registered/);
    expect(() => pipeline({ cleanup: [foldConstants] })).toThrow(/pass 'fold-constants' belongs to phase normalize, not cleanup/);
    expect(pipeline({ normalize: [removeIdentity, foldConstants] }).map((p) => p.id)).toEqual(['remove-identity', 'fold-constants']);
  });

  it('rolls a failing transactional pass back and goes on', () => {
    const g = small();
    const before = cloneGraph(g);
    const reports = runPasses(g, [breaking(true), foldConstants], { verify: true });
    expect(reports.map((r) => [r.id, r.status, r.rolledBack])).toEqual([['break-graph', 'invalid', true], ['fold-constants', 'applied', undefined]]);
    expect(reports[0]!.message).toMatch(/IR invalid after pass break-graph[\s\S]*nowhere[\s\S]*\(rolled back\)$/);
    expect(verify(g)).toEqual([]);
    expect(g.nodes.map((n) => n.op)).toEqual(before.nodes.filter((n) => n.inputs.some((i) => !before.tensor(i).data)).map((n) => n.op));
  });

  it('stops at a failing pass that is not transactional, leaving the graph as the pass left it', () => {
    const g = small();
    const reports = runPasses(g, [breaking(false), foldConstants], { verify: true });
    expect(reports.map((r) => [r.id, r.status])).toEqual([['break-graph', 'invalid']]);
    expect(verify(g).length).toBeGreaterThan(0);
  });
});
