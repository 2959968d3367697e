/**
 * ONNX-level rewrites run before the node loop (import.ts): each pattern replaces a known subgraph
 * by one node the op table imports as a single TFLite op (e.g. the Erf form of GELU: one GELU instead
 * of the ~24 elementwise ops a lone Erf becomes, ops/erf.ts). A fused node carries FUSED_ATTR naming what it came from, so
 * the op table can accept it at opsets where the ONNX op itself does not exist yet.
 * A new pattern is one file exporting a `Pattern` plus one entry in PATTERNS.
 */
import type { GraphProto, NodeProto } from '../proto.js';
import { GraphView } from './graph-view.js';
import { geluFromErf, geluFromTanh } from './gelu.js';
import { hardSwishFromHardSigmoid, hardSwishFromRelu6 } from './hard-swish.js';
import { layerNormFromReduceMean } from './layer-norm.js';
import { mishFromSoftplusTanh } from './mish.js';
import type { Pattern } from './pattern.js';

export { FUSED_ATTR, fusedOnly, type Pattern, type PatternMatch } from './pattern.js';

const PATTERNS: readonly Pattern[] = [geluFromErf, geluFromTanh, hardSwishFromHardSigmoid, hardSwishFromRelu6, layerNormFromReduceMean, mishFromSoftplusTanh];

/** Rewrites `graph.node` in place: one pass collects non-overlapping matches, then each is replaced. */
export function applyOnnxPatterns(graph: GraphProto): void {
  const view = new GraphView(graph);
  const used = new Set<number>();
  const placed = new Map<number, NodeProto>();
  for (let i = 0; i < view.nodes.length; i++) {
    for (const p of PATTERNS) {
      const m = p.match(view, i);
      if (!m || m.remove.some((k) => used.has(k))) continue;
      for (const k of m.remove) used.add(k);
      placed.set(Math.max(...m.remove), m.replacement);
      break;
    }
  }
  if (!used.size) return;
  graph.node = view.nodes.flatMap((n, k) => (placed.has(k) ? [placed.get(k)!] : used.has(k) ? [] : [n]));
}
