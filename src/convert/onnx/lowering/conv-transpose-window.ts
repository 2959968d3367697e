/**
 * Where a 2-D or 3-D ConvTranspose's ONNX output window lies in the kernel's natural output, per
 * spatial axis (from pads, auto_pad, output_padding or output_shape), and its constant bias: shared
 * by ops/conv-transpose.ts and conv-transpose3d.ts.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

export interface AxisPlan {
  inSize: number;
  stride: number;
  kEff: number;
  /** ONNX window start in the full output (negative: zeros before the natural output). */
  begin: number;
  out: number;
}

/** ONNX pads/out for spatial axis `a` of `spatial` (2-D: 0 = H, 1 = W), from pads, auto_pad or output_shape. */
export function planAxis(ctx: ImportContext, node: OnnxNode, a: number, inSize: number, kEff: number, stride: number, spatial = 2): AxisPlan {
  const auto = node.string('auto_pad', 'NOTSET');
  const op = (node.ints('output_padding') ?? [])[a] ?? 0;
  if (op < 0 || op >= Math.max(stride, (node.ints('dilations') ?? [])[a] ?? 1)) {
    ctx.fail('unsupported-attribute', `output_padding [${node.ints('output_padding')}] must be ≥ 0 and smaller than the stride or dilation`);
  }
  const full = (inSize - 1) * stride + kEff + op;
  const os = node.ints('output_shape');
  if (os && os.length < spatial) ctx.fail('unsupported-attribute', `output_shape [${os}] has ${os.length} values; a ${spatial}-D ConvTranspose needs its ${spatial} spatial sizes`);
  if (os || auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const out = os ? os[os.length - spatial + a]! : inSize * stride;
    const total = full - out;
    // ONNX: SAME_UPPER puts the odd padding at the end; NOTSET (with output_shape) and SAME_LOWER at the start
    const begin = auto === 'SAME_UPPER' ? Math.floor(total / 2) : total - Math.floor(total / 2);
    return { inSize, stride, kEff, begin, out };
  }
  if (auto === 'VALID') return { inSize, stride, kEff, begin: 0, out: full };
  const p = node.ints('pads') ?? new Array<number>(2 * spatial).fill(0);
  if (p.length !== 2 * spatial) ctx.fail('unsupported-attribute', `pads has ${p.length} values; a ${spatial}-D ConvTranspose takes ${2 * spatial}`);
  return { inSize, stride, kEff, begin: p[a]!, out: full - p[a]! - p[a + spatial]! };
}

/** ConvTranspose's optional bias `b` as m float32 values (zeros when absent); it must be a constant. */
export function constBias(ctx: ImportContext, b: string | undefined, m: number): Float32Array {
  if (!b) return new Float32Array(m);
  const bData = ctx.constFloat32(b);
  if (!bData) ctx.fail('requires-constant-input', `ConvTranspose bias (input '${b}') must be a constant`);
  return Float32Array.from(bData);
}

/**
 * Where the ONNX output window lies in the kernel's natural (VALID, un-padded) output, per spatial
 * axis: `inside` when no PAD is needed, the crop to SLICE when `needCrop`; a window that misses the
 * natural output entirely is refused.
 */
export function outputWindow(ctx: ImportContext, plans: readonly AxisPlan[]) {
  const natural = plans.map((p) => (p.inSize - 1) * p.stride + p.kEff);
  const lo = plans.map((p) => p.begin);
  const hi = plans.map((p) => p.begin + p.out);
  const inside = lo.every((v) => v >= 0) && hi.every((v, a) => v <= natural[a]!);
  const cropLo = lo.map((v) => Math.max(v, 0));
  const cropHi = hi.map((v, a) => Math.min(v, natural[a]!));
  if (cropHi.some((v, a) => v <= cropLo[a]!)) ctx.fail('unsupported-attribute', `the output window [${lo}]–[${hi}] lies outside the transposed convolution's ${natural.join('×')} output`);
  const needCrop = cropLo.some((v) => v > 0) || cropHi.some((v, a) => v < natural[a]!);
  return { natural, lo, hi, inside, cropLo, cropHi, needCrop };
}
