/**
 * float16 weight quantization as TFLiteConverter writes it: every float32
 * constant becomes a FLOAT16 constant read through a DEQUANTIZE whose float32
 * output keeps the constant's name, so consumers are unchanged. The GPU
 * delegate folds DEQUANTIZE-of-constant into its consumer (src/convert/gpu);
 * XNNPACK does the same on CPU. File size ≈ ½ of the float32 model.
 */
import type { Graph } from '../ir/graph.js';
import { assertValid } from '../ir/verify.js';
import { toHalf, weightsToFloat16 } from '../convert/passes/keep-half-weights.js';
import { foldConstantDequantize } from './fold-dequantize.js';

export { toHalf };

export function quantizeFp16(input: Graph): Graph {
  const g = input.clone();
  foldConstantDequantize(g);
  weightsToFloat16(g, (t) => toHalf(t.data as Float32Array));
  assertValid(g, 'fp16 quantization');
  return g;
}
