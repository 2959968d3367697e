/**
 * Slice (begin, size with -1 = to the end) and StridedSlice with every mask (begin, end, ellipsis,
 * new_axis, shrink_axis): the ONNX Slice lowering on the input's axes (negative strides included),
 * then a RESHAPE in TF order for the axes shrink removes and new_axis inserts.
 */
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';
import { reshapeValue } from './values.js';

const BIG = 2147483647;

interface AxisSlice {
  axis: number;
  start: number;
  end: number;
  step: number;
}

function sliceAxes(t: TfContext, node: TfNode, x: string, axes: AxisSlice[], out: string): void {
  const rank = t.rank(x);
  const real = axes.filter((a) => !(a.step === 1 && a.start === 0 && a.end >= t.shape(x)[a.axis]!));
  if (!real.length) return t.alias(out, x);
  t.onnx(
    'Slice',
    [x, t.int64Value('starts', real.map((a) => a.start)), t.int64Value('ends', real.map((a) => a.end)), t.int64Value('axes', real.map((a) => t.axis(a.axis, rank))), t.int64Value('steps', real.map((a) => a.step))],
    [out],
  );
}

export function importSlice(t: TfContext, node: TfNode): void {
  const x = node.input(0);
  const s = t.shape(x);
  const begin = t.requireConst(1, 'begin');
  const size = t.requireConst(2, 'size');
  sliceAxes(t, node, x, s.map((d, a) => ({ axis: a, start: begin[a]!, end: size[a]! < 0 ? d : begin[a]! + size[a]!, step: 1 })), node.output());
}

export function importStridedSlice(t: TfContext, node: TfNode): void {
  const x = node.input(0);
  const s = t.shape(x);
  const begin = t.requireConst(1, 'begin');
  const end = t.requireConst(2, 'end');
  const strides = t.requireConst(3, 'strides');
  const bit = (m: string, i: number) => ((node.int(m, 0) >> i) & 1) === 1;
  const n = begin.length;
  const ellipsisAt = [...Array(n).keys()].find((i) => bit('ellipsis_mask', i));
  const consuming = [...Array(n).keys()].filter((i) => i !== ellipsisAt && !bit('new_axis_mask', i)).length;
  const axes: AxisSlice[] = [];
  const final: Array<number | 'one'> = []; // input axes kept (their sliced size) and new axes
  let d = 0;
  const full = (count: number) => {
    for (let k = 0; k < count; k++, d++) final.push(d);
  };
  for (let i = 0; i < n; i++) {
    if (i === ellipsisAt) {
      full(s.length - consuming);
      continue;
    }
    if (bit('new_axis_mask', i)) {
      final.push('one');
      continue;
    }
    if (d >= s.length) t.fail('unsupported-attribute', `StridedSlice spec has more axes than the input's rank ${s.length}`);
    const step = strides[i]!;
    if (step === 0) t.fail('unsupported-attribute', 'stride 0');
    if (bit('shrink_axis_mask', i)) {
      const b = begin[i]! < 0 ? begin[i]! + s[d]! : begin[i]!;
      axes.push({ axis: d, start: b, end: b + 1, step: 1 });
    } else {
      const start = bit('begin_mask', i) ? (step > 0 ? 0 : BIG) : begin[i]!;
      const stop = bit('end_mask', i) ? (step > 0 ? BIG : -BIG - 1) : end[i]!;
      axes.push({ axis: d, start, end: stop, step });
      final.push(d);
    }
    d++;
  }
  if (ellipsisAt === undefined) full(s.length - d);
  const sliced = t.temp('sliced');
  sliceAxes(t, node, x, axes, sliced);
  const ss = t.shape(sliced);
  const shape = final.map((f) => (f === 'one' ? 1 : ss[f]!));
  reshapeValue(t, sliced, shape, node.output());
}
