/**
 * The GPU delegate rule table: ONE row per TFLite builtin the classic V2 GPU
 * delegate (OpenCL first, Kirin 9000 / Mali-G78) accepts, with its max op
 * version and its op-specific checks. Ops without a row are never delegated.
 *
 * Source: ../shared/reference/tflite-gpu-adb-notes.md §2.1–2.2, distilled from
 * LiteRT `tflite/delegates/gpu/common/model_builder.cc` and
 * `tflite/tools/versioning/gpu_compatibility.cc`. Messages marked `verbatim`
 * are the delegate's own strings; the others follow its wording.
 *
 * Read through `checkGpuCompat` (check.ts), used today by the simulated device's
 * benchmark_model; will be used by the converter (`--target kirin9000`) and `mai inspect`
 * (a later issue), so that all three read this one table.
 */
import type { ReasonCode } from '../../core/errors.js';
import type { Graph } from '../../ir/graph.js';
import type { Node } from '../../ir/node.js';
import { numElements, type Tensor } from '../../ir/tensor.js';
import type { DType } from '../../ir/dtype.js';

/** One failed rule: a stable id, the project reason code, and the delegate's message. */
export interface GpuViolation {
  /** Stable rule id, e.g. `gpu.op-version`, `gpu.softmax-beta`. */
  rule: string;
  reason: ReasonCode;
  /** What the delegate logs after `<OP>: ` in "Following operations are not supported by GPU delegate:". */
  message: string;
}

export interface RuleContext {
  g: Graph;
  node: Node;
  /** Input tensors ('' inputs dropped). */
  inputs: Tensor[];
  /** Non-constant inputs. */
  runtime: Tensor[];
  /** Constant inputs. */
  constants: Tensor[];
  outputs: Tensor[];
  /** Constant for the delegate: has data, or is the output of a DEQUANTIZE of a constant (fp16 weights), which the delegate folds. */
  isConst: (t: Tensor) => boolean;
}

export interface GpuOpRule {
  /** Max op version the parser accepts (`CheckMaxSupportedOpVersion`); undefined = no version check. */
  maxVersion?: number;
  /** Fused activation must be one `IsActivationSupported` accepts. */
  activation?: boolean;
  /** Extra runtime dtypes allowed on this op's inputs/outputs besides float32/float16/int8/uint8. */
  extraDtypes?: DType[];
  /** Op-specific checks; each returns a violation or undefined. */
  checks?: Array<(c: RuleContext) => GpuViolation | undefined>;
}

// --- Messages -------------------------------------------------------------------
/** verbatim (model_builder.cc, no parser in NewOperationParser) */
export const MSG_UNSUPPORTED_OP = 'Operation is not supported.';
/** verbatim (model_builder.cc IsAllAllowedTensors failure) */
export const MSG_TENSOR_TYPE_SHAPE = "OP is supported, but tensor type/shape isn't compatible.";
/** verbatim (operation_parser.cc CheckMaxSupportedOpVersion) */
export const msgVersion = (max: number, v: number) => `Max version supported: ${max}. Requested version ${v}.`;

const v = (rule: string, reason: ReasonCode, message: string): GpuViolation => ({ rule, reason, message });
const dims = (t: Tensor) => `[${t.shape.join(',')}]`;

// --- Reusable checks ------------------------------------------------------------
/** verbatim (model_builder_helper.cc CheckInputsOutputs) */
function runtimeInputs(min: number, max = min) {
  return (c: RuleContext) =>
    c.runtime.length < min || c.runtime.length > max
      ? v('gpu.runtime-inputs', 'requires-constant-input', `Expected ${min === max ? min : `${min}-${max}`} runtime input tensor(s), but node has ${c.runtime.length} runtime input(s).`)
      : undefined;
}

function oneRuntimeNoConst(c: RuleContext): GpuViolation | undefined {
  if (c.runtime.length !== 1 || c.constants.length !== 0)
    return v('gpu.runtime-inputs', 'requires-constant-input', `Expected 1 runtime input tensor(s), but node has ${c.runtime.length} runtime input(s).`);
  return undefined;
}

/** ParseInputsWithConstTensor: at most one constant operand, of shape scalar / [C] / HW / HWC. */
function elementwiseOperands(c: RuleContext): GpuViolation | undefined {
  if (c.runtime.length === 0) return v('gpu.const-input', 'requires-constant-input', 'No runtime input tensors'); // verbatim
  if (c.inputs.length === 2 && c.node.inputs[0] === c.node.inputs[1] && !['ADD', 'MUL'].includes(c.node.op))
    return v('gpu.identical-inputs', 'unsupported-attribute', 'No support of few identical inputs'); // verbatim
  for (const k of c.constants) {
    const s = k.shape;
    const n = numElements(s);
    const linear = s.slice(0, -1).every((d) => d === 1);
    if (n <= 1 || linear || s.length === 2 || s.length === 3 || (s.length === 4 && s[0] === 1)) continue;
    return v('gpu.const-input', 'unsupported-attribute', `Constant tensor '${k.name}' ${dims(k)} must be a scalar, [C], HW or HWC.`);
  }
  return undefined;
}

/** kStandard broadcast (gpu_compatibility.cc): different ranks > 1 only in the listed cases. */
function standardBroadcast(c: RuleContext): GpuViolation | undefined {
  if (c.inputs.length !== 2) return v('gpu.inputs', 'unsupported-attribute', `Expected 2 input tensors, got ${c.inputs.length}.`);
  const [a, b] = c.inputs as [Tensor, Tensor];
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra <= 1 || rb <= 1 || ra === rb) return undefined;
  const [big, small] = ra > rb ? [a, b] : [b, a];
  const B = big.shape;
  const S = small.shape;
  const ok =
    (B.length === 4 && S.length === 3 && B[0] === 1) ||
    (B.length === 4 && S.length === 2 && S[0] === 1 && S[1] === 1 && B[0] === 1) ||
    (B.length === 4 && S.length === 2 && S[0] === B[0] && S[1] === B[3]);
  return ok ? undefined : v('gpu.broadcast', 'unsupported-attribute', `Doesn't support broadcasting - input0: ${dims(a)}, input1: ${dims(b)}`);
}

function positive(...keys: Array<'strideH' | 'strideW' | 'dilationH' | 'dilationW' | 'filterH' | 'filterW'>) {
  return (c: RuleContext) => {
    for (const k of keys) {
      const val = c.node.attrs[k];
      if (val !== undefined && val <= 0) return v('gpu.attr-positive', 'unsupported-attribute', `Incorrect ${k}: ${val}; must be > 0.`);
    }
    return undefined;
  };
}

function rank34(what: string) {
  return (c: RuleContext) => {
    const r = c.inputs[0]?.shape.length ?? 0;
    return r === 3 || r === 4 ? undefined : v('gpu.slice-rank', 'unsupported-attribute', `${what} supports input of rank 3 or 4 only, got rank ${r}.`);
  };
}

function constInt32Axes(c: RuleContext): GpuViolation | undefined {
  const axes = c.inputs[1];
  if (!axes || !c.isConst(axes) || axes.dtype !== 'int32') return v('gpu.reduce-axes', 'requires-constant-input', 'Axes must be a constant int32 tensor.');
  return c.runtime.length === 1 ? undefined : v('gpu.runtime-inputs', 'requires-constant-input', `Expected 1 runtime input tensor(s), but node has ${c.runtime.length} runtime input(s).`);
}

function paddingsShape(c: RuleContext): GpuViolation | undefined {
  const p = c.inputs[1];
  if (!p || !c.isConst(p)) return v('gpu.pad-const', 'requires-constant-input', 'Paddings tensor must be constant.');
  const ok = p.shape.length === 2 && (p.shape[0] === 4 || p.shape[0] === 3) && p.shape[1] === 2;
  return ok ? undefined : v('gpu.pad-shape', 'unsupported-attribute', `Invalid paddings tensor dimension: expected [4,2] or [3,2], got ${dims(p)}.`);
}

// --- The table ------------------------------------------------------------------
const UNARY_2 = ['LOGISTIC', 'TANH', 'EXP', 'LOG', 'RSQRT', 'SQRT', 'SQUARE', 'ABS', 'NEG', 'SIN', 'COS', 'FLOOR', 'ELU', 'GELU', 'SIGN'] as const;
const RELU_2 = ['RELU', 'RELU6', 'RELU_0_TO_1', 'RELU_N1_TO_1', 'LEAKY_RELU'] as const;
const BINARY_2 = ['SUB', 'DIV', 'MAXIMUM', 'MINIMUM', 'POW', 'SQUARED_DIFFERENCE', 'FLOOR_DIV', 'FLOOR_MOD'] as const;
const COMPARE = ['EQUAL', 'NOT_EQUAL', 'LESS', 'LESS_EQUAL', 'GREATER', 'GREATER_EQUAL', 'LOGICAL_AND', 'LOGICAL_OR', 'LOGICAL_NOT'] as const;
const REDUCE = ['MEAN', 'SUM', 'REDUCE_MAX', 'REDUCE_MIN', 'REDUCE_PROD'] as const;

export const GPU_OP_RULES: Readonly<Record<string, GpuOpRule>> = {
  CONV_2D: { maxVersion: 6, activation: true, checks: [runtimeInputs(1, 2), positive('strideH', 'strideW', 'dilationH', 'dilationW')] },
  DEPTHWISE_CONV_2D: {
    maxVersion: 6,
    activation: true,
    checks: [
      runtimeInputs(1),
      positive('strideH', 'strideW', 'dilationH', 'dilationW'),
      (c) => {
        const [x, w] = c.inputs;
        const y = c.outputs[0];
        if (!x || !w || !y || x.shape.length !== 4 || w.shape.length !== 4 || y.shape.length !== 4)
          return v('gpu.dw-shape', 'unsupported-attribute', 'DepthwiseConv input, filter and output must all be 4D.');
        const outC = y.shape[3]!;
        if (w.shape[3] !== outC) return v('gpu.dw-shape', 'unsupported-attribute', `Filter channels ${w.shape[3]} != output channels ${outC}.`);
        const dm = c.node.attrs.depthMultiplier ?? 1;
        if (outC !== x.shape[3]! * dm) return v('gpu.dw-shape', 'unsupported-attribute', `Output channels ${outC} != input channels ${x.shape[3]} * depth_multiplier ${dm}.`);
        return undefined;
      },
    ],
  },
  FULLY_CONNECTED: {
    maxVersion: 9,
    activation: true,
    checks: [
      (c) => (c.inputs[0] && c.isConst(c.inputs[0]) ? v('gpu.fc-const-input', 'unsupported-attribute', 'FullyConnected input 0 must not be constant.') : undefined),
      runtimeInputs(1, 2),
      (c) =>
        c.node.attrs.keepNumDims && c.inputs[0] && c.outputs[0] && c.inputs[0].shape.length !== c.outputs[0].shape.length
          ? v('gpu.fc-keep-num-dims', 'unsupported-attribute', 'keep_num_dims needs input and output of equal rank.')
          : undefined,
    ],
  },
  TRANSPOSE_CONV: {
    maxVersion: 3,
    checks: [
      (c) => {
        const rt = c.runtime.length;
        return rt >= 1 && rt <= 2 ? undefined : v('gpu.runtime-inputs', 'requires-constant-input', `Expected 1-2 runtime input tensor(s), but node has ${rt} runtime input(s).`);
      },
      positive('strideH', 'strideW'),
      (c) =>
        c.node.attrs.activation && c.node.attrs.activation !== 'NONE'
          ? v('gpu.transpose-conv-activation', 'unsupported-attribute', 'TransposeConv with a fused activation (v4) is not supported.')
          : undefined,
    ],
  },
  ADD: { maxVersion: 2, checks: [standardBroadcast, elementwiseOperands] },
  ADD_N: { maxVersion: 2, checks: [(c) => (c.inputs.length === 2 ? undefined : v('gpu.inputs', 'unsupported-attribute', `ADD_N supports exactly 2 inputs, got ${c.inputs.length}.`))] },
  MUL: { maxVersion: 3, activation: true, checks: [standardBroadcast, elementwiseOperands] },
  ...Object.fromEntries(BINARY_2.map((op) => [op, { maxVersion: 2, activation: true, checks: [elementwiseOperands] }])),
  ...Object.fromEntries(COMPARE.map((op) => [op, { maxVersion: 2, extraDtypes: ['bool'], checks: [elementwiseOperands] }])),
  AVERAGE_POOL_2D: { maxVersion: 2, activation: true, checks: [runtimeInputs(1), positive('filterH', 'filterW', 'strideH', 'strideW')] },
  MAX_POOL_2D: { maxVersion: 2, activation: true, checks: [runtimeInputs(1), positive('filterH', 'filterW', 'strideH', 'strideW')] },
  CONCATENATION: {
    maxVersion: 2,
    activation: true,
    checks: [
      (c) => {
        const r = c.outputs[0]?.shape.length ?? 0;
        const a = c.node.attrs.axis ?? 0;
        return a >= -r && a < r ? undefined : v('gpu.concat-axis', 'unsupported-attribute', `Concatenation axis ${a} is out of range for rank ${r}.`);
      },
    ],
  },
  RESHAPE: { maxVersion: 1, checks: [runtimeInputs(1)] },
  TRANSPOSE: {
    maxVersion: 4,
    checks: [
      runtimeInputs(1),
      (c) => {
        const p = c.inputs[1];
        const n = p ? numElements(p.shape) : 0;
        return n >= 2 && n <= 4 ? undefined : v('gpu.transpose-perm', 'unsupported-attribute', `Permutation for transpose is invalid: size ${n}, expected 2, 3 or 4.`);
      },
    ],
  },
  SOFTMAX: {
    maxVersion: 2,
    checks: [
      runtimeInputs(1),
      (c) => ((c.node.attrs.beta ?? 1) === 1 ? undefined : v('gpu.softmax-beta', 'unsupported-attribute', `Softmax.beta != 1 is not supported (beta = ${c.node.attrs.beta}).`)),
    ],
  },
  ...Object.fromEntries(UNARY_2.map((op) => [op, { maxVersion: 2, checks: [oneRuntimeNoConst] }])),
  ...Object.fromEntries(RELU_2.map((op) => [op, { maxVersion: 2 }])),
  HARD_SWISH: { checks: [runtimeInputs(1)] },
  PRELU: {
    maxVersion: 1,
    checks: [
      (c) => {
        const [x, alpha] = c.inputs;
        if (!alpha || !c.isConst(alpha)) return v('gpu.prelu-alpha', 'requires-constant-input', 'PReLU alpha must be a constant tensor.');
        const C = x?.shape[x.shape.length - 1];
        const linear = alpha.shape.slice(0, -1).every((d) => d === 1) && alpha.shape[alpha.shape.length - 1] === C;
        const hwc = x !== undefined && x.shape.length === 4 && alpha.shape.length >= 3 && alpha.shape.slice(-3).join(',') === x.shape.slice(1).join(',');
        return linear || hwc ? undefined : v('gpu.prelu-alpha', 'unsupported-attribute', `PReLU alpha ${dims(alpha)} must be [C] or HWC of the input.`);
      },
    ],
  },
  PAD: { maxVersion: 2, checks: [runtimeInputs(1), paddingsShape] },
  PADV2: { maxVersion: 2, checks: [runtimeInputs(1), paddingsShape] },
  MIRROR_PAD: {
    maxVersion: 2,
    checks: [
      runtimeInputs(1),
      paddingsShape,
      (c) => ((c.node.attrs.mirrorMode ?? 'REFLECT') === 'REFLECT' ? undefined : v('gpu.mirror-pad-mode', 'unsupported-attribute', 'Only Reflective padding is supported for Mirror Pad operation.')),
    ],
  },
  ...Object.fromEntries(REDUCE.map((op) => [op, { checks: [constInt32Axes] }])),
  RESIZE_BILINEAR: {
    maxVersion: 3,
    checks: [
      runtimeInputs(1),
      (c) =>
        c.node.attrs.alignCorners && c.node.attrs.halfPixelCenters
          ? v('gpu.resize-align-half', 'unsupported-attribute', 'If half_pixel_centers is True, align_corners must be False.')
          : undefined,
    ],
  },
  RESIZE_NEAREST_NEIGHBOR: { maxVersion: 3, checks: [runtimeInputs(1)] },
  DEPTH_TO_SPACE: { checks: [runtimeInputs(1), (c) => ((c.node.attrs.blockSize ?? 2) > 1 ? undefined : v('gpu.block-size', 'unsupported-attribute', 'block_size must be > 1.'))] },
  SPACE_TO_DEPTH: { maxVersion: 2, checks: [runtimeInputs(1), (c) => ((c.node.attrs.blockSize ?? 2) > 1 ? undefined : v('gpu.block-size', 'unsupported-attribute', 'block_size must be > 1.'))] },
  SLICE: { maxVersion: 2, checks: [runtimeInputs(1), rank34('Slice')] },
  STRIDED_SLICE: {
    maxVersion: 4,
    checks: [
      runtimeInputs(1),
      (c) => {
        const a = c.node.attrs;
        if (a.ellipsisMask) return v('gpu.strided-slice-mask', 'unsupported-attribute', 'Slice does not support ellipsis_mask.');
        if (a.newAxisMask) return v('gpu.strided-slice-mask', 'unsupported-attribute', 'Slice does not support new_axis_mask parameter.');
        if (a.shrinkAxisMask) return v('gpu.strided-slice-mask', 'unsupported-attribute', 'Slice does not support shrink_axis_mask parameter.');
        return undefined;
      },
      rank34('StridedSlice'),
    ],
  },
  SPLIT: {},
  SPLIT_V: {},
  PACK: {},
  UNPACK: {},
  TILE: { checks: [runtimeInputs(1)] },
  BATCH_MATMUL: {
    checks: [
      (c) => {
        const b = c.inputs[1];
        if (b && c.isConst(b) && b.shape.length !== 2) return v('gpu.bmm-const-2d', 'unsupported-attribute', `BatchMatMul with a constant second input needs it 2D, got ${dims(b)}.`);
        return undefined;
      },
    ],
  },
  GATHER: {
    maxVersion: 1,
    extraDtypes: ['int32'],
    checks: [
      (c) => {
        const idx = c.inputs[1];
        return idx && idx.dtype === 'int32' && idx.shape.length === 1 ? undefined : v('gpu.gather-indices', 'unsupported-attribute', 'Gather needs 1D int32 indices.');
      },
    ],
  },
  QUANTIZE: { maxVersion: 2 },
  DEQUANTIZE: {
    maxVersion: 3,
    checks: [(c) => (c.inputs[0]?.dtype === 'int16' ? v('gpu.dequantize-int16', 'unsupported-dtype', 'Dequantize of int16 input is not supported.') : undefined)],
  },
  CAST: {
    extraDtypes: ['int32', 'bool'],
    checks: [
      (c) => {
        const a = c.inputs[0]?.dtype;
        const b = c.outputs[0]?.dtype;
        const f = (d?: DType) => d === 'float32' || d === 'float16';
        const ok = (f(a) && (b === 'int32' || b === 'bool')) || ((a === 'int32' || a === 'bool') && f(b)) || (f(a) && f(b));
        return ok ? undefined : v('gpu.cast-types', 'unsupported-dtype', `Cast from ${a} to ${b} is not supported.`);
      },
    ],
  },
  SELECT: { maxVersion: 1, extraDtypes: ['bool'] },
  SELECT_V2: { maxVersion: 1, extraDtypes: ['bool'] },
  CUMSUM: { maxVersion: 1 },
  DENSIFY: { maxVersion: 1 },
  ONE_HOT: { maxVersion: 1, extraDtypes: ['int32'] },
  LSTM: { maxVersion: 4 },
  CUSTOM: {
    checks: [
      (c) =>
        GPU_CUSTOM_OPS.includes(c.node.attrs.customCode ?? '')
          ? undefined
          : v('gpu.unsupported-op', 'unsupported-op', MSG_UNSUPPORTED_OP),
    ],
  },
};

/** Custom ops the delegate implements (notes §2.2 "Custom ops"). MediaPipe models use them. */
export const GPU_CUSTOM_OPS: readonly string[] = ['Convolution2DTransposeBias', 'MaxPoolingWithArgmax2D', 'MaxUnpooling2D', 'Resampler'];

/**
 * Ops the delegate never takes (no parser wired into NewOperationParser), named
 * explicitly for documentation and `mai inspect`; any op without a row above is
 * treated the same way.
 */
export const GPU_NEVER_DELEGATED: readonly string[] = [
  'SQUEEZE', 'EXPAND_DIMS', 'BATCH_TO_SPACE_ND', 'SPACE_TO_BATCH_ND', 'LOG_SOFTMAX', 'ARG_MAX', 'ARG_MIN',
  'L2_NORMALIZATION', 'LOCAL_RESPONSE_NORMALIZATION', 'GATHER_ND', 'TOPK_V2', 'SHAPE', 'FILL', 'BROADCAST_TO',
  'EMBEDDING_LOOKUP', 'REVERSE_V2', 'DYNAMIC_UPDATE_SLICE',
];

/** Fused activations `IsActivationSupported` accepts. */
export const GPU_ACTIVATIONS: readonly string[] = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH'];

/** Runtime (non-constant) tensor dtypes every op accepts (float, plus int8/uint8 with ENABLE_QUANT, on by default). */
export const GPU_RUNTIME_DTYPES: readonly DType[] = ['float32', 'float16', 'int8', 'uint8'];

/** Max rank of any input/output tensor, constants included (IsAllAllowedTensors: dims->size >= 5 fails). */
export const GPU_MAX_RANK = 4;
