/**
 * Dynamic-range quantization: int8 weights with float activations. CONV_2D,
 * DEPTHWISE_CONV_2D and FULLY_CONNECTED read the int8 weight directly and run
 * TFLite's hybrid kernels (activations quantized on the fly; FULLY_CONNECTED
 * with asymmetric_quantize_inputs as TFLiteConverter sets it). Weights below
 * `minElements` stay float, as in TFLiteConverter (1024). With
 * `weightOnly` the int8 weight is instead read through a DEQUANTIZE (float
 * kernels, int8 storage) — the fallback for runtimes without hybrid kernels.
 */
import type { Graph } from '../ir/graph.js';
import type { BuiltinOpName } from '../tflite/schema/enums.js';
import { numElements } from '../ir/tensor.js';
import { assertValid } from '../ir/verify.js';
import { foldConstantDequantize } from './fold-dequantize.js';
import { quantizeWeightSymmetric } from './quantize-data.js';

export interface DynamicRangeOptions {
  /** Weights with fewer elements stay float (default 1024, TFLiteConverter's threshold). */
  minElements?: number;
  /** int8 weights behind DEQUANTIZE instead of hybrid kernels. */
  weightOnly?: boolean;
}

/** Weight input index and per-channel axis of the ops with hybrid kernels. */
export const HYBRID_WEIGHTS: Partial<Record<BuiltinOpName, { input: number; axis: number }>> = {
  CONV_2D: { input: 1, axis: 0 },
  DEPTHWISE_CONV_2D: { input: 1, axis: 3 },
  FULLY_CONNECTED: { input: 1, axis: 0 },
};

export function quantizeDynamicRange(input: Graph, opts: DynamicRangeOptions = {}): Graph {
  const g = input.clone();
  foldConstantDequantize(g);
  const minElements = opts.minElements ?? 1024;
  const done = new Map<string, string>();
  for (const n of [...g.nodes]) {
    const spec = HYBRID_WEIGHTS[n.op];
    if (!spec) continue;
    const wName = n.inputs[spec.input];
    const w = wName ? g.tensors.get(wName) : undefined;
    const x = g.tensors.get(n.inputs[0] ?? '');
    if (!w || !w.data || w.dtype !== 'float32' || x?.dtype !== 'float32' || numElements(w.shape) < minElements) continue;
    let qName = done.get(w.name);
    if (!qName) {
      const r = quantizeWeightSymmetric(w.data as Float32Array, w.shape, spec.axis);
      qName = g.uniqueName(`${w.name}_int8`);
      g.addTensor({ name: qName, dtype: 'int8', shape: [...w.shape], layout: w.layout, data: r.data, quant: { scale: r.scales, zeroPoint: r.scales.map(() => 0), axis: spec.axis } });
      done.set(w.name, qName);
    }
    if (opts.weightOnly) {
      const f = g.uniqueName(`${w.name}_dequantize`);
      g.addTensor({ name: f, dtype: 'float32', shape: [...w.shape], layout: w.layout });
      g.nodes.unshift({ name: g.uniqueName(`${f}_node`), op: 'DEQUANTIZE', inputs: [qName], outputs: [f], attrs: {} });
      n.inputs[spec.input] = f;
    } else {
      n.inputs[spec.input] = qName;
      if (n.op === 'FULLY_CONNECTED') n.attrs.asymmetricQuantizeInputs = true;
    }
    delete n.version;
  }
  g.pruneTensors();
  g.topoSort();
  assertValid(g, 'dynamic-range quantization');
  return g;
}
