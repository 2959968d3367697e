/**
 * Producer / consumer maps of a graph, for passes that query many tensors: built once from the
 * nodes, then kept current by the pass (`remove` a node before editing its inputs or outputs,
 * `add` it after), so a long chain of rewrites stays linear instead of scanning the graph per query.
 */
import type { Graph } from './graph.js';
import type { Node } from './node.js';

export class GraphIndex {
  private readonly producers = new Map<string, Node>();
  private readonly readers = new Map<string, Node[]>();
  private readonly live = new Set<Node>();
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(private readonly g: Graph) {
    for (const n of g.nodes) this.add(n);
  }

  /** A tensor / node name not taken yet (by the graph, a node indexed, or an earlier `fresh`). */
  fresh(base: string): string {
    let name = base;
    while (this.g.tensors.has(name) || this.names.has(name)) name = `${base}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  /** True while `n` is indexed (in the graph as far as the index knows). */
  has(n: Node): boolean {
    return this.live.has(n);
  }

  /** The node that writes `name`, if any. */
  producer(name: string): Node | undefined {
    return this.producers.get(name);
  }

  /** The nodes that read `name` (each once). */
  consumers(name: string): readonly Node[] {
    return this.readers.get(name) ?? [];
  }

  add(n: Node): Node {
    this.live.add(n);
    this.names.add(n.name);
    for (const o of n.outputs) this.producers.set(o, n);
    for (const i of new Set(n.inputs)) if (i) this.readers.set(i, [...this.consumers(i), n]);
    return n;
  }

  remove(n: Node): void {
    this.live.delete(n);
    for (const o of n.outputs) if (this.producers.get(o) === n) this.producers.delete(o);
    for (const i of new Set(n.inputs)) if (i) this.readers.set(i, this.consumers(i).filter((c) => c !== n));
  }

  /** Every read of `from` (node inputs, graph outputs) reads `to` instead; the readers stay indexed. */
  replaceUses(from: string, to: string): void {
    const readers = [...this.consumers(from)];
    for (const n of readers) this.remove(n);
    this.g.replaceUses(from, to, readers);
    for (const n of readers) this.add(n);
  }

  /** Renames `n`'s output `from` to `to`, in the graph and in the index. */
  renameOutput(n: Node, from: string, to: string): void {
    this.remove(n);
    n.outputs = n.outputs.map((o) => (o === from ? to : o));
    this.add(n);
  }

  /** Adds `n` to the graph and to the index. */
  addNode(n: Node): Node {
    return this.add(this.g.addNode(n));
  }

  /** Removes `n` from the index and from the graph. */
  removeNode(n: Node): void {
    this.remove(n);
    this.g.removeNode(n);
  }
}
