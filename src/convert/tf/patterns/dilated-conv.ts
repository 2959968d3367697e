/**
 * SpaceToBatchND → Conv2D / DepthwiseConv2dNative (VALID, stride 1) → BatchToSpaceND is how TF expresses
 * a dilated (atrous) convolution. Folded into one conv with dilations = block_shape and explicit pads
 * (paddings − crops: the crops at the output's ends are padding not added), which the conv lowering turns
 * back into SAME where they match — one CONV_2D / DEPTHWISE_CONV_2D instead of three ops and two reshuffles.
 */
import type { TfAttr, TfNodeDef } from '../model.js';
import { canonicalTensor } from '../node.js';
import { base64Bytes } from '../tensor.js';

const CONVS = new Set(['Conv2D', 'DepthwiseConv2dNative', '_FusedConv2D', '_FusedDepthwiseConv2dNative', 'FusedDepthwiseConv2dNative']);

const ints = (v: number[]): TfAttr => ({ list: { i: v.map(String) } });

/** `nodes` with every such triple rewritten (the nodes it changes are copies); `constOf` reads a constant input's values. */
export function foldDilatedConvs(source: readonly TfNodeDef[], constOf: (tensor: string) => number[] | undefined): TfNodeDef[] {
  const nodes = source.map((n) => ({ ...n }));
  const byName = new Map(nodes.map((n) => [n.name ?? '', n]));
  const readers = new Map<string, number>();
  for (const n of nodes) for (const i of n.input ?? []) readers.set(canonicalTensor(i), (readers.get(canonicalTensor(i)) ?? 0) + 1);
  for (const b2s of nodes) {
    if (b2s.op !== 'BatchToSpaceND') continue;
    const [convName, blockB, cropsName] = (b2s.input ?? []).map(canonicalTensor);
    const conv = byName.get(convName ?? '');
    if (!conv || !CONVS.has(conv.op ?? '') || readers.get(convName!) !== 1) continue;
    const s2b = byName.get(canonicalTensor(conv.input?.[0] ?? ''));
    if (s2b?.op !== 'SpaceToBatchND' || readers.get(s2b.name ?? '') !== 1) continue;
    const [x, blockA, padsName] = (s2b.input ?? []).map(canonicalTensor);
    const block = constOf(blockA!);
    const block2 = constOf(blockB!);
    const pads = constOf(padsName!);
    const crops = constOf(cropsName!);
    if (!block || !block2 || !pads || !crops || block.length !== 2 || block.join() !== block2.join()) continue;
    const strides = conv.attr?.strides?.list?.i?.map(Number) ?? [1, 1, 1, 1];
    const padding = Buffer.from(base64Bytes(conv.attr?.padding?.s)).toString('utf8');
    if (strides.some((s) => s !== 1) || padding !== 'VALID') continue;
    const explicit = [0, 1].map((a) => [pads[2 * a]! - crops[2 * a]!, pads[2 * a + 1]! - crops[2 * a + 1]!]);
    if (explicit.flat().some((p) => p < 0)) continue;
    conv.input = [x!, ...(conv.input ?? []).slice(1)];
    conv.attr = {
      ...conv.attr,
      dilations: ints([1, block[0]!, block[1]!, 1]),
      padding: { s: Buffer.from('EXPLICIT').toString('base64') },
      explicit_paddings: ints([0, 0, ...explicit[0]!, ...explicit[1]!, 0, 0]),
    };
    b2s.op = 'Identity';
    b2s.input = [convName!];
    b2s.attr = {};
  }
  return nodes;
}
