/**
 * The nodes the outputs depend on, in an order where every node follows its inputs (GraphDefs and
 * model.json topologies need not be sorted). Walking back from the outputs leaves out what they do not
 * need — so `--outputs` cuts a post-processing tail off — and stops at the graph inputs. A cycle (a TF1
 * while loop's NextIteration edge) is refused naming the nodes on it.
 */
import { inputError } from '../../core/errors.js';
import type { TfNodeDef } from './model.js';
import { canonicalTensor } from './node.js';

export function orderNodes(byName: ReadonlyMap<string, TfNodeDef>, outputs: string[], stopAt: ReadonlySet<string>, file: string): TfNodeDef[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: TfNodeDef[] = [];
  const deps = (n: TfNodeDef) => (stopAt.has(n.name ?? '') ? [] : (n.input ?? []).map((i) => canonicalTensor(i).split(':')[0]!));
  for (const root of outputs) {
    if (state.get(root) === 'done') continue;
    // iterative DFS: [node name, index of the next input to visit]
    const stack: Array<[string, number]> = [[root, 0]];
    const path: string[] = [];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [name, k] = top;
      const def = byName.get(name);
      if (!def) throw inputError('invalid-model', `${file}: tensor '${name}' is read but no node produces it`, { file });
      if (k === 0) {
        state.set(name, 'visiting');
        path.push(name);
      }
      const ins = deps(def);
      if (k < ins.length) {
        top[1]++;
        const next = ins[k]!;
        const s = state.get(next);
        if (s === 'visiting') {
          // in data-flow order: each node feeds the next, the last feeds the first
          const cycle = path.slice(path.indexOf(next)).reverse();
          throw inputError('tf-graph-loop', `${file}: the graph has a loop through ${cycle.map((c) => `'${c}' (${byName.get(c)?.op})`).join(' → ')} → '${cycle[0]}'; data-dependent loops do not convert (cut the graph before it with --outputs)`, { file });
        }
        if (!s) stack.push([next, 0]);
        continue;
      }
      stack.pop();
      path.pop();
      state.set(name, 'done');
      order.push(def);
    }
  }
  return order;
}
