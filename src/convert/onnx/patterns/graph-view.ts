/**
 * A read-only view of an ONNX graph for pattern matching: each value's producer, how many times
 * it is consumed (graph outputs count), and scalar constants (initializers and Constant nodes).
 */
import { numElements } from '../../../ir/tensor.js';
import { toFloat32 } from '../../../ir/dtype.js';
import type { GraphProto, NodeProto, TensorProto } from '../proto.js';
import { readTensorProto } from '../tensor-data.js';

export class GraphView {
  readonly nodes: NodeProto[];
  private readonly producer = new Map<string, number>();
  private readonly uses = new Map<string, number>();
  private readonly initializers = new Map<string, TensorProto>();

  constructor(graph: GraphProto) {
    this.nodes = (graph.node ?? []) as NodeProto[];
    this.nodes.forEach((n, i) => {
      for (const o of n.output ?? []) if (o) this.producer.set(o, i);
      for (const inp of n.input ?? []) if (inp) this.uses.set(inp, (this.uses.get(inp) ?? 0) + 1);
    });
    for (const o of graph.output ?? []) if (o.name) this.uses.set(o.name, (this.uses.get(o.name) ?? 0) + 1);
    for (const t of graph.initializer ?? []) if (t.name) this.initializers.set(t.name, t as TensorProto);
  }

  /** Index of the node producing `value` (undefined for graph inputs and initializers). */
  producerOf(value: string): number | undefined {
    return this.producer.get(value);
  }

  /** True for an initializer or a Constant node's output. */
  isConstant(value: string): boolean {
    const p = this.producer.get(value);
    return p === undefined ? this.initializers.has(value) : isOp(this.nodes[p], 'Constant');
  }

  /** How many times `value` is read (node inputs, graph outputs). */
  useCount(value: string): number {
    return this.uses.get(value) ?? 0;
  }

  /** The index of the only node consuming `value`, when it has exactly one use and is not a graph output. */
  soleConsumer(value: string): number | undefined {
    if (this.uses.get(value) !== 1) return undefined;
    const i = this.nodes.findIndex((n) => (n.input ?? []).includes(value));
    return i >= 0 ? i : undefined;
  }

  /** The value of a one-element constant (initializer or Constant node) and whether it is float16, else undefined. */
  scalar(value: string): { v: number; half: boolean } | undefined {
    let t = this.initializers.get(value);
    const p = this.producer.get(value);
    if (!t && p !== undefined) {
      const n = this.nodes[p]!;
      if (!isOp(n, 'Constant')) return undefined;
      const a = (n.attribute ?? []).find((x) => x.name === 'value' || x.name === 'value_float');
      if (a?.name === 'value_float') return a.f === undefined || a.f === null ? undefined : { v: a.f, half: false };
      t = (a?.t ?? undefined) as TensorProto | undefined;
    }
    if (!t) return undefined;
    try {
      const c = readTensorProto(t);
      if (!c.data || numElements(c.shape) !== 1) return undefined;
      return { v: toFloat32(c.dtype, c.data)[0]!, half: c.dtype === 'float16' };
    } catch {
      return undefined;
    }
  }

  /**
   * True when `value` is a scalar constant within 1e-6 relative of `want` — or, for a float16
   * constant, within float16 rounding (2^-11 relative: the nearest half to √2 is 1.4140625).
   */
  isScalar(value: string, want: number): boolean {
    const s = this.scalar(value);
    const tol = s?.half ? 2 ** -11 : 1e-6;
    return s !== undefined && Math.abs(s.v - want) <= tol * Math.abs(want);
  }
}

export function isOp(n: NodeProto | undefined, opType: string): n is NodeProto {
  return !!n && n.opType === opType && (!n.domain || n.domain === 'ai.onnx');
}

/** For a two-input node: the input that is not `known`, when the other one is `known`. */
export function otherInput(n: NodeProto, known: string): string | undefined {
  const [a, b] = n.input ?? [];
  if (a === known) return b;
  if (b === known) return a;
  return undefined;
}
