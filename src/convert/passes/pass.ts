import type { Graph } from '../../ir/graph.js';

/**
 * What a pass did:
 * - `applied`: it changed the graph (stats say how much);
 * - `skipped`: nothing in the graph matched its pattern;
 * - `declined`: patterns matched but a precondition failed for every one (the message says which);
 * - `invalid`: the pass threw or left a graph `verify()` rejects (set by the manager).
 */
export type PassStatus = 'applied' | 'skipped' | 'declined' | 'invalid';

export interface PassResult {
  status: PassStatus;
  /** One line for humans: what changed, or why nothing did. */
  message: string;
  /** Counters, e.g. { removed: 3 }. */
  stats?: Record<string, number>;
  /** One line per declined match: node name and the precondition that failed. */
  declines?: string[];
  /** For a pass that runs other registered passes: what each of them did, in their order. */
  steps?: PassReport[];
}

/** A graph rewrite on the IR. One pass = one file + one line in registry.ts. */
export interface Pass {
  /** kebab-case, stable (used by `--passes` and in reports). */
  id: string;
  summary: string;
  /** Rewrites `g` in place. Leaves the nodes in topological order. */
  run(g: Graph): PassResult;
}

/** The phases of a pipeline, in the order they run. */
export const PHASES = ['normalize', 'layout', 'fuse', 'legalize', 'target', 'cleanup'] as const;
export type Phase = (typeof PHASES)[number];

/** A registered pass: the phase it belongs to, and whether the manager may roll it back. */
export interface PassSpec extends Pass {
  /** A `cleanup` pass may also close any earlier phase. */
  phase: Phase;
  /**
   * A throw or an invalid graph restores the graph as it was before the pass (Graph.clone()) and
   * the pipeline goes on: for optional rewrites whose failure costs only what they would have won.
   */
  transactional?: boolean;
  /** Registered passes this one runs itself (their results are its report's `steps`). */
  runs?: readonly PassSpec[];
}

/** A pass result labelled with the pass that produced it (what `runPasses` returns). */
export type PassReport = { id: string; rolledBack?: true } & PassResult;

/**
 * Builds a result from what a pass counted: `applied` when `changed > 0`,
 * else `declined` when there were declines, else `skipped`.
 */
export function summarize(what: string, changed: number, declines: string[], stats: Record<string, number> = {}): PassResult {
  const all = { ...stats, declined: declines.length };
  const declined = `declined ${declines.length}: ${declines.slice(0, 3).join('; ')}${declines.length > 3 ? '; …' : ''}`;
  if (changed > 0) {
    return { status: 'applied', message: `${what}: ${changed}${declines.length ? `; ${declined}` : ''}`, stats: all, declines };
  }
  if (declines.length) return { status: 'declined', message: declined, stats: all, declines };
  return { status: 'skipped', message: `nothing to do (${what}: 0)`, stats: all };
}
