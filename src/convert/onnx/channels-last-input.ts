/**
 * A 4-D graph input the model itself moves to NCHW — every path from it runs through elementwise
 * preprocessing with constant operands (Keras' Rescaling / Normalization: Mul, Add, Sub, Div) into a
 * Transpose with perm [0,3,1,2] — is channels-last already (tf2onnx's Keras exports). The import
 * keeps such an input as declared instead of moving it to NHWC (which would turn [1,H,W,3] into
 * [1,H,3,W] and leave a TRANSPOSE behind).
 */
import type { GraphProto, NodeProto } from './proto.js';
import { OnnxNode } from './node.js';

const PREPROCESS = new Set(['Mul', 'Add', 'Sub', 'Div']);

export function isChannelsLastInput(graph: GraphProto, name: string): boolean {
  const nodes = (graph.node ?? []) as NodeProto[];
  const constants = new Set<string>([...(graph.initializer ?? []).map((t) => t.name ?? ''), ...nodes.filter((n) => n.opType === 'Constant').flatMap((n) => n.output ?? [])]);
  const readers = (value: string) => nodes.filter((n) => (n.input ?? []).includes(value));
  const seen = new Set<string>();
  const reachesTranspose = (value: string, depth: number): boolean => {
    const rs = readers(value);
    if (!rs.length || depth > 8 || graph.output?.some((o) => o.name === value)) return false;
    return rs.every((n) => {
      if (n.opType === 'Transpose') return new OnnxNode(n as ConstructorParameters<typeof OnnxNode>[0], 0).ints('perm')?.join() === '0,3,1,2';
      if (!PREPROCESS.has(n.opType ?? '') || (n.input ?? []).filter((i) => i !== value).some((i) => !constants.has(i))) return false;
      const out = n.output?.[0] ?? '';
      if (seen.has(out)) return true;
      seen.add(out);
      return reachesTranspose(out, depth + 1);
    });
  };
  return reachesTranspose(name, 0);
}
