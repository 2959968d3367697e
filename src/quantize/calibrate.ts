/**
 * Calibration: run the float model in LiteRT (one load of a copy with every
 * activation exposed), stream the samples through it and feed each activation
 * into its observer.
 */
import type { Graph } from '../ir/graph.js';
import { isConstant } from '../ir/tensor.js';
import type { HostTensor } from '../runtime/types.js';
import { liteRtRuntime } from '../runtime/litert.js';
import { writeTflite } from '../tflite/writer.js';
import { inputError, internalError } from '../core/errors.js';
import { exposeTensors } from './expose.js';
import { createObserver } from './observers/index.js';
import type { StreamingHistogram } from './observers/histogram.js';
import type { ObserverOptions, RangeResult } from './observers/types.js';

export interface TensorStats extends RangeResult {
  name: string;
  /** The observer's histogram (bins over [histogram.lo, histogram.hi)). */
  histogram?: StreamingHistogram;
}

/** Per float activation tensor (graph inputs, node outputs, graph outputs) of the calibrated graph. */
export type CalibrationStats = Map<string, TensorStats>;

export interface CalibrateOptions extends ObserverOptions {
  /** Called after each sample with the number of samples done. */
  onProgress?(done: number): void;
}

/** True for a DEQUANTIZE of a constant (fp16 / int8 weights): its output is a weight, not an activation. */
export function isConstantDequantize(g: Graph, name: string): boolean {
  const p = g.producerOf(name);
  if (!p || p.op !== 'DEQUANTIZE') return false;
  const src = g.tensors.get(p.inputs[0] ?? '');
  return !!src && isConstant(src);
}

/**
 * The float32 activation tensors of `g` in graph order: graph inputs, then every node output
 * (DEQUANTIZE-of-constant outputs excluded: those are weights).
 */
export function activationTensors(g: Graph): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (name: string) => {
    const t = g.tensors.get(name);
    if (!t || seen.has(name) || t.dtype !== 'float32' || isConstant(t)) return;
    seen.add(name);
    out.push(name);
  };
  for (const i of g.inputs) add(i);
  const constDq = new Set<string>();
  for (const n of g.nodes) {
    if (n.op === 'DEQUANTIZE') {
      const src = g.tensors.get(n.inputs[0] ?? '');
      if (src && isConstant(src)) {
        for (const o of n.outputs) constDq.add(o);
        continue;
      }
    }
    for (const o of n.outputs) if (!constDq.has(o)) add(o);
  }
  return out;
}

/**
 * Runs `g` (float) in LiteRT on every sample (each: one HostTensor per graph
 * input, in order) and returns the per-tensor statistics of every float
 * activation. One model load; samples are consumed as they arrive.
 */
export async function calibrate(g: Graph, samples: AsyncIterable<HostTensor[]> | Iterable<HostTensor[]>, opts: CalibrateOptions): Promise<CalibrationStats> {
  const names = activationTensors(g);
  const exposed = exposeTensors(g, names);
  const offset = g.outputs.length;
  const observers = names.map(() => createObserver(opts));
  const model = await liteRtRuntime.load(writeTflite(exposed));
  let done = 0;
  try {
    for await (const sample of samples) {
      if (sample.length !== g.inputs.length) {
        throw inputError('bad-calibration-sample', `calibration sample ${done} has ${sample.length} tensors, the model takes ${g.inputs.length} (${g.inputs.join(', ')})`);
      }
      const outs = await model.run(sample);
      for (let k = 0; k < names.length; k++) {
        const o = outs[offset + k];
        if (!o) throw internalError(`calibration: LiteRT returned ${outs.length} outputs, expected ${offset + names.length}`);
        observers[k]!.observe(o.data as Float32Array);
      }
      done++;
      opts.onProgress?.(done);
    }
  } finally {
    await model.dispose();
  }
  if (done === 0) throw inputError('no-calibration-samples', 'calibration needs at least one sample; none were given');
  const stats: CalibrationStats = new Map();
  names.forEach((name, k) => {
    const o = observers[k]!;
    const h = (o as { histogram?: StreamingHistogram }).histogram;
    stats.set(name, { name, ...o.result(), ...(h ? { histogram: h } : {}) });
  });
  return stats;
}
