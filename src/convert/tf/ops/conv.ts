/**
 * Conv2D, DepthwiseConv2dNative and their fused forms (_FusedConv2D, _FusedDepthwiseConv2dNative,
 * tfjs's FusedDepthwiseConv2dNative) on the ONNX Conv lowering: HWIO filters → OIHW ([H,W,C,M] depthwise
 * filters → [C·M,1,H,W] with group = C), SAME → SAME_UPPER (TF puts the odd pixel at the end),
 * EXPLICIT → pads. The fused ops then apply in order: BiasAdd (into the conv's bias), FusedBatchNorm
 * (4 args + epsilon), an activation (Prelu takes the next arg, LeakyRelu its leakyrelu_alpha).
 */
import { permuteData } from '../../../ir/ndarray.js';
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';
import { activation } from './activations.js';
import { alignRanks } from './values.js';

/** Shape-independent: NHWC data format, a known padding. */
export function checkConv(t: TfContext, node: TfNode): void {
  const df = node.string('data_format', 'NHWC');
  if (df !== 'NHWC') t.fail('unsupported-attribute', `data_format=${df}: only NHWC convolutions are supported`);
  const p = node.string('padding', 'VALID');
  if (p !== 'SAME' && p !== 'VALID' && p !== 'EXPLICIT') t.fail('unsupported-attribute', `padding=${p} is not a TF padding`);
  for (const op of node.strings('fused_ops') ?? []) {
    if (!FUSED.has(op)) t.fail('unsupported-attribute', `fused op ${op} is not supported (fused_ops [${node.strings('fused_ops')}])`);
  }
}

const FUSED = new Set(['BiasAdd', 'FusedBatchNorm', 'Relu', 'Relu6', 'Elu', 'LeakyRelu', 'Prelu', 'Sigmoid', 'Tanh', 'Selu', '_FusedHardSwish']);

/** ONNX Conv / pool window attributes from a TF node (strides, dilations, padding). */
export function windowAttrs(t: TfContext, node: TfNode): Record<string, number[] | string> {
  const s = node.ints('strides') ?? [1, 1, 1, 1];
  const d = node.ints('dilations') ?? [1, 1, 1, 1];
  if (s[0] !== 1 || s[3] !== 1) t.fail('unsupported-attribute', `strides [${s}] move along batch or channels`);
  const attrs: Record<string, number[] | string> = { strides: [s[1]!, s[2]!], dilations: [d[1]!, d[2]!] };
  const p = node.string('padding', 'VALID');
  if (p === 'SAME') attrs.auto_pad = 'SAME_UPPER';
  else if (p === 'VALID') attrs.auto_pad = 'VALID';
  else {
    const e = node.ints('explicit_paddings') ?? [];
    if (e.length !== 8 || e[0] || e[1] || e[6] || e[7]) t.fail('unsupported-attribute', `explicit_paddings [${e}] must pad H and W only`);
    attrs.pads = [e[2]!, e[4]!, e[3]!, e[5]!];
  }
  return attrs;
}

/** The filter (input 1) as an ONNX OIHW weight value; depthwise [H,W,C,M] → [C·M,1,H,W]. */
function onnxFilter(t: TfContext, node: TfNode, depthwise: boolean): string {
  const f = node.input(1);
  const c = t.constData(f);
  if (!c || c.shape.length !== 4) return t.fail('requires-constant-input', `filter (input '${f}') must be a constant 4-D tensor`);
  const [h, w, i, o] = c.shape as [number, number, number, number];
  const data = c.dtype === 'float32' ? c.data! : Float32Array.from(t.constNumbers(f)!);
  const name = t.temp('filter_oihw');
  if (depthwise) {
    // [H,W,C,M] → [C,M,H,W] → [C·M,1,H,W]
    t.ctx.defineConst(name, { dtype: 'float32', shape: [i * o, 1, h, w], data: permuteData('float32', data, c.shape, [2, 3, 0, 1]) });
  } else {
    t.ctx.defineConst(name, { dtype: 'float32', shape: [o, i, h, w], data: permuteData('float32', data, c.shape, [3, 2, 0, 1]) });
  }
  return name;
}

/** Conv2D / DepthwiseConv2dNative and the fused forms. */
export function conv(depthwise: boolean) {
  return (t: TfContext, node: TfNode): void => {
    const x = node.input(0);
    const fused = node.strings('fused_ops') ?? [];
    const args = node.inputs.slice(2);
    const w = onnxFilter(t, node, depthwise);
    const inputs = [x, w];
    let rest = fused;
    // a [M] bias is the conv's own; grappler also fuses an Add of a scalar as "BiasAdd" (added after, broadcast)
    const m = t.ctx.shape(w)[0]!;
    const bias = args[0];
    if (rest[0] === 'BiasAdd' && bias && t.rank(bias) === 1 && t.shape(bias)[0] === m) {
      inputs.push(args.shift()!);
      rest = rest.slice(1);
    }
    const attrs = { ...windowAttrs(t, node), ...(depthwise ? { group: t.shape(x)[3]! } : {}) };
    applyFused(t, node, rest, args, (out) => t.onnx('Conv', inputs, [out], attrs));
  };
}

/**
 * Runs `main` into a temporary (or the node's output when nothing follows), then the remaining fused
 * ops in order: FusedBatchNorm (scale, offset, mean, variance args) and one activation.
 */
export function applyFused(t: TfContext, node: TfNode, ops: readonly string[], args: string[], main: (out: string) => void): void {
  let cur = ops.length ? t.temp('fused_in') : node.output();
  main(cur);
  ops.forEach((op, i) => {
    const out = i === ops.length - 1 ? node.output() : t.temp(`fused_${op}`);
    if (op === 'FusedBatchNorm') {
      const [scale, offset, mean, variance] = args.splice(0, 4);
      t.onnx('BatchNormalization', [cur, scale!, offset!, mean!, variance!], [out], { epsilon: { float: node.float('epsilon', 1e-3) } });
    } else if (op === 'BiasAdd') {
      t.onnx('Add', alignRanks(t, [cur, args.shift()!]), [out]);
    } else {
      activation(t, op, cur, out, op === 'Prelu' ? args.shift() : node.float('leakyrelu_alpha', 0.2));
    }
    cur = out;
  });
}
