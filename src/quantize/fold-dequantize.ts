/**
 * Turns every DEQUANTIZE of a constant (fp16 or int8 weights, as in Google's
 * models) into a float32 constant under the DEQUANTIZE's output name, so the
 * quantizers see plain float weights. Edits `g` in place (call on a copy).
 */
import type { Graph } from '../ir/graph.js';
import { toFloat32 } from '../ir/dtype.js';
import { isConstant, type Tensor } from '../ir/tensor.js';
import { internalError } from '../core/errors.js';

/** Real values of a constant: float16 decoded, int8/uint8/int16/int32 dequantized with its (per-axis) params. */
export function realValues(t: Tensor): Float32Array {
  if (!t.data) throw internalError(`tensor '${t.name}' is not constant`);
  const raw = toFloat32(t.dtype, t.data);
  const q = t.quant;
  if (!q || q.scale.length === 0 || t.dtype === 'float32' || t.dtype === 'float16') return raw === t.data ? Float32Array.from(raw) : raw;
  const out = new Float32Array(raw.length);
  const axis = q.axis ?? 0;
  const channels = q.scale.length;
  let inner = 1;
  for (let d = axis + 1; d < t.shape.length; d++) inner *= t.shape[d]!;
  for (let i = 0; i < raw.length; i++) {
    const c = channels === 1 ? 0 : Math.floor(i / inner) % channels;
    out[i] = (raw[i]! - (q.zeroPoint[c] ?? 0)) * q.scale[c]!;
  }
  return out;
}

export function foldConstantDequantize(g: Graph): number {
  let folded = 0;
  for (const n of [...g.nodes]) {
    if (n.op !== 'DEQUANTIZE') continue;
    const src = g.tensors.get(n.inputs[0] ?? '');
    const out = g.tensors.get(n.outputs[0] ?? '');
    if (!src || !out || !isConstant(src) || g.outputs.includes(out.name)) continue;
    out.data = realValues(src);
    out.dtype = 'float32';
    delete out.quant;
    g.removeNode(n);
    folded++;
  }
  if (folded) g.pruneTensors();
  return folded;
}
