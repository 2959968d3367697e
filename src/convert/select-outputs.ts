/**
 * `--outputs name,…`: keep only the chosen outputs of a source graph and the nodes they need. Format
 * agnostic — a frontend passes its node list with accessors for what each node reads and writes,
 * before it imports anything (so an unsupported post-processing tail that is cut off never matters).
 */
import { inputError } from '../core/errors.js';

export interface NodeAccess<N> {
  reads(node: N): readonly string[];
  writes(node: N): readonly string[];
}

/**
 * Checks the requested names: each must be a graph output or a value some node writes. An unknown
 * name is an input error (exit 2) listing the graph's outputs, and a few similarly named values.
 */
export function resolveOutputs<N>(requested: readonly string[], graphOutputs: readonly string[], nodes: readonly N[], access: NodeAccess<N>, file?: string): string[] {
  const written = new Set<string>(graphOutputs);
  for (const n of nodes) for (const o of access.writes(n)) if (o) written.add(o);
  const unknown = requested.filter((r) => !written.has(r));
  if (unknown.length) {
    const near = [...written].filter((w) => !graphOutputs.includes(w) && unknown.some((u) => w.toLowerCase().includes(u.toLowerCase()))).slice(0, 10);
    const plural = unknown.length > 1;
    throw inputError(
      'unknown-output',
      `--outputs names ${unknown.map((u) => `'${u}'`).join(', ')}, which ${plural ? 'are' : 'is'} not ${plural ? 'values' : 'a value'} of the model; its outputs are: ${graphOutputs.join(', ')}${near.length ? `; similarly named values: ${near.join(', ')}` : ''}`,
      { file, hint: 'any graph output or intermediate value name can be an output; `mai inspect` lists the outputs' },
    );
  }
  const dup = requested.find((r, i) => requested.indexOf(r) !== i);
  if (dup) throw inputError('bad-option', `--outputs names '${dup}' twice`, { file });
  return [...requested];
}

/** The nodes (in their order) that the values `wanted` depend on. */
export function nodesNeeded<N>(nodes: readonly N[], wanted: readonly string[], access: NodeAccess<N>): N[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const o of access.writes(n)) if (o && !producer.has(o)) producer.set(o, i);
  });
  const keep = new Uint8Array(nodes.length);
  const stack = wanted.map((w) => producer.get(w)).filter((i): i is number => i !== undefined);
  while (stack.length) {
    const i = stack.pop()!;
    if (keep[i]) continue;
    keep[i] = 1;
    for (const r of access.reads(nodes[i]!)) {
      const p = producer.get(r);
      if (p !== undefined && !keep[p]) stack.push(p);
    }
  }
  return nodes.filter((_, i) => keep[i]);
}
