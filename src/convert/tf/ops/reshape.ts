/** Reshape (a 0 in the shape is a literal 0, one -1 inferred), Squeeze (squeeze_dims), ExpandDims (axis input): RESHAPE in TF element order. */
import { numElements } from '../../../ir/tensor.js';
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';
import { reshapeValue, resolveShape } from './values.js';

export function importReshape(t: TfContext, node: TfNode): void {
  const x = node.input(0);
  const spec = t.requireConst(1, 'shape');
  reshapeValue(t, x, resolveShape(t, spec, numElements(t.shape(x))), node.output());
}

export function importSqueeze(t: TfContext, node: TfNode): void {
  const x = node.input(0);
  const s = t.shape(x);
  const dims = (node.ints('squeeze_dims') ?? node.ints('axis') ?? []).map((a) => (a < 0 ? a + s.length : a));
  for (const a of dims) if (s[a] !== 1) t.fail('shape-mismatch', `cannot squeeze axis ${a} of size ${s[a]} (shape [${s}])`);
  const keep = s.filter((d, a) => (dims.length ? !dims.includes(a) : d !== 1));
  reshapeValue(t, x, keep, node.output());
}

export function importExpandDims(t: TfContext, node: TfNode): void {
  const x = node.input(0);
  const s = t.shape(x);
  let a = t.requireConst(1, 'axis')[0]!;
  if (a < 0) a += s.length + 1;
  if (a < 0 || a > s.length) t.fail('unsupported-attribute', `axis ${a} is out of range for rank ${s.length}`);
  reshapeValue(t, x, [...s.slice(0, a), 1, ...s.slice(a)], node.output());
}
