/**
 * ConcatV2 (axis as the last input) → the ONNX Concat lowering on the value's axes; Pack → each input
 * reshaped with the new axis, then Concat; Unpack → ONNX Split, then each part reshaped without the axis.
 */
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';
import { reshapeValue } from './values.js';

export function importConcat(t: TfContext, node: TfNode): void {
  const ins = node.inputs.slice(0, -1);
  const rank = t.rank(ins[0]!);
  const axis = t.requireConst(node.inputs.length - 1, 'axis')[0]!;
  t.onnx('Concat', ins, [node.output()], { axis: t.axis(axis, rank) });
}

export function importPack(t: TfContext, node: TfNode): void {
  const s = t.shape(node.input(0));
  let axis = node.int('axis', 0);
  if (axis < 0) axis += s.length + 1;
  const expanded = [...s.slice(0, axis), 1, ...s.slice(axis)];
  const parts = node.inputs.map((x) => {
    const e = t.temp('expanded');
    reshapeValue(t, x, expanded, e);
    return e;
  });
  t.onnx('Concat', parts, [node.output()], { axis: t.axis(axis, expanded.length) });
}

export function importUnpack(t: TfContext, node: TfNode): void {
  const x = node.input(0);
  const s = t.shape(x);
  let axis = node.int('axis', 0);
  if (axis < 0) axis += s.length;
  const n = s[axis]!;
  const parts = Array.from({ length: n }, () => t.temp('part'));
  t.onnx('Split', [x, t.int64Value('split', new Array<number>(n).fill(1))], parts, { axis: t.axis(axis, s.length) });
  const squeezed = s.filter((_, a) => a !== axis);
  parts.forEach((p, k) => reshapeValue(t, p, squeezed, node.output(k)));
}
