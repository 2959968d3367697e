/**
 * Before int8: a RELU / RELU6 / RELU_N1_TO_1 that is the only reader of a
 * CONV_2D / DEPTHWISE / FC / ADD / SUB / MUL / pool output is folded into that
 * op's fused activation (as TFLiteConverter does). The producer then writes the
 * activation's output tensor, whose calibrated range excludes the clamped part,
 * so the int8 step is not spent on values the activation discards. Graphs read
 * from .tflite files (e.g. Google's selfie model) keep their activations
 * separate. Pairs with a node in `keep` are left alone. Edits `g` in place.
 */
import type { Graph } from '../ir/graph.js';
import type { Activation } from '../ir/node.js';
import { FUSES_RELU_FAMILY } from '../convert/passes/fuse-activation.js';
import { exclusiveUseProblem } from '../convert/passes/graph-util.js';

const RELU_FAMILY: ReadonlySet<string> = new Set<Activation>(['RELU', 'RELU6', 'RELU_N1_TO_1']);

/** Returns the fused pairs (activation node name → producer node name). */
export function fuseReluIntoProducers(g: Graph, keep?: ReadonlySet<string>): Map<string, string> {
  const fused = new Map<string, string>();
  for (const a of [...g.nodes]) {
    if (!RELU_FAMILY.has(a.op) || !a.inputs[0] || a.outputs.length !== 1 || keep?.has(a.name)) continue;
    const x = a.inputs[0];
    const p = g.producerOf(x);
    if (!p || !FUSES_RELU_FAMILY.has(p.op) || p.op === 'DIV' || keep?.has(p.name)) continue;
    if ((p.attrs.activation ?? 'NONE') !== 'NONE' || exclusiveUseProblem(g, x)) continue;
    if (g.tensor(x).dtype !== 'float32') continue;
    p.outputs = p.outputs.map((o) => (o === x ? a.outputs[0]! : o));
    p.attrs = { ...p.attrs, activation: a.op as Activation };
    delete p.version;
    g.removeNode(a);
    g.tensors.delete(x);
    fused.set(a.name, p.name);
  }
  return fused;
}
