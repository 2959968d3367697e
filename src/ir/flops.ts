import type { Graph } from './graph.js';
import type { Node } from './node.js';
import { numElements } from './tensor.js';

/**
 * Floating-point operations of one node (multiply-add = 2 FLOPs), from the
 * static shapes. Data-movement ops (RESHAPE, TRANSPOSE, CONCATENATION, PAD…)
 * count 0; elementwise ops count one per output element.
 */
export function nodeFlops(g: Graph, n: Node): number {
  const t = (i: number) => (n.inputs[i] ? g.tensors.get(n.inputs[i]!) : undefined);
  const out = n.outputs[0] ? g.tensors.get(n.outputs[0]) : undefined;
  if (!out) return 0;
  const outN = numElements(out.shape);
  switch (n.op) {
    case 'CONV_2D': {
      const w = t(1);
      if (!w) return 0;
      const [, kh, kw, cin] = w.shape as [number, number, number, number];
      return 2 * outN * kh * kw * cin + (n.inputs[2] ? outN : 0);
    }
    case 'DEPTHWISE_CONV_2D': {
      const w = t(1);
      if (!w) return 0;
      return 2 * outN * w.shape[1]! * w.shape[2]! + (n.inputs[2] ? outN : 0);
    }
    case 'TRANSPOSE_CONV': {
      const w = t(1);
      const x = t(2);
      if (!w || !x) return 0;
      return 2 * numElements(x.shape) * w.shape[0]! * w.shape[1]! * w.shape[2]!;
    }
    case 'CUSTOM': {
      // MediaPipe's transposed convolution (inputs: input, weights OHWI, bias), as in its models.
      if (n.attrs.customCode !== 'Convolution2DTransposeBias') return outN;
      const w = t(1);
      const x = t(0);
      if (!w || !x) return 0;
      return 2 * numElements(x.shape) * w.shape[0]! * w.shape[1]! * w.shape[2]!;
    }
    case 'FULLY_CONNECTED': {
      const w = t(1);
      if (!w) return 0;
      return 2 * outN * w.shape[1]! + (n.inputs[2] ? outN : 0);
    }
    case 'BATCH_MATMUL': {
      const a = t(0);
      if (!a) return 0;
      const k = n.attrs.adjX ? a.shape[a.shape.length - 2]! : a.shape[a.shape.length - 1]!;
      return 2 * outN * k;
    }
    case 'MAX_POOL_2D':
    case 'AVERAGE_POOL_2D':
      return outN * (n.attrs.filterH ?? 1) * (n.attrs.filterW ?? 1);
    case 'MEAN':
    case 'SUM':
    case 'REDUCE_MAX':
    case 'REDUCE_MIN':
    case 'SOFTMAX':
    case 'L2_NORMALIZATION': {
      const x = t(0);
      return x ? numElements(x.shape) * (n.op === 'SOFTMAX' ? 3 : 1) : 0;
    }
    case 'RESIZE_BILINEAR':
      return outN * 7;
    case 'RESHAPE':
    case 'TRANSPOSE':
    case 'CONCATENATION':
    case 'PAD':
    case 'PADV2':
    case 'MIRROR_PAD':
    case 'SLICE':
    case 'STRIDED_SLICE':
    case 'SPLIT':
    case 'GATHER':
    case 'SQUEEZE':
    case 'EXPAND_DIMS':
    case 'TILE':
    case 'RESIZE_NEAREST_NEIGHBOR':
    case 'DEPTH_TO_SPACE':
    case 'SPACE_TO_DEPTH':
    case 'CAST':
    case 'QUANTIZE':
    case 'DEQUANTIZE':
      return 0;
    default:
      return outN;
  }
}

export function graphFlops(g: Graph): number {
  let total = 0;
  for (const n of g.nodes) total += nodeFlops(g, n);
  return total;
}
