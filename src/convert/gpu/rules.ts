/**
 * The GPU delegate rule table: ONE row per TFLite builtin the classic V2 GPU
 * delegate (OpenCL first, Kirin 9000 / Mali-G78) accepts, with its max op
 * version and its op-specific checks. Ops without a row are never delegated.
 *
 * Source: docs/reference/tflite-gpu-adb-notes.md §2.1–2.2, distilled from
 * LiteRT `tflite/delegates/gpu/common/model_builder.cc` and
 * `tflite/tools/versioning/gpu_compatibility.cc`. Messages marked `verbatim`
 * are the delegate's own strings; the others follow its wording.
 *
 * Read through `checkGpuCompat` (check.ts) by the simulated device's benchmark_model, by
 * `mai convert --target` and `mai inspect` (verdict.ts, targets.ts) and by
 * scripts/gen-op-coverage.ts, so that all of them read this one table. Each rule has a
 * violating/compliant test in tests/convert/gpu/rules.test.ts.
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
  /** The conditions in a few words, for docs/op-coverage.md (what `checks` enforce). */
  doc?: string;
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
    // A [C] constant is applied along channels, but a rank-1 runtime tensor [n] is read as BHWC (n,1,1,1)
    // (ExtractTensorShape "B layout": C = 1). Measured with LiteRT's WebGPU delegate: delegated, wrong
    // numbers (POW of x [3] by a constant [3] used the first exponent everywhere: test_pow_types_float32_uint64).
    const rank1 = linear && n > 1 ? c.runtime.find((t) => t.shape.length === 1) : undefined;
    if (rank1) return v('gpu.const-input-layout', 'unsupported-attribute', `Constant tensor '${k.name}' ${dims(k)} is read along channels, runtime '${rank1.name}' ${dims(rank1)} as BHWC with C = 1; they do not line up.`);
    if (n <= 1 || linear || (s.length === 4 && s[0] === 1)) continue;
    if (s.length === 2 || s.length === 3) {
      // A rank-2/3 constant is read as HW / HWC, but a runtime tensor of rank < 4 is read as BHWC with
      // H = 1 (ExtractTensorShape: [d0,d1,d2] → B=d0,H=1,W=d1,C=d2): the two no longer line up.
      // Measured with LiteRT's WebGPU delegate: delegated, wrong numbers (test_prelu_example).
      const low = c.runtime.find((t) => t.shape.length < 4);
      if (!low || (s.length === 3 && s[0] === 1)) continue; // [1,W,C] lines up with H = 1
      return v('gpu.const-input-layout', 'unsupported-attribute', `Constant tensor '${k.name}' ${dims(k)} is read as HW(C), runtime '${low.name}' ${dims(low)} as BHWC with H = 1; they do not line up.`);
    }
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

/** CheckConvoultionInputOutput (gpu_compatibility.cc): at most 2 runtime inputs, exactly 1 output. */
function convInputsOutputs(c: RuleContext): GpuViolation | undefined {
  if (c.runtime.length > 2 || c.runtime.length < 1)
    return v('gpu.runtime-inputs', 'requires-constant-input', `Expected 1 or 2 input tensor(s), but node has ${c.runtime.length} runtime inputs.`);
  if (c.outputs.length !== 1) return v('gpu.outputs', 'unsupported-attribute', `Expected 1 output tensor(s), but node has ${c.outputs.length} runtime outputs.`);
  return undefined;
}

/** Whether the GPU delegate takes a grouped CONV_2D with these source and destination group sizes (both a multiple of 4). */
export function gpuTakesGroupSizes(src: number, dst: number): boolean {
  return src % 4 === 0 && dst % 4 === 0;
}

/**
 * Grouped CONV_2D (input channels ≠ filter input channels): weights must be constant and both the
 * source and destination group sizes a multiple of 4 (notes §2.2; model_builder.cc Conv2D parser).
 */
function groupedConv(c: RuleContext): GpuViolation | undefined {
  const [x, w] = c.inputs;
  const y = c.outputs[0];
  if (!x || !w || !y || x.shape.length !== 4 || w.shape.length !== 4 || x.shape[3] === w.shape[3]) return undefined;
  if (!c.isConst(w)) return v('gpu.grouped-conv', 'requires-constant-input', 'Grouped convolution needs constant weights.');
  const groups = x.shape[3]! / w.shape[3]!;
  const src = w.shape[3]!;
  const dst = y.shape[3]! / groups;
  return Number.isInteger(groups) && gpuTakesGroupSizes(src, dst)
    ? undefined
    : v('gpu.grouped-conv', 'unsupported-attribute', `Grouped convolution needs source and destination group sizes divisible by 4, got ${src} and ${dst} (${groups} groups).`);
}

/** MUL with equal ranks: one input must be at least the other in every dimension (no outer-product broadcast). */
function mulNotOuterProduct(c: RuleContext): GpuViolation | undefined {
  const [a, b] = c.inputs;
  if (!a || !b || a.shape.length !== b.shape.length) return undefined;
  const aSmaller = a.shape.some((d, i) => d < b.shape[i]!);
  const bSmaller = b.shape.some((d, i) => d < a.shape[i]!);
  return aSmaller && bSmaller ? v('gpu.mul-broadcast-both', 'unsupported-attribute', 'MUL requires one tensor that not less than second in all dimensions.') : undefined;
}

function minInputs(n: number, op: string) {
  return (c: RuleContext) => (c.node.inputs.filter((i) => i).length >= n ? undefined : v('gpu.inputs', 'unsupported-attribute', `${op} requires ${n} inputs, but node has ${c.node.inputs.filter((i) => i).length} inputs.`));
}

const isFloat = (d?: DType) => d === 'float32' || d === 'float16';

/** CheckSelectV2GpuDelegateCompatibility: float/bool cond, float if/else shaped like the output or scalar. */
function selectOperands(c: RuleContext): GpuViolation | undefined {
  const [cond, a, b] = c.inputs;
  const y = c.outputs[0];
  if (c.inputs.length !== 3 || c.outputs.length !== 1 || !cond || !a || !b || !y) return v('gpu.select', 'unsupported-attribute', 'Expected 3 inputs and 1 output');
  const msg = 'Cond must be float or bool type, if, else tensors must be float and either be same the shape as output or constant, scalar.';
  if (!(cond.dtype === 'bool' || isFloat(cond.dtype)) || !isFloat(a.dtype) || !isFloat(b.dtype)) return v('gpu.select', 'unsupported-dtype', msg);
  for (const t of [a, b]) {
    const same = t.shape.join(',') === y.shape.join(',');
    const scalar = t.shape.length === 0 || (t.shape.length === 1 && t.shape[0]! <= 1);
    if (!same && !scalar) return v('gpu.select', 'unsupported-attribute', msg);
    if (c.isConst(t) && t.shape.length === 2) return v('gpu.select', 'unsupported-attribute', `2-D ${t === a ? 'if' : 'else'} tensor '${t.name}' is not supported as a constant.`);
  }
  return undefined;
}

/**
 * Comparisons with a ±inf / NaN constant (IsInf, IsNaN): the delegate takes them, but its fp16 shaders
 * compare infinities and NaN unreliably (measured in WebGPU: IsInf / IsNaN results flipped), so they stay on the CPU.
 */
function finiteConstants(c: RuleContext): GpuViolation | undefined {
  const t = c.constants.find((k) => k.data instanceof Float32Array && k.data.some((x) => !Number.isFinite(x)));
  return t ? v('gpu.nonfinite-compare', 'unsupported-attribute', `Comparison with the non-finite constant '${t.name}': inf / NaN compare unreliably in the GPU's fp16 shaders.`) : undefined;
}

/** Readers a bool result may have: CAST / SELECT, or a logical / comparison op on bools (itself checked the same way). */
const BOOL_READERS = new Set(['CAST', 'SELECT', 'SELECT_V2', 'LOGICAL_AND', 'LOGICAL_OR', 'LOGICAL_NOT', 'EQUAL', 'NOT_EQUAL']);

/** Comparisons / logical ops: the bool result is only delegated when a CAST / SELECT (or another logical op) reads it (notes §2.2). */
function boolResultConsumed(c: RuleContext): GpuViolation | undefined {
  const y = c.node.outputs[0];
  if (!y || c.g.tensors.get(y)?.dtype !== 'bool') return undefined;
  const readers = c.g.consumersOf(y);
  const bad = c.g.outputs.includes(y) ? 'a graph output' : readers.find((r) => !BOOL_READERS.has(r.op))?.op;
  return bad ? v('gpu.bool-consumer', 'unsupported-dtype', `The bool result '${y}' must feed a CAST or SELECT, not ${bad}.`) : undefined;
}

// --- The table ------------------------------------------------------------------
const UNARY_2 = ['LOGISTIC', 'TANH', 'EXP', 'LOG', 'RSQRT', 'SQRT', 'SQUARE', 'ABS', 'NEG', 'SIN', 'COS', 'FLOOR', 'ELU', 'GELU', 'SIGN'] as const;
const RELU_2 = ['RELU', 'RELU6', 'RELU_0_TO_1', 'RELU_N1_TO_1', 'LEAKY_RELU'] as const;
const BINARY_2 = ['SUB', 'DIV', 'MAXIMUM', 'MINIMUM', 'POW', 'SQUARED_DIFFERENCE', 'FLOOR_DIV', 'FLOOR_MOD'] as const;
const COMPARE = ['EQUAL', 'NOT_EQUAL', 'LESS', 'LESS_EQUAL', 'GREATER', 'GREATER_EQUAL', 'LOGICAL_AND', 'LOGICAL_OR', 'LOGICAL_NOT'] as const;
const REDUCE = ['MEAN', 'SUM', 'REDUCE_MAX', 'REDUCE_MIN', 'REDUCE_PROD'] as const;

export const GPU_OP_RULES: Readonly<Record<string, GpuOpRule>> = {
  CONV_2D: { doc: '1–2 runtime inputs, stride/dilation > 0, grouped: constant weights and group sizes % 4', maxVersion: 6, activation: true, checks: [convInputsOutputs, positive('strideH', 'strideW', 'dilationH', 'dilationW'), groupedConv] },
  DEPTHWISE_CONV_2D: { doc: '4-D I/O and filter, out C = in C × multiplier, multiplier > 1 only for in C = 1',
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
        if (x.shape[0] !== y.shape[0]) return v('gpu.dw-shape', 'unsupported-attribute', 'input.b != output.b');
        if (outC !== x.shape[3]! * dm) return v('gpu.dw-shape', 'unsupported-attribute', `Output channels ${outC} != input channels ${x.shape[3]} * depth_multiplier ${dm}.`);
        const bias = c.inputs[2];
        if (bias && numElements(bias.shape) !== outC) return v('gpu.dw-shape', 'unsupported-attribute', 'bias.size != output.c');
        if (dm !== 1 && x.shape[3] !== 1) return v('gpu.dw-multiplier', 'unsupported-attribute', 'depth_multiplier != 1 && input.c != 1');
        return undefined;
      },
    ],
  },
  FULLY_CONNECTED: { doc: 'runtime input 0, default weights format, keep_num_dims with equal ranks',
    maxVersion: 9,
    activation: true,
    checks: [
      (c) => (c.node.attrs.weightsFormat ? v('gpu.fc-weights-format', 'unsupported-attribute', `Unsupported FullyConnected weights format: ${c.node.attrs.weightsFormat}`) : undefined),
      (c) => (c.inputs[0] && c.isConst(c.inputs[0]) ? v('gpu.fc-const-input', 'unsupported-attribute', 'FullyConnected input 0 must not be constant.') : undefined),
      runtimeInputs(1, 2),
      (c) =>
        c.node.attrs.keepNumDims && c.inputs[0] && c.outputs[0] && c.inputs[0].shape.length !== c.outputs[0].shape.length
          ? v('gpu.fc-keep-num-dims', 'unsupported-attribute', 'keep_num_dims needs input and output of equal rank.')
          : undefined,
    ],
  },
  TRANSPOSE_CONV: { doc: '1–2 runtime inputs, stride > 0, no fused activation',
    maxVersion: 3,
    checks: [
      convInputsOutputs,
      positive('strideH', 'strideW'),
      (c) =>
        c.node.attrs.activation && c.node.attrs.activation !== 'NONE'
          ? v('gpu.transpose-conv-activation', 'unsupported-attribute', 'TransposeConv with a fused activation (v4) is not supported.')
          : undefined,
    ],
  },
  ADD: { doc: '2 inputs; different ranks > 1 only 4-D vs 3-D/[1,1]/[b,c]; constant operand scalar/[C]/HW/HWC (HW/HWC only against a 4-D runtime input or as [1,W,C])', maxVersion: 2, checks: [standardBroadcast, elementwiseOperands] },
  ADD_N: { doc: 'exactly 2 inputs', maxVersion: 2, checks: [(c) => (c.inputs.length === 2 ? undefined : v('gpu.inputs', 'unsupported-attribute', `ADD_N supports exactly 2 inputs, got ${c.inputs.length}.`))] },
  MUL: { doc: 'as ADD, and one operand ≥ the other in every dim', maxVersion: 3, activation: true, checks: [standardBroadcast, mulNotOuterProduct, elementwiseOperands] },
  ...Object.fromEntries(BINARY_2.map((op) => [op, { maxVersion: 2, activation: true, checks: [elementwiseOperands], doc: 'runtime + runtime or runtime + constant scalar/[C]/HW/HWC' }])),
  ...Object.fromEntries(COMPARE.map((op) => [op, { maxVersion: 2, extraDtypes: ['bool'], checks: [elementwiseOperands, boolResultConsumed, finiteConstants], doc: 'as SUB; the bool result must feed a CAST/SELECT (bool is no runtime type elsewhere); no ±inf / NaN constant operand' }])),
  AVERAGE_POOL_2D: { doc: '1 runtime input, kernel and stride > 0', maxVersion: 2, activation: true, checks: [runtimeInputs(1), positive('filterH', 'filterW', 'strideH', 'strideW')] },
  MAX_POOL_2D: { doc: '1 runtime input, kernel and stride > 0', maxVersion: 2, activation: true, checks: [runtimeInputs(1), positive('filterH', 'filterW', 'strideH', 'strideW')] },
  CONCATENATION: { doc: 'axis within the rank',
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
  RESHAPE: { doc: '1 runtime input (shape tensor ignored)', maxVersion: 1, checks: [runtimeInputs(1)] },
  TRANSPOSE: { doc: '1 runtime input, perm of size 2–4',
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
  SOFTMAX: { doc: '1 runtime input, beta = 1',
    maxVersion: 2,
    checks: [
      runtimeInputs(1),
      (c) => ((c.node.attrs.beta ?? 1) === 1 ? undefined : v('gpu.softmax-beta', 'unsupported-attribute', `Softmax.beta != 1 is not supported (beta = ${c.node.attrs.beta}).`)),
    ],
  },
  ...Object.fromEntries(UNARY_2.map((op) => [op, { maxVersion: 2, checks: [oneRuntimeNoConst], doc: 'exactly 1 runtime input' }])),
  ...Object.fromEntries(RELU_2.map((op) => [op, { maxVersion: 2 }])),
  HARD_SWISH: { doc: '1 runtime input', checks: [runtimeInputs(1)] },
  PRELU: { doc: 'constant alpha, [C] or HWC of the input',
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
  PAD: { doc: '1 runtime input, constant paddings [4,2] or [3,2]', maxVersion: 2, checks: [runtimeInputs(1), paddingsShape] },
  PADV2: { doc: '1 runtime input, constant paddings [4,2] or [3,2]', maxVersion: 2, checks: [runtimeInputs(1), paddingsShape] },
  MIRROR_PAD: { doc: 'REFLECT only, constant paddings [4,2] or [3,2]',
    maxVersion: 2,
    checks: [
      runtimeInputs(1),
      paddingsShape,
      (c) => ((c.node.attrs.mirrorMode ?? 'REFLECT') === 'REFLECT' ? undefined : v('gpu.mirror-pad-mode', 'unsupported-attribute', 'Only Reflective padding is supported for Mirror Pad operation.')),
    ],
  },
  ...Object.fromEntries(REDUCE.map((op) => [op, { checks: [constInt32Axes], doc: '1 runtime input, constant int32 axes' }])),
  RESIZE_BILINEAR: { doc: '1 runtime input, not align_corners with half_pixel_centers',
    maxVersion: 3,
    checks: [
      runtimeInputs(1),
      (c) =>
        c.node.attrs.alignCorners && c.node.attrs.halfPixelCenters
          ? v('gpu.resize-align-half', 'unsupported-attribute', 'If half_pixel_centers is True, align_corners must be False.')
          : undefined,
    ],
  },
  RESIZE_NEAREST_NEIGHBOR: { doc: '1 runtime input', maxVersion: 3, checks: [runtimeInputs(1)] },
  DEPTH_TO_SPACE: { doc: '1 runtime input, block size > 1', checks: [runtimeInputs(1), (c) => ((c.node.attrs.blockSize ?? 2) > 1 ? undefined : v('gpu.block-size', 'unsupported-attribute', 'block_size must be > 1.'))] },
  SPACE_TO_DEPTH: { doc: '1 runtime input, block size > 1', maxVersion: 2, checks: [runtimeInputs(1), (c) => ((c.node.attrs.blockSize ?? 2) > 1 ? undefined : v('gpu.block-size', 'unsupported-attribute', 'block_size must be > 1.'))] },
  SLICE: { doc: '1 runtime input, rank 3 or 4', maxVersion: 2, checks: [runtimeInputs(1), minInputs(3, 'SLICE'), rank34('Slice')] },
  STRIDED_SLICE: { doc: 'rank 3 or 4, 4 inputs, no ellipsis/new-axis/shrink masks',
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
      minInputs(4, 'STRIDED_SLICE'),
      rank34('StridedSlice'),
    ],
  },
  SPLIT: {},
  SPLIT_V: {},
  PACK: {},
  UNPACK: {},
  TILE: { doc: '1 runtime input', checks: [runtimeInputs(1)] },
  BATCH_MATMUL: { doc: 'a runtime first input; a constant second input must be 2-D; batch dims not broadcast',
    checks: [
      (c) => {
        // measured with LiteRT's WebGPU delegate: "Not supported batched mat mul case: non-constant tensor"
        const a0 = c.inputs[0];
        if (a0 && c.isConst(a0)) return v('gpu.bmm-const-first', 'unsupported-attribute', `BatchMatMul with a constant first input ${dims(a0)} is not supported.`);
        const b = c.inputs[1];
        if (b && c.isConst(b) && b.shape.length !== 2) return v('gpu.bmm-const-2d', 'unsupported-attribute', `BatchMatMul with a constant second input needs it 2D, got ${dims(b)}.`);
        // Broadcast batch dims: measured with LiteRT's WebGPU delegate, delegated with wrong numbers
        // (test_matmul_bcast: 30 of 36 outputs); kept on the CPU.
        const a = c.inputs[0];
        if (a && b && a.shape.length > 2 && b.shape.length > 2) {
          const ba = a.shape.slice(0, -2);
          const bb = b.shape.slice(0, -2);
          if (ba.length !== bb.length || ba.some((d, i) => d !== bb[i])) return v('gpu.bmm-broadcast', 'unsupported-attribute', `BatchMatMul broadcasting batch dims ${dims(a)} × ${dims(b)} is not supported.`);
        }
        return undefined;
      },
    ],
  },
  GATHER: { doc: 'float input; 1-D int32 indices, run-time (any length) or one constant index',
    maxVersion: 1,
    extraDtypes: ['int32'],
    checks: [
      (c) => (c.inputs[0]?.dtype === 'int32' ? v('gpu.gather-input', 'unsupported-dtype', 'Does not accept INT32 input.') : undefined),
      (c) => {
        const idx = c.inputs[1];
        return idx && idx.dtype === 'int32' && idx.shape.length === 1 ? undefined : v('gpu.gather-indices', 'unsupported-attribute', 'Gather needs 1D int32 indices.');
      },
      // Measured with LiteRT's WebGPU delegate over ranks 1–4, every axis (the batch too), batch 1 and 2,
      // float32 / int32 data: run-time indices of any length and a single constant index are delegated and
      // exact; a constant list of 2 or more indices passes the parser but its kernel fails to build
      // ("Unable to parse bc coord for BATCH axis": the constant [n] is laid out as BHWC (n,1,1,1)).
      (c) => {
        const idx = c.inputs[1];
        const n = idx ? numElements(idx.shape) : 0;
        return idx && c.isConst(idx) && n > 1
          ? v('gpu.gather-const-indices', 'unsupported-attribute', `Constant indices ${dims(idx)} hold ${n} positions; the gather kernel takes one constant index or run-time indices.`)
          : undefined;
      },
    ],
  },
  QUANTIZE: { maxVersion: 2 },
  DEQUANTIZE: { doc: 'no int16 input; constant input folded',
    maxVersion: 3,
    checks: [(c) => (c.inputs[0]?.dtype === 'int16' ? v('gpu.dequantize-int16', 'unsupported-dtype', 'Dequantize of int16 input is not supported.') : undefined)],
  },
  CAST: { doc: 'float ↔ int32, float ↔ bool',
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
  SELECT: { doc: 'float/bool cond, float branches shaped like the output or scalar', maxVersion: 1, extraDtypes: ['bool'], checks: [selectOperands] },
  SELECT_V2: { doc: 'float/bool cond, float branches shaped like the output or scalar', maxVersion: 1, extraDtypes: ['bool'], checks: [selectOperands] },
  CUMSUM: { doc: 'no exclusive / reverse; not along axis 0',
    maxVersion: 1,
    // measured with LiteRT's WebGPU delegate: it takes these nodes and computes wrong sums (exclusive /
    // reverse as the plain inclusive sum; along axis 0, the batch of a 4-D tensor or a 1-D one, garbage)
    checks: [
      (c) => (c.node.attrs.exclusive || c.node.attrs.reverse ? v('gpu.cumsum-options', 'unsupported-attribute', 'Cumsum with exclusive or reverse is computed as a plain cumulative sum.') : undefined),
      (c) => {
        const a = c.inputs[1];
        const axis = a?.data && c.isConst(a) ? Number(a.data[0]) : undefined;
        const rank = c.inputs[0]?.shape.length ?? 0;
        return axis === undefined || axis === 0 || axis === -rank ? v('gpu.cumsum-axis', 'unsupported-attribute', 'Cumsum along axis 0 (or a run-time axis) is not supported.') : undefined;
      },
    ],
  },
  DENSIFY: { maxVersion: 1 },
  ONE_HOT: { doc: 'on the last axis', maxVersion: 1, extraDtypes: ['int32'],
    // measured with LiteRT's WebGPU delegate: ONE_HOT with another axis is refused by its parser
    checks: [(c) => (c.node.attrs.axis === -1 || c.node.attrs.axis === c.inputs[0]?.shape.length ? undefined : v('gpu.one-hot-axis', 'unsupported-attribute', `OneHot on axis ${c.node.attrs.axis} is not supported: only the last axis.`))],
  },
  LSTM: { maxVersion: 4 },
  CUSTOM: { doc: 'only Convolution2DTransposeBias, MaxPoolingWithArgmax2D, MaxUnpooling2D, Resampler',
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
  // SQUEEZE / EXPAND_DIMS: the converter rewrites them as RESHAPE (passes/squeeze-to-reshape.ts);
  // BROADCAST_TO: folded into its consumer's broadcast (passes/fold-broadcast-to.ts).
  'SQUEEZE', 'EXPAND_DIMS', 'BROADCAST_TO',
  'BATCH_TO_SPACE_ND', 'SPACE_TO_BATCH_ND', 'LOG_SOFTMAX', 'ARG_MAX', 'ARG_MIN',
  'L2_NORMALIZATION', 'LOCAL_RESPONSE_NORMALIZATION', 'TOPK_V2', 'SHAPE',
  'EMBEDDING_LOOKUP', 'REVERSE_V2', 'DYNAMIC_UPDATE_SLICE',
  // CONV_3D: rank-5 tensors, which the delegate never takes (the converter emits it for 3-D Conv)
  'CONV_3D',
  // CONV_3D_TRANSPOSE: rank-5 tensors likewise (emitted for 3-D ConvTranspose)
  'CONV_3D_TRANSPOSE',
  // BITCAST: uint64 ↔ int64 bit reinterpretation for 64-bit unsigned arithmetic (widen.ts); int64 is no GPU runtime type
  'BITCAST',
  // ROUND (ONNX Round, quantization compute): LiteRT.js's WebGPU delegate runs it (listed as a table
  // disagreement); kept CPU-only so that --target kirin9000 never promises integer quantization the GPU
  // would compute in fp16 (off by one step at rounding boundaries).
  'ROUND',
  // FILL / RANGE: ConstantOfShape / Range of run-time values (constant-of-shape.ts, range.ts), on the CPU
  'FILL', 'RANGE',
  // GATHER_ND / SCATTER_ND: GatherND / GatherElements / ScatterND / ScatterElements with run-time indices
  // (constant ones lower to GATHER). No parser in the delegate: LiteRT.js's WebGPU delegate lists them
  // under "Following operations are not supported by GPU delegate" (tests/convert/gpu/webgpu-delegate.test.ts,
  // single-op models "… run-time indices" and conformance test_gathernd_* / test_gather_elements_* / test_scatternd*)
  'GATHER_ND', 'SCATTER_ND',
  // Emitted by nobody in mai but common in exported models: CPU-only.
  'CEIL', 'WHERE', 'NON_MAX_SUPPRESSION_V4', 'NON_MAX_SUPPRESSION_V5', 'REDUCE_ANY', 'ZEROS_LIKE',
];

/** Fused activations `IsActivationSupported` accepts. */
export const GPU_ACTIVATIONS: readonly string[] = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH'];

/** Runtime (non-constant) tensor dtypes every op accepts (float, plus int8/uint8 with ENABLE_QUANT, on by default). */
export const GPU_RUNTIME_DTYPES: readonly DType[] = ['float32', 'float16', 'int8', 'uint8'];

/** Max rank of any input/output tensor, constants included (IsAllAllowedTensors: dims->size >= 5 fails). */
export const GPU_MAX_RANK = 4;
