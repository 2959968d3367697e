/**
 * Keras' PReLU in a frozen graph or SavedModel is relu(x) + (−α)·relu(−x): AddV2(Relu(x), Mul(Neg(α),
 * Relu(Neg(x)))) (the tfjs converter already fuses it into Prelu). Folded back into one Prelu(x, α), so
 * it is TFLite PRELU — which the GPU delegate runs — instead of six ops.
 */
import type { TfNodeDef } from '../model.js';
import { canonicalTensor } from '../node.js';

const ADDS = new Set(['Add', 'AddV2']);

/** `nodes` with every such sum rewritten into a Prelu (the rewritten nodes are copies). */
export function foldPrelus(source: readonly TfNodeDef[]): TfNodeDef[] {
  const byName = new Map(source.map((n) => [n.name ?? '', n]));
  const op = (t: string | undefined, want: string) => {
    const n = t === undefined ? undefined : byName.get(canonicalTensor(t));
    return n?.op === want && !canonicalTensor(t!).includes(':') ? n : undefined;
  };
  const ins = (n: TfNodeDef) => (n.input ?? []).filter((i) => !i.startsWith('^')).map(canonicalTensor);
  return source.map((add) => {
    if (!ADDS.has(add.op ?? '')) return add;
    const [a, b] = ins(add);
    for (const [pos, mul] of [[op(a, 'Relu'), op(b, 'Mul')], [op(b, 'Relu'), op(a, 'Mul')]] as const) {
      if (!pos || !mul) continue;
      const x = ins(pos)[0]!;
      const [m0, m1] = ins(mul);
      for (const [negAlpha, negRelu] of [[op(m0, 'Neg'), op(m1, 'Relu')], [op(m1, 'Neg'), op(m0, 'Relu')]] as const) {
        if (!negAlpha || !negRelu) continue;
        const negX = op(ins(negRelu)[0], 'Neg');
        if (!negX || ins(negX)[0] !== x) continue;
        return { name: add.name, op: 'Prelu', input: [x, ins(negAlpha)[0]!], attr: { T: add.attr?.T ?? { type: 'DT_FLOAT' } } };
      }
    }
    return add;
  });
}
