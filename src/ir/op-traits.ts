/**
 * What passes and checks need to know about an op, in one table keyed by op
 * name. An op absent from the table has none of the traits.
 */
import type { OpName } from './op-names.js';

export interface OpTraits {
  /**
   * Computed value by value over its runtime inputs, with numpy broadcasting:
   * reshapes and transposes of the inputs commute with it (layout-agnostic).
   * 'unary' one input, 'binary' two, 'select' SELECT_V2's condition and two values.
   */
  valueWise?: 'unary' | 'binary' | 'select';
  /** The output has the inputs' dtype (not so for CAST, QUANTIZE, comparisons…). */
  keepsDtype?: boolean;
  /** Its TFLite kernel applies a RELU-family fused activation (RELU, RELU6, RELU_N1_TO_1). */
  appliesFusedRelu?: boolean;
}

const UNARY: OpTraits = { valueWise: 'unary', keepsDtype: true };
const BINARY: OpTraits = { valueWise: 'binary', keepsDtype: true };
const BINARY_FUSED: OpTraits = { ...BINARY, appliesFusedRelu: true };
const CONVERTS: OpTraits = { valueWise: 'unary' };
const COMPARES: OpTraits = { valueWise: 'binary' };
const FUSED: OpTraits = { appliesFusedRelu: true };

export const OP_TRAITS: Readonly<Partial<Record<OpName, OpTraits>>> = {
  RELU: UNARY,
  RELU6: UNARY,
  RELU_N1_TO_1: UNARY,
  RELU_0_TO_1: UNARY,
  LEAKY_RELU: UNARY,
  LOGISTIC: UNARY,
  TANH: UNARY,
  ELU: UNARY,
  GELU: UNARY,
  HARD_SWISH: UNARY,
  EXP: UNARY,
  LOG: UNARY,
  SQRT: UNARY,
  RSQRT: UNARY,
  SQUARE: UNARY,
  ABS: UNARY,
  NEG: UNARY,
  SIGN: UNARY,
  SIN: UNARY,
  COS: UNARY,
  FLOOR: UNARY,
  CEIL: UNARY,
  ROUND: UNARY,
  CAST: CONVERTS,
  QUANTIZE: CONVERTS,
  DEQUANTIZE: CONVERTS,

  ADD: BINARY_FUSED,
  SUB: BINARY_FUSED,
  MUL: BINARY_FUSED,
  DIV: BINARY_FUSED,
  MAXIMUM: BINARY,
  MINIMUM: BINARY,
  POW: BINARY,
  SQUARED_DIFFERENCE: BINARY,
  FLOOR_DIV: BINARY,
  FLOOR_MOD: BINARY,
  LOGICAL_AND: BINARY,
  LOGICAL_OR: BINARY,
  EQUAL: COMPARES,
  NOT_EQUAL: COMPARES,
  LESS: COMPARES,
  LESS_EQUAL: COMPARES,
  GREATER: COMPARES,
  GREATER_EQUAL: COMPARES,
  SELECT_V2: { valueWise: 'select' },

  CONV_2D: FUSED,
  DEPTHWISE_CONV_2D: FUSED,
  FULLY_CONNECTED: FUSED,
  AVERAGE_POOL_2D: FUSED,
  MAX_POOL_2D: FUSED,
  L2_POOL_2D: FUSED,
};

export function opTraits(op: string): OpTraits {
  return OP_TRAITS[op as OpName] ?? {};
}

/** The ops with a trait, e.g. `opsWhere((t) => t.valueWise === 'unary')`. */
export function opsWhere(test: (t: OpTraits) => boolean | undefined): ReadonlySet<string> {
  return new Set(Object.entries(OP_TRAITS).filter(([, t]) => test(t)).map(([op]) => op));
}
