/**
 * TF activations on the ONNX lowering: Relu → RELU, Relu6 → RELU6 (Clip 0…6), Elu, LeakyRelu, Prelu
 * (kept PRELU: the GPU delegate takes it, and Keras' PReLU slope is per channel), Sigmoid, Tanh,
 * Selu (ELU·scale), grappler's fused hard-swish (HARD_SWISH), Softplus (the ONNX row's overflow-free form), Softmax / LogSoftmax on the last axis. `activation`
 * serves the standalone ops and the activations fused into _FusedConv2D / _FusedMatMul alike.
 */
import { unary } from '../../onnx/ops/unary.js';
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';
import { alignRanks, floatScalar } from './values.js';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Applies TF activation `kind` to value `x` into `out`; `alpha` is Prelu's slope value or LeakyRelu's α. */
export function activation(t: TfContext, kind: string, x: string, out: string, alpha?: string | number): void {
  switch (kind) {
    case 'Relu':
      return t.onnx('Relu', [x], [out]);
    case 'Relu6':
      return t.onnx('Clip', [x, floatScalar(t, 'zero', 0), floatScalar(t, 'six', 6)], [out]);
    case 'Elu':
      return t.onnx('Elu', [x], [out], { alpha: { float: 1 } });
    case 'Selu': {
      const e = t.temp('elu');
      t.onnx('Elu', [x], [e], { alpha: { float: SELU_ALPHA } });
      return t.onnx('Mul', [e, floatScalar(t, 'selu_scale', SELU_SCALE)], [out]);
    }
    case 'LeakyRelu':
      return t.onnx('LeakyRelu', [x], [out], { alpha: { float: typeof alpha === 'number' ? alpha : 0.2 } });
    case 'Prelu':
      if (typeof alpha !== 'string') return t.fail('invalid-model', 'Prelu needs its slope input');
      return t.onnx('PRelu', alignRanks(t, [x, alpha]), [out]);
    case 'Sigmoid':
      return t.onnx('Sigmoid', [x], [out]);
    case 'Tanh':
      return t.onnx('Tanh', [x], [out]);
    case '_FusedHardSwish': // grappler's fusion of x·relu6(x + 3)/6 into a conv
      return t.onnx('HardSwish', [x], [out]);
    case 'Softplus': // the ONNX row's overflow-free max(x, 0) + log1p(e^−|x|)
      return t.onnx('Softplus', [x], [out]);
    default:
      return t.fail('unsupported-attribute', `activation ${kind} is not supported`);
  }
}

/** A standalone activation op. */
export function activationOp(kind: string) {
  return (t: TfContext, node: TfNode): void => activation(t, kind, node.input(0), node.output(), kind === 'Prelu' ? node.input(1) : node.float('alpha', 0.2));
}

/** Softmax over the last TF axis. */
export function importSoftmax(t: TfContext, node: TfNode): void {
  const x = node.input(0);
  t.onnx('Softmax', [x], [node.output()], { axis: t.axis(-1, t.rank(x)) });
}

/** LogSoftmax: TFLite LOG_SOFTMAX works on the last IR axis, which is TF's last axis in every rank. */
export function importLogSoftmax(t: TfContext, node: TfNode): void {
  t.onnx(unary('LOG_SOFTMAX'), [node.input(0)], [node.output()]);
}
