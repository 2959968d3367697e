/**
 * sink-transposes: the layout phase's transpose motion. Runs sink-transposes-below-ops,
 * hoist-transposes-over-reshapes, hoist-transposes-over-ops and cancel-transposes in rounds until
 * nothing moves, so TRANSPOSEs meet their inverses and cancel. A sink first happens only where it
 * adds no TRANSPOSE; then a TRANSPOSE read by several agnostic ops is moved into all of them, kept
 * only if that leaves fewer TRANSPOSEs in the graph. Last, lower-transpose-rank does each TRANSPOSE
 * left at the lowest rank of its runs of moving axes (rank ≤ 4 for the GPU delegate). The report
 * lists what each of those passes did (`steps`).
 */
import type { Graph } from '../../ir/graph.js';
import { GraphIndex } from '../../ir/graph-index.js';
import { cancelTransposePairs, cancelTransposes } from './cancel-transposes.js';
import { hoistOverOps, hoistTransposesOverOps } from './hoist-transposes-over-ops.js';
import { hoistOverReshapes, hoistTransposesOverReshapes } from './hoist-transposes-over-reshapes.js';
import { lowerTransposeRank, lowerTransposeRanks } from './lower-transpose-rank.js';
import { summarize, type PassReport, type PassResult, type PassSpec } from './pass.js';
import { declineLines, sinkBelowOps, sinkTransposesBelowOps } from './sink-transposes-below-ops.js';
import { countTransposes } from './shared/transpose-rewrite.js';

interface Sweep {
  sunk: number;
  overReshapes: number;
  overOps: number;
  cancelled: number;
  merged: number;
  /** What the last round's cancel-transposes declined. */
  cancelDeclines: string[];
  declined: Map<string, string>;
}

/** Rounds of sinking, hoisting and cancelling until nothing moves; one index per round, shared by its steps. */
function sweep(g: Graph, shared: boolean): Sweep {
  const s: Sweep = { sunk: 0, overReshapes: 0, overOps: 0, cancelled: 0, merged: 0, cancelDeclines: [], declined: new Map() };
  for (let round = 0; round < 1000; round++) {
    const index = new GraphIndex(g);
    const sunk = sinkBelowOps(g, index, shared, s.declined);
    const overReshapes = hoistOverReshapes(g, index);
    const overOps = hoistOverOps(g, index);
    const moved = sunk + overReshapes + overOps;
    if (moved) g.topoSort();
    const cancel = cancelTransposePairs(g, index);
    s.cancelled += cancel.cancelled;
    s.merged += cancel.merged;
    s.cancelDeclines = cancel.declines;
    s.sunk += sunk;
    s.overReshapes += overReshapes;
    s.overOps += overOps;
    if (!moved && !cancel.cancelled && !cancel.merged) break;
  }
  return s;
}

function add(a: Sweep, b: Sweep): Sweep {
  return { sunk: a.sunk + b.sunk, overReshapes: a.overReshapes + b.overReshapes, overOps: a.overOps + b.overOps, cancelled: a.cancelled + b.cancelled, merged: a.merged + b.merged, cancelDeclines: b.cancelDeclines, declined: b.declined };
}

export const sinkTransposes: PassSpec = {
  id: 'sink-transposes',
  phase: 'layout',
  summary: 'move TRANSPOSEs through layout-agnostic ops and RESHAPEs until they cancel; lower the rank of those left (runs the transpose passes together)',
  runs: [sinkTransposesBelowOps, hoistTransposesOverReshapes, hoistTransposesOverOps, cancelTransposes, lowerTransposeRank],
  run(g: Graph): PassResult {
    let s = sweep(g, false);
    const before = countTransposes(g);
    if (before) {
      const saved = g.clone();
      const wide = sweep(g, true);
      if (countTransposes(g) < before) s = add(s, wide);
      else g.restore(saved);
    }
    const reduced = lowerTransposeRanks(g, new GraphIndex(g));
    if (reduced) g.topoSort();
    const moved = s.sunk + s.overReshapes + s.overOps;
    if (moved || reduced || s.declined.size) g.pruneTensors();
    const declines = declineLines(g, s.declined);
    const steps: PassReport[] = [
      { id: sinkTransposesBelowOps.id, ...summarize('transposes sunk below ops', s.sunk, declines, { sunk: s.sunk }) },
      { id: hoistTransposesOverReshapes.id, ...summarize('transposes hoisted over reshapes', s.overReshapes, [], { hoisted: s.overReshapes }) },
      { id: hoistTransposesOverOps.id, ...summarize('transposes hoisted over ops', s.overOps, [], { hoisted: s.overOps }) },
      { id: cancelTransposes.id, ...summarize('transposes cancelled or merged', s.cancelled + s.merged, s.cancelDeclines, { cancelled: s.cancelled, merged: s.merged }) },
      { id: lowerTransposeRank.id, ...summarize('transposes lowered in rank', reduced, [], { lowered: reduced }) },
    ];
    const result = summarize('transposes sunk, hoisted or lowered in rank', moved + reduced, declines, { sunk: moved, cancelled: s.cancelled, reduced, transposesLeft: countTransposes(g) });
    return { ...result, steps };
  },
};
