/**
 * fuse-activation: a RELU / RELU6 / RELU_N1_TO_1 node right after an op that
 * has a `fused_activation_function` field is folded into that field.
 *
 * Which pairs TFLite allows (its kernels, not just the schema): CONV_2D,
 * DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, SUB, MUL, DIV, AVERAGE_POOL_2D,
 * MAX_POOL_2D and L2_POOL_2D clamp with RELU, RELU6 and RELU_N1_TO_1.
 * TANH is never fused: these kernels compute their clamp range with
 * CalculateActivationRange, which knows only the RELU family and silently
 * ignores TANH (only the RNN/LSTM kernels apply a fused tanh). CONCATENATION
 * has the field but its kernel requires NONE (Prepare fails otherwise).
 *
 * Declined when the producer already fuses an activation, when its output has
 * another reader or is a graph output, or when quantization differs.
 */
import type { Graph } from '../../ir/graph.js';
import type { Activation, Node } from '../../ir/node.js';
import { opsWhere } from '../../ir/op-traits.js';
import { exclusiveUseProblem, sameQuant } from './graph-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';

const ACTIVATIONS: Readonly<Record<string, Activation>> = { RELU: 'RELU', RELU6: 'RELU6', RELU_N1_TO_1: 'RELU_N1_TO_1', TANH: 'TANH' };

/** Producers whose TFLite kernels apply a RELU-family fused activation. */
export const FUSES_RELU_FAMILY = opsWhere((t) => t.appliesFusedRelu);

const RELU_FAMILY = new Set<Activation>(['RELU', 'RELU6', 'RELU_N1_TO_1']);

export const fuseActivation: PassSpec = {
  id: 'fuse-activation',
  phase: 'fuse',
  summary: 'fold RELU / RELU6 / RELU_N1_TO_1 into the fused activation of the producing op where TFLite kernels apply it',
  run(g: Graph): PassResult {
    let fused = 0;
    const declines: string[] = [];
    // Indexes built once and kept current below, so the pass is linear in the node count.
    const producers = g.producers();
    const consumers = g.consumers();
    const removed = new Set<Node>();
    for (const a of g.nodes) {
      const act = ACTIVATIONS[a.op];
      if (!act || !a.inputs[0] || a.outputs.length !== 1) continue;
      const x = a.inputs[0];
      const p = producers.get(x);
      if (!p) continue;
      const label = `${a.op} '${a.name}' after ${p.op} '${p.name}'`;
      if (!FUSES_RELU_FAMILY.has(p.op) && p.op !== 'CONCATENATION') continue;
      if (p.op === 'CONCATENATION') {
        declines.push(`${label}: TFLite's CONCATENATION kernel requires fused activation NONE`);
        continue;
      }
      if (!RELU_FAMILY.has(act)) {
        declines.push(`${label}: TFLite's ${p.op} kernel ignores a fused ${act} (only the RELU family is applied)`);
        continue;
      }
      if ((p.attrs.activation ?? 'NONE') !== 'NONE') {
        declines.push(`${label}: ${p.op} already fuses ${p.attrs.activation}`);
        continue;
      }
      const why = exclusiveUseProblem(g, x, consumers.get(x) ?? []);
      if (why) {
        declines.push(`${label}: ${why}`);
        continue;
      }
      const tin = g.tensor(x);
      const tout = g.tensor(a.outputs[0]!);
      if (tin.dtype !== tout.dtype || (tin.quant && !sameQuant(tin, tout))) {
        declines.push(`${label}: dtype or quantization changes across the activation`);
        continue;
      }
      p.outputs = p.outputs.map((o) => (o === x ? tout.name : o));
      p.attrs = { ...p.attrs, activation: act };
      producers.delete(x);
      producers.set(tout.name, p);
      removed.add(a);
      g.tensors.delete(x);
      fused++;
    }
    if (removed.size) g.nodes = g.nodes.filter((n) => !removed.has(n));
    return summarize('activations fused', fused, declines, { fused });
  },
};
