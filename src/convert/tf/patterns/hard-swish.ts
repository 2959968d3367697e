/**
 * Hard-swish as Keras writes it — x·relu6(x + 3)/6, or ·(1/6) (MobileNetV3) — folded into one
 * HardSwish node (TFLite HARD_SWISH, which the GPU delegate runs as one op) instead of four.
 * The tfjs converter's grappler pass does the same inside convs (_FusedHardSwish).
 */
import type { TfNodeDef } from '../model.js';
import { canonicalTensor } from '../node.js';

const near = (v: number | undefined, want: number) => v !== undefined && Math.abs(v - want) <= 1e-6 * Math.abs(want);

/** `nodes` with every such product rewritten (copies); `scalarOf` reads a constant scalar input. */
export function foldHardSwishes(source: readonly TfNodeDef[], scalarOf: (tensor: string) => number | undefined): TfNodeDef[] {
  const byName = new Map(source.map((n) => [n.name ?? '', n]));
  const ins = (n: TfNodeDef) => (n.input ?? []).filter((i) => !i.startsWith('^')).map(canonicalTensor);
  const node = (t: string | undefined, ...ops: string[]) => {
    const n = t === undefined || t.includes(':') ? undefined : byName.get(t);
    return n && ops.includes(n.op ?? '') ? n : undefined;
  };
  /** x when `t` is relu6(x + 3) / 6 or relu6(x + 3) · (1/6). */
  const gate = (t: string): string | undefined => {
    const scale = node(t, 'RealDiv', 'Mul');
    if (!scale) return undefined;
    const [a, b] = ins(scale);
    const [relu6, k] = node(a, 'Relu6') ? [node(a, 'Relu6'), b] : scale.op === 'Mul' ? [node(b, 'Relu6'), a] : [undefined, b];
    if (!relu6 || !near(scalarOf(k!), scale.op === 'RealDiv' ? 6 : 1 / 6)) return undefined;
    const add = node(ins(relu6)[0], 'AddV2', 'Add');
    if (!add) return undefined;
    const [p, q] = ins(add);
    if (near(scalarOf(q!), 3)) return p;
    if (near(scalarOf(p!), 3)) return q;
    return undefined;
  };
  return source.map((mul) => {
    if (mul.op !== 'Mul') return mul;
    const [a, b] = ins(mul);
    if (a === undefined || b === undefined) return mul;
    for (const [x, g] of [[a, b], [b, a]] as const) {
      if (gate(g) === x) return { name: mul.name, op: 'HardSwish', input: [x], attr: { T: mul.attr?.T ?? { type: 'DT_FLOAT' } } };
    }
    return mul;
  });
}
