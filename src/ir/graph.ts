import type { Node } from './node.js';
import type { Tensor } from './tensor.js';
import type { TypedArray } from './dtype.js';
import { deferData, deferredData } from './deferred-data.js';
import { internalError } from '../core/errors.js';

/** SignatureDef: maps user-facing names to tensors (TFLite `serving_default`). */
export interface Signature {
  key: string;
  /** signature input name → tensor name */
  inputs: Array<{ name: string; tensor: string }>;
  outputs: Array<{ name: string; tensor: string }>;
}

/**
 * The one IR every format imports into and the TFLite writer serializes.
 * Tensors are referenced by name; nodes are kept in topological order by the
 * passes (see `topoSort`).
 */
export class Graph {
  tensors = new Map<string, Tensor>();
  nodes: Node[] = [];
  inputs: string[] = [];
  outputs: string[] = [];
  signature?: Signature;
  /** Free-form string metadata (e.g. source producer); written as TFLite metadata where it makes sense. */
  metadata = new Map<string, string>();
  /** Model description (TFLite `description`). */
  description = '';
  private nameCounter = new Map<string, number>();
  /**
   * Names of the nodes in `nodes`, for uniqueName / hasNode without a scan per call. Valid while
   * `nodes` is the same array with the same length: a new array (`g.nodes = …`) or an insert or
   * removal outside addNode / removeNode changes one of them, and the set is rebuilt.
   */
  private nodeNames?: { list: Node[]; length: number; names: Set<string> };

  /**
   * A structural copy passes may edit freely: new Tensor and Node objects (shapes, quant params,
   * inputs / outputs, attrs copied). Constant data is shared (it is replaced, never written in
   * place, and may be a view into a file's bytes) unless `copyData`.
   */
  clone(opts: { copyData?: boolean } = {}): Graph {
    const c = new Graph();
    for (const t of this.tensors.values()) {
      // deferred weights stay deferred in the copy: spreading `t` would read (materialize) its data
      const deferred = opts.copyData ? undefined : deferredData(t);
      const copy = {} as Record<string, unknown>;
      for (const k of Object.keys(t)) if (!(deferred && k === 'data')) copy[k] = (t as unknown as Record<string, unknown>)[k];
      copy.shape = [...t.shape];
      if (deferred) deferData(copy as unknown as Tensor, deferred);
      if (t.shapeSignature) copy.shapeSignature = [...t.shapeSignature];
      if (t.quant) copy.quant = structuredClone(t.quant);
      if (opts.copyData && t.data) copy.data = t.data.slice() as TypedArray;
      c.tensors.set(t.name, copy as unknown as Tensor);
    }
    c.nodes = this.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs], attrs: { ...n.attrs } }));
    c.inputs = [...this.inputs];
    c.outputs = [...this.outputs];
    if (this.signature) c.signature = structuredClone(this.signature);
    c.metadata = new Map(this.metadata);
    c.description = this.description;
    return c;
  }

  /** Puts back the state of `saved`, a clone of this graph: the rollback of a rewrite that did not pay off. */
  restore(saved: Graph): void {
    this.tensors = saved.tensors;
    this.nodes = saved.nodes;
    this.inputs = saved.inputs;
    this.outputs = saved.outputs;
    this.signature = saved.signature;
    this.metadata = saved.metadata;
    this.description = saved.description;
  }

  tensor(name: string): Tensor {
    const t = this.tensors.get(name);
    if (!t) throw internalError(`IR: no tensor named '${name}'`);
    return t;
  }

  hasTensor(name: string): boolean {
    return this.tensors.has(name);
  }

  /** Adds a tensor; its name must be new. */
  addTensor(t: Tensor): Tensor {
    if (this.tensors.has(t.name)) throw internalError(`IR: tensor '${t.name}' already exists`);
    this.tensors.set(t.name, t);
    return t;
  }

  /** A name not used yet by any tensor or node, derived from `base`. */
  uniqueName(base: string): string {
    let n = this.nameCounter.get(base) ?? 0;
    let name = n === 0 ? base : `${base}_${n}`;
    const taken = (s: string) => this.tensors.has(s) || this.hasNode(s);
    while (taken(name)) {
      n++;
      name = `${base}_${n}`;
    }
    this.nameCounter.set(base, n + 1);
    return name;
  }

  /** True when a node is named `name`. */
  hasNode(name: string): boolean {
    return this.nodeNameSet().has(name);
  }

  private nodeNameSet(): Set<string> {
    const c = this.nodeNames;
    if (c && c.list === this.nodes && c.length === this.nodes.length) return c.names;
    const names = new Set(this.nodes.map((n) => n.name));
    this.nodeNames = { list: this.nodes, length: this.nodes.length, names };
    return names;
  }

  addNode(node: Node): Node {
    const c = this.nodeNames;
    const current = c !== undefined && c.list === this.nodes && c.length === this.nodes.length;
    this.nodes.push(node);
    if (current) {
      c.names.add(node.name);
      c.length++;
    }
    return node;
  }

  /** The node that writes `name`, if any. A scan without building an index: cheap for one query. */
  producerOf(name: string): Node | undefined {
    for (const n of this.nodes) if (n.outputs.includes(name)) return n;
    return undefined;
  }

  /** The nodes that read `name`, in node order (each once). A scan without building an index. */
  consumersOf(name: string): Node[] {
    const out: Node[] = [];
    for (const n of this.nodes) if (n.inputs.includes(name)) out.push(n);
    return out;
  }

  /** producer index: tensor name → node that writes it (for passes that query many tensors at once) */
  producers(): Map<string, Node> {
    const m = new Map<string, Node>();
    for (const n of this.nodes) for (const o of n.outputs) m.set(o, n);
    return m;
  }

  /** consumer index: tensor name → nodes that read it (in node order) */
  consumers(): Map<string, Node[]> {
    const m = new Map<string, Node[]>();
    for (const n of this.nodes) {
      for (const i of n.inputs) {
        if (!i) continue;
        const list = m.get(i);
        if (list) {
          if (!list.includes(n)) list.push(n);
        } else m.set(i, [n]);
      }
    }
    return m;
  }

  removeNode(node: Node): void {
    const i = this.nodes.indexOf(node);
    if (i >= 0) this.nodes.splice(i, 1);
    this.nodeNames = undefined;
  }

  /**
   * Replace every read of tensor `from` (node inputs and graph outputs) by `to`. `readers`: the
   * nodes that read `from`, when the caller knows them (all nodes are scanned otherwise).
   */
  replaceUses(from: string, to: string, readers: readonly Node[] = this.nodes): void {
    for (const n of readers) n.inputs = n.inputs.map((i) => (i === from ? to : i));
    this.outputs = this.outputs.map((o) => (o === from ? to : o));
    if (this.signature) for (const s of this.signature.outputs) if (s.tensor === from) s.tensor = to;
  }

  /** Renames tensor `from` to `to` (a free name) everywhere: tensors, nodes, graph I/O, signature. */
  renameTensor(from: string, to: string): void {
    if (this.tensors.has(to)) throw internalError(`cannot rename tensor '${from}' to '${to}': the name is taken`);
    const t = this.tensor(from);
    this.tensors.delete(from);
    t.name = to;
    this.tensors.set(to, t);
    const map = (n: string) => (n === from ? to : n);
    for (const n of this.nodes) {
      n.inputs = n.inputs.map(map);
      n.outputs = n.outputs.map(map);
    }
    this.inputs = this.inputs.map(map);
    this.outputs = this.outputs.map(map);
    for (const s of [...(this.signature?.inputs ?? []), ...(this.signature?.outputs ?? [])]) s.tensor = map(s.tensor);
  }

  /** Drop tensors no node, input or output refers to. */
  pruneTensors(): void {
    const used = new Set<string>([...this.inputs, ...this.outputs]);
    for (const n of this.nodes) {
      for (const i of n.inputs) if (i) used.add(i);
      for (const o of n.outputs) used.add(o);
    }
    for (const name of [...this.tensors.keys()]) if (!used.has(name)) this.tensors.delete(name);
  }

  /** Sort nodes topologically (stable: keeps the existing order where it is valid). Throws on a cycle. */
  topoSort(): void {
    this.nodes = topologicalOrder(this);
  }
}

/** Nodes in a topological order (Kahn, stable). Throws an Error naming a node on the cycle. */
export function topologicalOrder(g: Graph): Node[] {
  const prod = g.producers();
  const indeg = new Map<Node, number>();
  const users = new Map<Node, Node[]>();
  for (const n of g.nodes) {
    const deps = new Set<Node>();
    for (const i of n.inputs) {
      const p = i ? prod.get(i) : undefined;
      if (p && p !== n) deps.add(p);
      if (p === n) throw internalError(`IR: cycle: node '${n.name}' reads its own output '${i}'`);
    }
    indeg.set(n, deps.size);
    for (const d of deps) (users.get(d) ?? users.set(d, []).get(d)!).push(n);
  }
  const order: Node[] = [];
  const ready = g.nodes.filter((n) => indeg.get(n) === 0);
  const pos = new Map(g.nodes.map((n, i) => [n, i] as const));
  while (ready.length) {
    ready.sort((a, b) => pos.get(a)! - pos.get(b)!);
    const n = ready.shift()!;
    order.push(n);
    for (const u of users.get(n) ?? []) {
      const d = indeg.get(u)! - 1;
      indeg.set(u, d);
      if (d === 0) ready.push(u);
    }
  }
  if (order.length !== g.nodes.length) {
    const stuck = g.nodes.find((n) => indeg.get(n)! > 0)!;
    throw internalError(`IR: cycle through node '${stuck.name}'`);
  }
  return order;
}
