/**
 * The dtypes each TFLite builtin the importer emits has a kernel for on the non-quantized path, so a
 * node whose tensors have another dtype is rejected ('unsupported-dtype') instead of converting to a
 * model that fails or computes garbage at run time. From probing LiteRT.js (x → CAST → op → CAST;
 * tests/convert/onnx/dtypes.test.ts runs every accepted integer cell):
 * - activations, pools, SOFTMAX, MEAN, RESIZE_BILINEAR, conv/FC/BATCH_MATMUL: float32 only — int32 /
 *   int64 have no kernel ("Only float32, uint8, int8 and int16 are supported"), and the 8/16-bit
 *   kernels are quantized kernels that misread plain integers (RELU on int8 returns 0s);
 * - ADD, SUB, MUL: float32, int32, int64; DIV: float32, int32 (truncating, as ONNX). Their 8/16-bit
 *   kernels are quantized (MUL on int8 returns 0s, SUB on int16 aborts the runtime): rejected;
 * - MAXIMUM, MINIMUM (Clip): also int8, uint8, int16 — they compare raw values, right for plain integers;
 * - RESIZE_NEAREST_NEIGHBOR: float32, int32.
 * - SCATTER_ND: updates of float32, int32, int64, int8, uint8, bool ("Updates of type 'INT16' are not
 *   supported by scatter_nd"); int32 indices (the importer casts int64 ones).
 * float16 activations are not on the float32 path (LiteRT's ADD on float16 returns garbage); RESHAPE,
 * TRANSPOSE, CONCATENATION, CAST and PAD move data and are not restricted here.
 */
import type { DType } from '../../ir/dtype.js';
import type { BuiltinOpName } from '../../tflite/schema/enums.js';

const F32: readonly DType[] = ['float32'];
const ARITH: readonly DType[] = ['float32', 'int32', 'int64'];
/** MAXIMUM / MINIMUM compare raw values, so their 8/16-bit kernels are right for plain integers too. */
const MINMAX: readonly DType[] = [...ARITH, 'int8', 'uint8', 'int16'];
/** Comparisons: ARITH operands, bool result (the output's dtype is checked too). */
const CMP: readonly DType[] = [...ARITH, 'bool'];

export const KERNEL_DTYPES: Partial<Record<BuiltinOpName, readonly DType[]>> = {
  RELU: F32,
  RELU6: F32,
  RELU_N1_TO_1: F32,
  LOGISTIC: F32,
  TANH: F32,
  SOFTMAX: F32,
  ADD: ARITH,
  SUB: ARITH,
  MUL: ARITH,
  MAXIMUM: MINMAX,
  MINIMUM: MINMAX,
  DIV: ['float32', 'int32'],
  MAX_POOL_2D: F32,
  AVERAGE_POOL_2D: F32,
  MEAN: F32,
  RESIZE_BILINEAR: F32,
  RESIZE_NEAREST_NEIGHBOR: ['float32', 'int32'],
  CONV_2D: F32,
  CONV_3D: F32,
  CONV_3D_TRANSPOSE: F32,
  DEPTHWISE_CONV_2D: F32,
  FULLY_CONNECTED: F32,
  BATCH_MATMUL: F32,
  LEAKY_RELU: F32,
  PRELU: F32,
  ELU: F32,
  HARD_SWISH: F32,
  GELU: F32,
  EXP: F32,
  LOG: F32,
  SQRT: F32,
  RSQRT: F32,
  ABS: F32,
  NEG: F32,
  ROUND: F32,
  FLOOR: F32,
  CEIL: F32,
  SIN: F32,
  COS: F32,
  SIGN: ['float32', 'int32'],
  ARG_MAX: ['float32', 'int32', 'int64'],
  ARG_MIN: ['float32', 'int32', 'int64'],
  POW: ['float32', 'int32'],
  SUM: ARITH,
  REDUCE_MAX: ARITH,
  REDUCE_MIN: ARITH,
  EQUAL: CMP,
  LESS: CMP,
  GREATER: CMP,
  LESS_EQUAL: CMP,
  GREATER_EQUAL: CMP,
  NOT_EQUAL: CMP,
  LOGICAL_AND: ['bool'],
  LOGICAL_OR: ['bool'],
  LOGICAL_NOT: ['bool'],
  RANGE: ARITH,
  TOPK_V2: ARITH,
  CUMSUM: ARITH,
  SCATTER_ND: ['float32', 'int32', 'int64', 'int8', 'uint8', 'bool'],
};

/** The first dtype among `dtypes` that `op` has no kernel for, with the dtypes it takes; undefined when fine. */
export function missingKernel(op: BuiltinOpName, dtypes: readonly DType[]): { dtype: DType; takes: readonly DType[] } | undefined {
  const takes = KERNEL_DTYPES[op];
  if (!takes) return undefined;
  const dtype = dtypes.find((d) => !takes.includes(d));
  return dtype ? { dtype, takes } : undefined;
}
