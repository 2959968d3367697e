import type { OpName } from './op-names.js';

/** Fused activation of TFLite ops. */
export type Activation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';
export type PaddingMode = 'SAME' | 'VALID';

/**
 * Typed attributes of TFLite-level ops. One flat interface: each op uses the
 * fields its builtin options table has (see src/tflite/ops-table.ts for which).
 */
export interface Attrs {
  /** CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, pools */
  padding?: PaddingMode;
  strideH?: number;
  /** CONV_3D depth stride and dilation. */
  strideD?: number;
  dilationD?: number;
  strideW?: number;
  dilationH?: number;
  dilationW?: number;
  depthMultiplier?: number;
  filterH?: number;
  filterW?: number;
  /** Fused activation (conv, pools, FC, ADD/SUB/MUL/DIV, CONCATENATION). */
  activation?: Activation;
  /** CONCATENATION, SOFTMAX axis semantics, GATHER, SPLIT… */
  axis?: number;
  /** GATHER batch_dims */
  batchDims?: number;
  /** SOFTMAX */
  beta?: number;
  /** MEAN / SUM / REDUCE_* */
  keepDims?: boolean;
  /** RESIZE_* */
  alignCorners?: boolean;
  halfPixelCenters?: boolean;
  /** RESHAPE (also given as second input) */
  newShape?: number[];
  /** FULLY_CONNECTED */
  keepNumDims?: boolean;
  /** BATCH_MATMUL */
  adjX?: boolean;
  adjY?: boolean;
  /** CUMSUM: sum the elements before (not including) each one; sum from the end. */
  exclusive?: boolean;
  reverse?: boolean;
  /** SQUEEZE */
  squeezeDims?: number[];
  /** LEAKY_RELU */
  alpha?: number;
  /** DEPTH_TO_SPACE / SPACE_TO_DEPTH */
  blockSize?: number;
  /** MIRROR_PAD */
  mirrorMode?: 'REFLECT' | 'SYMMETRIC';
  /** STRIDED_SLICE */
  beginMask?: number;
  endMask?: number;
  ellipsisMask?: number;
  newAxisMask?: number;
  shrinkAxisMask?: number;
  offset?: boolean;
  /** SPLIT */
  numSplits?: number;
  /** GELU */
  approximate?: boolean;
  /**
   * Rarely-set TFLite option fields, kept so Google's models are rewritten faithfully
   * (present only when the file sets them to a non-default value).
   * FULLY_CONNECTED / BATCH_MATMUL: asymmetric_quantize_inputs (hybrid).
   */
  asymmetricQuantizeInputs?: boolean;
  /** CONV_2D / FULLY_CONNECTED / TRANSPOSE_CONV: quantized_bias_type (a dtype name). */
  quantizedBiasType?: string;
  /** ADD / SUB: pot_scale_int16 (schema default true). */
  potScaleInt16?: boolean;
  /** FULLY_CONNECTED: weights_format other than DEFAULT. */
  weightsFormat?: 'SHUFFLED4x16INT8';
  /** CAST */
  inDataType?: string;
  outDataType?: string;
  /** CUSTOM ops */
  customCode?: string;
  customOptions?: Uint8Array;
  /**
   * Options the reader could not decode into typed fields (ops outside our table):
   * kept byte-exact so a read → write round trip loses nothing.
   */
  rawOptions?: { type: number; bytes: Uint8Array };
  /** `builtin_options_2` (StableHLO-era ops) kept the same way; read for inspection only, never written. */
  rawOptions2?: { type: number; bytes: Uint8Array };
}

export interface Node {
  /** Unique, stable name (from the source node where there is one). */
  name: string;
  op: OpName;
  /** Tensor names; '' marks an absent optional input (TFLite index -1). */
  inputs: string[];
  outputs: string[];
  attrs: Attrs;
  /** Op version to write; when absent the writer uses the minimum version the op needs. */
  version?: number;
  /** Name of the source-framework node this came from (diagnostics). */
  sourceNode?: string;
}
