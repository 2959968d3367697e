/** Result types of the quantizers (the contract in scratch/QUANT-CONTRACT.md). */

/** One tensor of a quantized graph and the float tensor it stands for. */
export interface QuantizedTensorInfo {
  /** Tensor name in the quantized graph. */
  name: string;
  /** The float tensor name in the input graph it corresponds to. */
  source: string;
  scale: number[];
  zeroPoint: number[];
  axis?: number;
  kind: 'weight' | 'bias' | 'activation';
  /** The node that reads it (weights, biases) or writes it (activations), when there is one. */
  node?: string;
}

export type IoType = 'float' | 'int8' | 'uint8';

export interface Int8Options {
  /** Model input/output type (default 'float': QUANTIZE / DEQUANTIZE at the boundary inside the model). */
  io?: IoType;
  /** Node names kept in float, with DEQUANTIZE / QUANTIZE around them. */
  keepFloat?: ReadonlySet<string>;
  /**
   * Fold a RELU / RELU6 / RELU_N1_TO_1 that alone reads a conv / FC / ADD / SUB / MUL / pool
   * output into that op's fused activation first (default true; the int8 range then starts at
   * the clamp). The fused activation's node and its input tensor no longer exist in the result.
   */
  fuseActivations?: boolean;
}

export interface KeptFloat {
  node: string;
  op: string;
  reason: string;
}

export interface Int8Result {
  graph: import('../ir/graph.js').Graph;
  tensors: QuantizedTensorInfo[];
  /** Nodes left in float (unsupported for int8, no statistics, or asked for) with the reason. */
  keptFloat: KeptFloat[];
}
