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
 * another reader or is a graph output, or when quantization differs. int8
 * quantization runs the same rewrite (`fuseActivations`) with its own producers
 * and the nodes it keeps float.
 */
import type { Graph } from '../../ir/graph.js';
import { GraphIndex } from '../../ir/graph-index.js';
import type { Activation } from '../../ir/node.js';
import { opsWhere } from '../../ir/op-traits.js';
import { exclusiveUseProblem, sameQuant } from './graph-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';

const ACTIVATIONS: Readonly<Record<string, Activation>> = { RELU: 'RELU', RELU6: 'RELU6', RELU_N1_TO_1: 'RELU_N1_TO_1', TANH: 'TANH' };

/** Producers whose TFLite kernels apply a RELU-family fused activation. */
export const FUSES_RELU_FAMILY = opsWhere((t) => t.appliesFusedRelu);

const RELU_FAMILY = new Set<Activation>(['RELU', 'RELU6', 'RELU_N1_TO_1']);

export interface FuseActivationOptions {
  /** Producers that may take the activation (default FUSES_RELU_FAMILY); others are not considered. */
  producers?: ReadonlySet<string>;
  /** Names of nodes to leave alone: a pair with either node here is not fused. */
  keep?: ReadonlySet<string>;
}

/** Folds each activation into its producer where allowed (see the header); edits `g` in place. */
export function fuseActivations(g: Graph, opts: FuseActivationOptions = {}): PassResult {
  const producers = opts.producers ?? FUSES_RELU_FAMILY;
  let fused = 0;
  const declines: string[] = [];
  const index = new GraphIndex(g);
  for (const a of g.nodes) {
    const act = ACTIVATIONS[a.op];
    if (!act || !a.inputs[0] || a.outputs.length !== 1) continue;
    const x = a.inputs[0];
    const p = index.producer(x);
    if (!p) continue;
    const label = `${a.op} '${a.name}' after ${p.op} '${p.name}'`;
    if (!producers.has(p.op) && p.op !== 'CONCATENATION') continue;
    if (opts.keep?.has(a.name) || opts.keep?.has(p.name)) {
      declines.push(`${label}: kept as it is (asked)`);
      continue;
    }
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
    const why = exclusiveUseProblem(g, x, index.consumers(x));
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
    index.remove(a);
    index.remove(p);
    p.outputs = p.outputs.map((o) => (o === x ? tout.name : o));
    p.attrs = { ...p.attrs, activation: act };
    index.add(p);
    g.tensors.delete(x);
    fused++;
  }
  if (fused) g.nodes = g.nodes.filter((n) => index.has(n));
  return summarize('activations fused', fused, declines, { fused });
}

export const fuseActivation: PassSpec = {
  id: 'fuse-activation',
  phase: 'fuse',
  summary: 'fold RELU / RELU6 / RELU_N1_TO_1 into the fused activation of the producing op where TFLite kernels apply it',
  run: (g) => fuseActivations(g),
};
