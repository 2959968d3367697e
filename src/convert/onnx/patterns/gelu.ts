/**
 * The Erf form of GELU that PyTorch exports (F.gelu before opset 20):
 *   x → Div(·, √2) | Mul(·, 1/√2) → Erf → Add(·, 1) → then x and 0.5 multiplied in any association:
 *   Mul(Mul(A, x), 0.5) · Mul(Mul(A, 0.5), x) · Mul(A, Mul(x, 0.5)) (operands in either order)
 * → one Gelu(approximate='none') node. Every intermediate must have no other consumer.
 */
import type { NodeProto } from '../proto.js';
import { GraphView, isOp, otherInput } from './graph-view.js';
import { fusedAttr, type Pattern, type PatternMatch } from './pattern.js';

const SQRT2 = Math.SQRT2;

/** x when node `i` computes x/√2 (Div by √2 or Mul by 1/√2). */
function scaledInput(view: GraphView, n: NodeProto | undefined): string | undefined {
  if (isOp(n, 'Div') && view.isScalar(n.input![1]!, SQRT2)) return n.input![0];
  if (isOp(n, 'Mul')) {
    const [a, b] = n.input ?? [];
    if (b && view.isScalar(b, Math.SQRT1_2)) return a;
    if (a && view.isScalar(a, Math.SQRT1_2)) return b;
  }
  return undefined;
}

/** True when `n` computes x·0.5 (Mul by 0.5 either side, or Div by 2). */
function isHalfOf(view: GraphView, n: NodeProto | undefined, x: string): boolean {
  if (isOp(n, 'Div')) return n.input![0] === x && view.isScalar(n.input![1]!, 2);
  if (!isOp(n, 'Mul')) return false;
  const other = otherInput(n, x);
  return other !== undefined && view.isScalar(other, 0.5);
}

function consumer(view: GraphView, value: string | undefined): { i: number; n: NodeProto } | undefined {
  if (!value) return undefined;
  const i = view.soleConsumer(value);
  return i === undefined ? undefined : { i, n: view.nodes[i]! };
}

export const geluFromErf: Pattern = {
  name: 'GELU (Erf form)',
  match(view: GraphView, e: number): PatternMatch | undefined {
    const erf = view.nodes[e];
    if (!isOp(erf, 'Erf')) return undefined;
    const u = erf.input?.[0];
    const pi = u ? view.producerOf(u) : undefined;
    if (pi === undefined || view.soleConsumer(u!) !== e) return undefined;
    const x = scaledInput(view, view.nodes[pi]);
    if (!x) return undefined;
    const add = consumer(view, erf.output?.[0]);
    if (!add || !isOp(add.n, 'Add')) return undefined;
    const one = otherInput(add.n, erf.output![0]!);
    if (!one || !view.isScalar(one, 1)) return undefined;
    const a = add.n.output![0]!;
    const m1 = consumer(view, a);
    if (!m1 || !isOp(m1.n, 'Mul')) return undefined;
    const k = otherInput(m1.n, a);
    if (!k) return undefined;
    const base = [pi, e, add.i, m1.i];
    let last: { i: number; n: NodeProto } | undefined;
    if (k === x || view.isScalar(k, 0.5)) {
      // (A·x)·0.5 or (A·0.5)·x
      const m2 = consumer(view, m1.n.output?.[0]);
      if (!m2 || !isOp(m2.n, 'Mul')) return undefined;
      const k2 = otherInput(m2.n, m1.n.output![0]!);
      const ok = k === x ? k2 !== undefined && view.isScalar(k2, 0.5) : k2 === x;
      if (!ok) return undefined;
      base.push(m2.i);
      last = m2;
    } else {
      // A·(x·0.5)
      const hi = view.producerOf(k);
      if (hi === undefined || view.soleConsumer(k) !== m1.i || !isHalfOf(view, view.nodes[hi], x)) return undefined;
      base.push(hi);
      last = m1;
    }
    const replacement = {
      name: last.n.name || `${erf.name || 'Erf'}_gelu`,
      opType: 'Gelu',
      domain: '',
      input: [x],
      output: [last.n.output![0]!],
      attribute: [{ name: 'approximate', type: 3, s: new TextEncoder().encode('none') }, fusedAttr('the Erf form of GELU')],
    } as unknown as NodeProto;
    return { remove: base, replacement };
  },
};
