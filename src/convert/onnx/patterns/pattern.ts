/** What a pattern is, and the marker its fused nodes carry. */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import type { NodeProto } from '../proto.js';
import type { GraphView } from './graph-view.js';

/** Attribute on a fused node naming the subgraph it replaced. */
export const FUSED_ATTR = 'mai_fused_from';

/** A match: the nodes (indices) it replaces and the node that replaces them (placed at the last one's position). */
export interface PatternMatch {
  remove: number[];
  replacement: NodeProto;
}

export interface Pattern {
  name: string;
  /** Tries to match a subgraph anchored at node `i`. */
  match(view: GraphView, i: number): PatternMatch | undefined;
}

/** A fused node's attribute saying which pattern produced it. */
export function fusedAttr(what: string): NonNullable<NodeProto['attribute']>[number] {
  return { name: FUSED_ATTR, type: 3, s: new TextEncoder().encode(what) } as NonNullable<NodeProto['attribute']>[number];
}

/** The one node a pattern fuses into: `opType` of `x` into `output`, marked with what it was fused from. */
export function fusedNode(name: string, opType: string, x: string, output: string, what: string, attributes: NonNullable<NodeProto['attribute']> = []): NodeProto {
  return { name, opType, domain: '', input: [x], output: [output], attribute: [...attributes, fusedAttr(what)] } as unknown as NodeProto;
}

/** Op-table check for the rows that exist only for pattern-fused nodes (opsets before the op was defined). */
export function fusedOnly(since: number) {
  return (ctx: ImportContext, node: OnnxNode): void => {
    if (!node.has(FUSED_ATTR)) ctx.fail('unsupported-op', `${node.opType} exists in ONNX from opset ${since}; the model imports opset ${ctx.opset}`);
  };
}
