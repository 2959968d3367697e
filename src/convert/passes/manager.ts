import type { Graph } from '../../ir/graph.js';
import { assertValid } from '../../ir/verify.js';
import type { Pass, PassReport, PassSpec } from './pass.js';

export interface RunPassesOptions {
  /** Verify the IR after each pass; a pass leaving an invalid graph is reported `invalid`. */
  verify?: boolean;
}

/**
 * Runs `passes` in order on `g` (in place). A pass that throws, or (with `verify`)
 * leaves a graph `verify()` rejects, is reported `invalid`. A transactional pass is
 * then rolled back (the graph as before it) and the run goes on; any other stops
 * the run there: later passes would only work on a broken graph.
 */
export function runPasses(g: Graph, passes: readonly Pass[], opts: RunPassesOptions = {}): PassReport[] {
  const reports: PassReport[] = [];
  if (opts.verify) assertValid(g, 'import (before any pass)');
  for (const pass of passes) {
    const saved = (pass as Partial<PassSpec>).transactional ? g.clone() : undefined;
    try {
      const result = pass.run(g);
      if (opts.verify) assertValid(g, `pass ${pass.id}`);
      reports.push({ id: pass.id, ...result });
    } catch (e) {
      const message = `${pass.id}: ${(e as Error).message}`;
      if (!saved) {
        reports.push({ id: pass.id, status: 'invalid', message });
        break;
      }
      g.restore(saved);
      reports.push({ id: pass.id, status: 'invalid', message: `${message} (rolled back)`, rolledBack: true });
    }
  }
  return reports;
}
