/**
 * A CNN plain int8 ruins on purpose: `mix_in` gives one channel of its output a
 * constant 500 (a huge outlier next to O(1) signal channels), and `mix_out`
 * ignores that channel. One per-tensor int8 scale for `mix_in`'s output is
 * ≈ 500/255 ≈ 2, so the O(1) channels `mix_out` reads collapse to a few levels.
 * Keeping both nodes float (so the tensor between them stays float) fixes it.
 *
 *   x [1,8,8,3] → conv 3→8 (relu) → mix_in conv 8→4 (+500 on ch 3) → mix_out conv 4→4 (ch 3 weight 0) → conv 4→2 → y
 */
import { writeTflite } from '../../src/tflite/writer.js';
import type { Graph } from '../../src/ir/graph.js';
import { IrBuilder } from '../helpers/ir-builder.js';

export function outlierModel(): Graph {
  const b = new IrBuilder(7);
  const x = b.input('x', [1, 8, 8, 3]);
  const c1 = b.conv2d(x, { out: 8, k: 3, activation: 'RELU', name: 'stem' });
  const mixIn = b.conv2d(c1, { out: 4, k: 1, name: 'mix_in' });
  // bias of mix_in: channel 3 = 500
  const inNode = b.graph.nodes.find((n) => n.name === 'mix_in')!;
  const bias = b.graph.tensor(inNode.inputs[2]!).data as Float32Array;
  bias[3] = 500;
  const mixOut = b.conv2d(mixIn, { out: 4, k: 1, name: 'mix_out' });
  const outNode = b.graph.nodes.find((n) => n.name === 'mix_out')!;
  const w = b.graph.tensor(outNode.inputs[1]!).data as Float32Array; // OHWI [4,1,1,4]
  for (let o = 0; o < 4; o++) w[o * 4 + 3] = 0;
  const y = b.conv2d(mixOut, { out: 2, k: 1, name: 'head' });
  b.output(y);
  return b.graph;
}

export const outlierModelBytes = (): Uint8Array => writeTflite(outlierModel());

/** The same outlier trap with a matting head: one channel through LOGISTIC (an alpha in [0, 1]). */
export function outlierMattingModel(): Graph {
  const b = new IrBuilder(11);
  const x = b.input('x', [1, 8, 8, 3]);
  const c1 = b.conv2d(x, { out: 8, k: 3, activation: 'RELU', name: 'stem' });
  const mixIn = b.conv2d(c1, { out: 4, k: 1, name: 'mix_in' });
  const inNode = b.graph.nodes.find((n) => n.name === 'mix_in')!;
  (b.graph.tensor(inNode.inputs[2]!).data as Float32Array)[3] = 500;
  const mixOut = b.conv2d(mixIn, { out: 4, k: 1, name: 'mix_out' });
  const outNode = b.graph.nodes.find((n) => n.name === 'mix_out')!;
  const w = b.graph.tensor(outNode.inputs[1]!).data as Float32Array;
  for (let o = 0; o < 4; o++) w[o * 4 + 3] = 0;
  const logits = b.conv2d(mixOut, { out: 1, k: 1, name: 'head' });
  // sharpen so the alpha uses the whole [0, 1] range
  const headW = b.graph.tensor(b.graph.nodes.find((n) => n.name === 'head')!.inputs[1]!).data as Float32Array;
  for (let i = 0; i < headW.length; i++) headW[i] = headW[i]! * 4;
  b.output(b.unary('LOGISTIC', logits, { name: 'alpha' }));
  return b.graph;
}
