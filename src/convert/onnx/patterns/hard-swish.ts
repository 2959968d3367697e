/**
 * Hard-swish written out, each → one HardSwish node (TFLite HARD_SWISH = x·relu6(x + 3)/6):
 * - x · HardSigmoid(x) with alpha 1/6, beta 0.5 (PyTorch's nn.Hardswish export before opset 14);
 * - x · Clip(x + 3, 0, 6) / 6 (MobileNetV3-style `x * F.relu6(x + 3) / 6`): the /6 as Div by 6 or
 *   Mul by 1/6, applied after or before the multiplication by x.
 * Every intermediate must feed only the next node of the form.
 */
import type { NodeProto } from '../proto.js';
import { GraphView, isOp, otherInput } from './graph-view.js';
import { fusedNode, type Pattern, type PatternMatch } from './pattern.js';

function floatAttr(n: NodeProto, name: string): number | undefined {
  const a = (n.attribute ?? []).find((x) => x.name === name);
  return a ? (a.f ?? 0) : undefined;
}

const near = (v: number | undefined, want: number) => v !== undefined && Math.abs(v - want) <= 1e-6 * Math.max(Math.abs(want), 1e-30);

function fused(anchor: NodeProto, x: string, last: NodeProto, what: string): NodeProto {
  return fusedNode(`${last.name || anchor.name || anchor.opType}_hardswish`, 'HardSwish', x, last.output![0]!, what);
}

export const hardSwishFromHardSigmoid: Pattern = {
  name: 'HardSwish (x · HardSigmoid(x))',
  match(view: GraphView, s: number): PatternMatch | undefined {
    const hs = view.nodes[s];
    if (!isOp(hs, 'HardSigmoid')) return undefined;
    if (!near(floatAttr(hs, 'alpha') ?? 0.2, 1 / 6) || !near(floatAttr(hs, 'beta') ?? 0.5, 0.5)) return undefined;
    const x = hs.input?.[0];
    const y = hs.output?.[0];
    if (!x || !y) return undefined;
    const mi = view.soleConsumer(y);
    const mul = mi === undefined ? undefined : view.nodes[mi];
    if (!isOp(mul, 'Mul') || otherInput(mul, y) !== x) return undefined;
    return { remove: [s, mi!], replacement: fused(hs, x, mul, 'x · HardSigmoid(x)') };
  },
};

/** True when Clip node `n` clamps to [0, 6] (attributes before opset 11, constant inputs after). */
function isClip06(view: GraphView, n: NodeProto): boolean {
  const [, lo, hi] = n.input ?? [];
  if (lo || hi) return !!lo && !!hi && view.scalar(lo)?.v === 0 && view.isScalar(hi, 6);
  return floatAttr(n, 'min') === 0 && floatAttr(n, 'max') === 6;
}

/** For `n` = v/6 (Div by 6 or Mul by 1/6, either side for Mul): v. */
function sixthOf(view: GraphView, n: NodeProto | undefined): string | undefined {
  const [a, b] = n?.input ?? [];
  if (isOp(n, 'Div')) return b && view.isScalar(b, 6) ? a : undefined;
  if (!isOp(n, 'Mul')) return undefined;
  if (b && view.isScalar(b, 1 / 6)) return a;
  if (a && view.isScalar(a, 1 / 6)) return b;
  return undefined;
}

export const hardSwishFromRelu6: Pattern = {
  name: 'HardSwish (x · relu6(x + 3) / 6)',
  match(view: GraphView, c: number): PatternMatch | undefined {
    const clip = view.nodes[c];
    if (!isOp(clip, 'Clip') || !isClip06(view, clip)) return undefined;
    const ai = view.producerOf(clip.input![0]!);
    const add = ai === undefined ? undefined : view.nodes[ai];
    if (!isOp(add, 'Add') || view.soleConsumer(add.output![0]!) !== c) return undefined;
    const [p, q] = add.input ?? [];
    const x = q && view.isScalar(q, 3) ? p : p && view.isScalar(p, 3) ? q : undefined;
    if (!x) return undefined;
    const r = clip.output![0]!;
    const n1i = view.soleConsumer(r);
    const n1 = n1i === undefined ? undefined : view.nodes[n1i];
    if (!n1) return undefined;
    if (isOp(n1, 'Mul') && otherInput(n1, r) === x) {
      // (x · r) / 6
      const n2i = view.soleConsumer(n1.output![0]!);
      const n2 = n2i === undefined ? undefined : view.nodes[n2i];
      if (sixthOf(view, n2) !== n1.output![0]) return undefined;
      return { remove: [ai!, c, n1i!, n2i!], replacement: fused(clip, x, n2!, 'x · relu6(x + 3) / 6') };
    }
    // x · (r / 6)
    if (sixthOf(view, n1) !== r) return undefined;
    const n2i = view.soleConsumer(n1.output![0]!);
    const n2 = n2i === undefined ? undefined : view.nodes[n2i];
    if (!isOp(n2, 'Mul') || otherInput(n2, n1.output![0]!) !== x) return undefined;
    return { remove: [ai!, c, n1i!, n2i!], replacement: fused(clip, x, n2, 'x · relu6(x + 3) / 6') };
  },
};
