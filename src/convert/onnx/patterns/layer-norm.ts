/**
 * The LayerNorm PyTorch exports before opset 17 (no LayerNormalization op):
 *   mean = ReduceMean(x, axes=[-k..-1]);  d = Sub(x, mean);  v = ReduceMean(Pow(d, 2) | Mul(d, d));
 *   y = Div(d, Sqrt(Add(v, ε)));  y = Mul(y, γ);  [y = Add(y, β)]     (γ, β constant)
 * → one LayerNormalization(axis=−k, epsilon=ε) node, imported as the GPU-friendly decomposition
 * with RSQRT (one op instead of SQRT + DIV). Every intermediate must have no other consumer
 * (d exactly the square and the Div).
 */
import type { NodeProto } from '../proto.js';
import { GraphView, isOp, otherInput } from './graph-view.js';
import { fusedAttr, type Pattern, type PatternMatch } from './pattern.js';

function attrInts(n: NodeProto, name: string): number[] | undefined {
  const a = (n.attribute ?? []).find((x) => x.name === name);
  return a ? (a.ints ?? []).map(Number) : undefined;
}
function attrInt(n: NodeProto, name: string, dflt: number): number {
  const a = (n.attribute ?? []).find((x) => x.name === name);
  return a ? Number(a.i ?? 0) : dflt;
}

/** The trailing axes count k of a keepdims ReduceMean over [-k..-1] (negative axes: no rank needed). */
function trailingMean(view: GraphView, n: NodeProto | undefined): number | undefined {
  if (!isOp(n, 'ReduceMean') || attrInt(n, 'keepdims', 1) !== 1) return undefined;
  let axes = attrInts(n, 'axes');
  if (!axes && n.input?.[1]) {
    const s = view.scalar(n.input[1]);
    axes = s ? [s.v] : undefined;
  }
  if (!axes?.length) return undefined;
  const sorted = [...axes].sort((a, b) => a - b);
  const k = sorted.length;
  return sorted.every((a, i) => a === i - k) ? k : undefined;
}

function sole(view: GraphView, value: string | undefined): { i: number; n: NodeProto } | undefined {
  if (!value) return undefined;
  const i = view.soleConsumer(value);
  return i === undefined ? undefined : { i, n: view.nodes[i]! };
}

export const layerNormFromReduceMean: Pattern = {
  name: 'LayerNorm (ReduceMean form)',
  match(view: GraphView, i: number): PatternMatch | undefined {
    const mean = view.nodes[i];
    const k = trailingMean(view, mean);
    if (k === undefined) return undefined;
    const x = mean!.input![0]!;
    const sub = sole(view, mean!.output?.[0]);
    if (!sub || !isOp(sub.n, 'Sub') || sub.n.input?.[0] !== x || sub.n.input?.[1] !== mean!.output![0]) return undefined;
    const d = sub.n.output![0]!;
    const users = view.nodes.flatMap((n, j) => ((n.input ?? []).includes(d) ? [j] : []));
    // reads of d by these nodes (Mul(d, d) reads it twice); more reads mean another consumer or a graph output
    const reads = users.reduce((t, j) => t + view.nodes[j]!.input!.filter((v) => v === d).length, 0);
    if (view.useCount(d) !== reads) return undefined;
    const sq = users.map((j) => ({ i: j, n: view.nodes[j]! })).find(({ n }) => (isOp(n, 'Pow') && n.input?.[0] === d && view.isScalar(n.input[1]!, 2)) || (isOp(n, 'Mul') && n.input?.[0] === d && n.input?.[1] === d));
    const div = users.map((j) => ({ i: j, n: view.nodes[j]! })).find(({ n }) => isOp(n, 'Div') && n.input?.[0] === d);
    if (!sq || !div || users.length !== 2) return undefined;
    const mean2 = sole(view, sq.n.output?.[0]);
    if (!mean2 || trailingMean(view, mean2.n) !== k) return undefined;
    const add = sole(view, mean2.n.output?.[0]);
    if (!add || !isOp(add.n, 'Add')) return undefined;
    const epsName = otherInput(add.n, mean2.n.output![0]!);
    const eps = epsName ? view.scalar(epsName) : undefined;
    if (!eps || !(eps.v >= 0)) return undefined;
    const sqrt = sole(view, add.n.output?.[0]);
    if (!sqrt || !isOp(sqrt.n, 'Sqrt') || sole(view, sqrt.n.output?.[0])?.i !== div.i || div.n.input?.[1] !== sqrt.n.output![0]) return undefined;
    const mul = sole(view, div.n.output?.[0]);
    if (!mul || !isOp(mul.n, 'Mul')) return undefined;
    const gamma = otherInput(mul.n, div.n.output![0]!);
    if (!gamma || !view.isConstant(gamma)) return undefined;
    const remove = [i, sub.i, sq.i, mean2.i, add.i, sqrt.i, div.i, mul.i];
    let last = mul;
    const inputs = [x, gamma];
    const bias = sole(view, mul.n.output?.[0]);
    const beta = bias && isOp(bias.n, 'Add') ? otherInput(bias.n, mul.n.output![0]!) : undefined;
    if (bias && beta && view.isConstant(beta)) {
      remove.push(bias.i);
      inputs.push(beta);
      last = bias;
    }
    const replacement = {
      name: last.n.name || `${mean!.name || 'ReduceMean'}_layernorm`,
      opType: 'LayerNormalization',
      domain: '',
      input: inputs,
      output: [last.n.output![0]!],
      attribute: [
        { name: 'axis', type: 2, i: -k },
        { name: 'epsilon', type: 1, f: eps.v },
        fusedAttr('the ReduceMean form of LayerNorm'),
      ],
    } as unknown as NodeProto;
    return { remove, replacement };
  },
};
