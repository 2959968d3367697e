/**
 * Splits the activations to expose into groups whose exposed bytes fit a
 * memory budget, so a large model (1024×1024, hundreds of MB of activations)
 * is observed a group at a time instead of every activation at once, which
 * LiteRT's wasm heap cannot hold. Graph order is kept; a tensor larger than
 * the budget gets a group of its own. Groups are filled from the graph's end:
 * each group's model runs the graph up to its last tensor, so full groups at the
 * end and the partial one first keep the runs of the earlier groups short.
 */
import type { Graph } from '../ir/graph.js';
import { numElements } from '../ir/tensor.js';

/** Default budget for the activations exposed by one LiteRT model (MiB). */
export const DEFAULT_EXPOSE_BUDGET_MB = 512;

/** Bytes `name` takes when exposed (returned as float32). */
export function exposedBytes(g: Graph, name: string): number {
  return numElements(g.tensor(name).shape) * 4;
}

export function exposeGroups(g: Graph, names: readonly string[], budgetMB = DEFAULT_EXPOSE_BUDGET_MB): string[][] {
  if (!(budgetMB > 0)) throw new RangeError(`expose budget must be > 0 MiB, got ${budgetMB}`);
  const budget = budgetMB * 2 ** 20;
  const groups: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (let i = names.length - 1; i >= 0; i--) {
    const name = names[i]!;
    const b = exposedBytes(g, name);
    if (current.length && bytes + b > budget) {
      groups.push(current.reverse());
      current = [];
      bytes = 0;
    }
    current.push(name);
    bytes += b;
  }
  if (current.length || groups.length === 0) groups.push(current.reverse());
  return groups.reverse();
}
