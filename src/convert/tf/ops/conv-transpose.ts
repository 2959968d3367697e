/**
 * Conv2DBackpropInput (input_sizes, filter [H,W,out,in], dy) → the ONNX ConvTranspose lowering with
 * the explicit output size: the filter becomes [in, out, H, W]; SAME pads the forward conv of the
 * result as TF does (odd pixel at the end), VALID none, and output_padding makes up what the window
 * arithmetic leaves short of input_sizes.
 */
import { permuteData } from '../../../ir/ndarray.js';
import { samePads } from '../../onnx/lowering/pads.js';
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';
import { windowAttrs } from './conv.js';

export function checkConvTranspose(t: TfContext, node: TfNode): void {
  const df = node.string('data_format', 'NHWC');
  if (df !== 'NHWC') t.fail('unsupported-attribute', `data_format=${df}: only NHWC is supported`);
}

export function importConvTranspose(t: TfContext, node: TfNode): void {
  const sizes = t.requireConst(0, 'input_sizes');
  const f = node.input(1);
  const dy = node.input(2);
  const c = t.constData(f);
  if (!c || c.shape.length !== 4) return t.fail('requires-constant-input', `filter (input '${f}') must be a constant 4-D tensor`);
  const [kh, kw, o, i] = c.shape as [number, number, number, number];
  const w = t.temp('filter_iohw');
  const data = c.dtype === 'float32' ? c.data! : Float32Array.from(t.constNumbers(f)!);
  t.ctx.defineConst(w, { dtype: 'float32', shape: [i, o, kh, kw], data: permuteData('float32', data, c.shape, [3, 2, 0, 1]) });
  const win = windowAttrs(t, node);
  const strides = win.strides as number[];
  const dil = win.dilations as number[];
  const inHW = t.shape(dy).slice(1, 3);
  const outHW = [sizes[1]!, sizes[2]!];
  const begin: number[] = [];
  const end: number[] = [];
  const outputPadding: number[] = [];
  for (const a of [0, 1]) {
    const kEff = ((a ? kw : kh) - 1) * dil[a]! + 1;
    let pb = 0;
    let pe = 0;
    if (win.auto_pad === 'SAME_UPPER') [pb, pe] = samePads(outHW[a]!, kEff, strides[a]!);
    else if (win.pads) [pb, pe] = [(win.pads as number[])[a]!, (win.pads as number[])[a + 2]!];
    const natural = strides[a]! * (inHW[a]! - 1) + kEff - pb - pe;
    const extra = outHW[a]! - natural;
    if (extra < 0 || extra >= Math.max(strides[a]!, dil[a]!)) t.fail('shape-mismatch', `input_sizes [${sizes}] does not fit the ${inHW.join('×')} input with strides [${strides}]`);
    begin.push(pb);
    end.push(pe);
    outputPadding.push(extra);
  }
  t.onnx('ConvTranspose', [dy, w], [node.output()], { strides, dilations: dil, pads: [...begin, ...end], output_padding: outputPadding, kernel_shape: [kh, kw] });
}
