/**
 * x · HardSigmoid(x) with alpha 1/6, beta 0.5 (PyTorch's hardswish export before opset 14)
 * → one HardSwish node. The HardSigmoid output must feed only that Mul.
 */
import type { NodeProto } from '../proto.js';
import { GraphView, isOp, otherInput } from './graph-view.js';
import { fusedAttr, type Pattern, type PatternMatch } from './pattern.js';

function floatAttr(n: NodeProto, name: string, dflt: number): number {
  const a = (n.attribute ?? []).find((x) => x.name === name);
  return a ? (a.f ?? 0) : dflt;
}

const near = (v: number, want: number) => Math.abs(v - want) <= 1e-6 * Math.abs(want);

export const hardSwishFromHardSigmoid: Pattern = {
  name: 'HardSwish (x · HardSigmoid(x))',
  match(view: GraphView, s: number): PatternMatch | undefined {
    const hs = view.nodes[s];
    if (!isOp(hs, 'HardSigmoid')) return undefined;
    if (!near(floatAttr(hs, 'alpha', 0.2), 1 / 6) || !near(floatAttr(hs, 'beta', 0.5), 0.5)) return undefined;
    const x = hs.input?.[0];
    const y = hs.output?.[0];
    if (!x || !y) return undefined;
    const mi = view.soleConsumer(y);
    const mul = mi === undefined ? undefined : view.nodes[mi];
    if (!isOp(mul, 'Mul') || otherInput(mul, y) !== x) return undefined;
    const replacement = {
      name: mul.name || `${hs.name || 'HardSigmoid'}_hardswish`,
      opType: 'HardSwish',
      domain: '',
      input: [x],
      output: [mul.output![0]!],
      attribute: [fusedAttr('x · HardSigmoid(x)')],
    } as unknown as NodeProto;
    return { remove: [s, mi!], replacement };
  },
};
