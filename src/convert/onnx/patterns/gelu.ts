/**
 * The GELU forms PyTorch exports before opset 20, each → one Gelu node:
 * - exact (F.gelu): x → Div(·, √2) | Mul(·, 1/√2) → Erf → Add(·, 1) → tail;
 * - tanh (F.gelu(approximate='tanh'), HF NewGELU): x → x³ (Pow(x, 3), or Mul of x·x and x) →
 *   Mul(·, 0.044715) → Add(x, ·) → Mul(·, √(2/π)) → Tanh → Add(·, 1) → tail;
 * where the tail multiplies by x and 0.5 in any association: Mul(Mul(A, x), 0.5) ·
 * Mul(Mul(A, 0.5), x) · Mul(A, Mul(x, 0.5)) (operands in either order). Every intermediate must have
 * no other consumer and every constant match within 1e-6 (float16: its rounding).
 */
import type { NodeProto } from '../proto.js';
import { GraphView, isOp, otherInput } from './graph-view.js';
import { fusedNode, type Pattern, type PatternMatch } from './pattern.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const KAPPA = 0.044715;

interface At {
  i: number;
  n: NodeProto;
}

/** The node producing `value`, when `value` feeds only `consumer`. */
function soleProducer(view: GraphView, value: string | undefined, consumer: number): At | undefined {
  if (!value) return undefined;
  const i = view.producerOf(value);
  if (i === undefined || view.soleConsumer(value) !== consumer) return undefined;
  return { i, n: view.nodes[i]! };
}

function consumer(view: GraphView, value: string | undefined): At | undefined {
  if (!value) return undefined;
  const i = view.soleConsumer(value);
  return i === undefined ? undefined : { i, n: view.nodes[i]! };
}

/** For Mul(a, c) / Mul(c, a) with c a scalar ≈ want: a. */
function mulByScalar(view: GraphView, n: NodeProto | undefined, want: number): string | undefined {
  if (!isOp(n, 'Mul')) return undefined;
  const [a, b] = n.input ?? [];
  if (b && view.isScalar(b, want)) return a;
  if (a && view.isScalar(a, want)) return b;
  return undefined;
}

/** x when `n` computes x/√2 (Div by √2 or Mul by 1/√2). */
function erfArgument(view: GraphView, n: NodeProto | undefined): string | undefined {
  if (isOp(n, 'Div') && view.isScalar(n.input![1]!, Math.SQRT2)) return n.input![0];
  return mulByScalar(view, n, Math.SQRT1_2);
}

/** True when `n` computes x·0.5 (Mul by 0.5 either side, or Div by 2). */
function isHalfOf(view: GraphView, n: NodeProto | undefined, x: string): boolean {
  if (isOp(n, 'Div')) return n.input![0] === x && view.isScalar(n.input![1]!, 2);
  if (!isOp(n, 'Mul')) return false;
  const other = otherInput(n, x);
  return other !== undefined && view.isScalar(other, 0.5);
}

/** The nodes of `x³` computed for `user` (Pow(x, 3), Mul(Mul(x, x), x) or Mul(x, Mul(x, x))). */
function cubeOf(view: GraphView, value: string, x: string, user: number): number[] | undefined {
  const p = soleProducer(view, value, user);
  if (!p) return undefined;
  if (isOp(p.n, 'Pow')) return p.n.input![0] === x && view.isScalar(p.n.input![1]!, 3) ? [p.i] : undefined;
  if (!isOp(p.n, 'Mul')) return undefined;
  const sq = otherInput(p.n, x);
  const s = sq !== undefined ? soleProducer(view, sq, p.i) : undefined;
  if (!s || !isOp(s.n, 'Mul') || s.n.input![0] !== x || s.n.input![1] !== x) return undefined;
  return [s.i, p.i];
}

/** Nodes of the tanh-form argument √(2/π)·(x + 0.044715·x³) ending at `arg` (fed to node `tanh`), and x. */
function tanhArgument(view: GraphView, arg: string | undefined, tanh: number): { x: string; nodes: number[] } | undefined {
  const scale = soleProducer(view, arg, tanh);
  const inner = scale && mulByScalar(view, scale.n, SQRT_2_OVER_PI);
  const add = inner ? soleProducer(view, inner, scale!.i) : undefined;
  if (!add || !isOp(add.n, 'Add')) return undefined;
  for (const [x, k] of [add.n.input!, [...add.n.input!].reverse()] as string[][]) {
    const kp = soleProducer(view, k, add.i);
    const cube = kp && mulByScalar(view, kp.n, KAPPA);
    const cubeNodes = cube ? cubeOf(view, cube, x!, kp!.i) : undefined;
    if (cubeNodes) return { x: x!, nodes: [...cubeNodes, kp!.i, add.i, scale!.i] };
  }
  return undefined;
}

/** The tail from `f` (Erf or Tanh output): Add(·, 1), then ·x and ·0.5 in any association. */
function tail(view: GraphView, f: string, x: string): { nodes: number[]; last: At } | undefined {
  const add = consumer(view, f);
  if (!add || !isOp(add.n, 'Add')) return undefined;
  const one = otherInput(add.n, f);
  if (!one || !view.isScalar(one, 1)) return undefined;
  const a = add.n.output![0]!;
  const m1 = consumer(view, a);
  if (!m1 || !isOp(m1.n, 'Mul')) return undefined;
  const k = otherInput(m1.n, a);
  if (!k) return undefined;
  if (k === x || view.isScalar(k, 0.5)) {
    // (A·x)·0.5 or (A·0.5)·x
    const m2 = consumer(view, m1.n.output?.[0]);
    if (!m2 || !isOp(m2.n, 'Mul')) return undefined;
    const k2 = otherInput(m2.n, m1.n.output![0]!);
    const ok = k === x ? k2 !== undefined && view.isScalar(k2, 0.5) : k2 === x;
    return ok ? { nodes: [add.i, m1.i, m2.i], last: m2 } : undefined;
  }
  // A·(x·0.5)
  const h = soleProducer(view, k, m1.i);
  if (!h || !isHalfOf(view, h.n, x)) return undefined;
  return { nodes: [add.i, h.i, m1.i], last: m1 };
}

function fused(anchor: NodeProto, x: string, last: At, approximate: 'none' | 'tanh', what: string): NodeProto {
  const approx = { name: 'approximate', type: 3, s: new TextEncoder().encode(approximate) } as NonNullable<NodeProto['attribute']>[number];
  return fusedNode(last.n.name || `${anchor.name || anchor.opType}_gelu`, 'Gelu', x, last.n.output![0]!, what, [approx]);
}

export const geluFromErf: Pattern = {
  name: 'GELU (Erf form)',
  match(view: GraphView, e: number): PatternMatch | undefined {
    const erf = view.nodes[e];
    if (!isOp(erf, 'Erf')) return undefined;
    const p = soleProducer(view, erf.input?.[0], e);
    const x = p && erfArgument(view, p.n);
    const t = x ? tail(view, erf.output![0]!, x) : undefined;
    if (!t) return undefined;
    return { remove: [p!.i, e, ...t.nodes], replacement: fused(erf, x!, t.last, 'none', 'the Erf form of GELU') };
  },
};

export const geluFromTanh: Pattern = {
  name: 'GELU (tanh form)',
  match(view: GraphView, ti: number): PatternMatch | undefined {
    const tanh = view.nodes[ti];
    if (!isOp(tanh, 'Tanh')) return undefined;
    const arg = tanhArgument(view, tanh.input?.[0], ti);
    const t = arg ? tail(view, tanh.output![0]!, arg.x) : undefined;
    if (!t) return undefined;
    return { remove: [...arg!.nodes, ti, ...t.nodes], replacement: fused(tanh, arg!.x, t.last, 'tanh', 'the tanh form of GELU') };
  },
};
