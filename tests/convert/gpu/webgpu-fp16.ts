/**
 * How close the GPU delegate's fp16 run must be to the wasm (fp32 XNNPACK) run.
 *
 * fp16 keeps 11 significant bits: every value the delegate stores (the input
 * upload, each weight, each intermediate tensor) is rounded with a relative
 * error of at most u = 2^-11 ≈ 4.9e-4 of its own magnitude. The WebGPU
 * delegate accumulates in fp32 on SwiftShader (no `shader-f16`), so the error
 * of one op is a few roundings of values of the op's own magnitude, and an
 * output after L stored intermediates carries ≲ √L·u (independent roundings)
 * to L·u (all aligned) of the magnitudes that flowed into it. Our deepest
 * test model (the encoder–decoder: ≈ 16 stored tensors on its longest path)
 * gives √16·u = 4u typically; we allow 8u = 2^-8 ≈ 3.9e-3 — twice the
 * typical growth, half the worst-case alignment — measured against the
 * output tensor's magnitude max(1, max|wasm|), not per element (a value near
 * zero produced by cancelling O(1) terms carries the O(1) terms' absolute error).
 *
 * Integer outputs must match exactly.
 */
import type { HostTensor } from '../../../src/runtime/types.js';

export const FP16_UNIT_ROUNDOFF = 2 ** -11;
export const GPU_RTOL = 8 * FP16_UNIT_ROUNDOFF;

export interface GpuError {
  /** max |gpu − wasm| over all outputs. */
  maxAbs: number;
  /** max over outputs of maxAbs / (GPU_RTOL · max(1, max|wasm|)); ≤ 1 passes. */
  ratio: number;
  /** First problem found (shape/count mismatch, integer difference, NaN in one run only). */
  problem?: string;
}

export function gpuError(gpu: HostTensor[], wasm: HostTensor[]): GpuError {
  let maxAbs = 0;
  let ratio = 0;
  if (gpu.length !== wasm.length) return { maxAbs: Infinity, ratio: Infinity, problem: `${gpu.length} outputs on webgpu, ${wasm.length} on wasm` };
  for (let k = 0; k < wasm.length; k++) {
    const g = gpu[k]!.data as ArrayLike<number>;
    const w = wasm[k]!.data as ArrayLike<number>;
    const name = wasm[k]!.name;
    if (g.length !== w.length) return { maxAbs: Infinity, ratio: Infinity, problem: `output '${name}': ${g.length} vs ${w.length} elements` };
    const integer = wasm[k]!.dtype !== 'float32';
    let scale = 1;
    for (let i = 0; i < w.length; i++) if (Number.isFinite(w[i]!)) scale = Math.max(scale, Math.abs(w[i]!));
    let err = 0;
    for (let i = 0; i < w.length; i++) {
      const a = Number(g[i]);
      const b = Number(w[i]);
      if (Number.isNaN(a) && Number.isNaN(b)) continue;
      if (a === b) continue;
      if (!Number.isFinite(a) || !Number.isFinite(b)) return { maxAbs: Infinity, ratio: Infinity, problem: `output '${name}'[${i}]: webgpu ${a}, wasm ${b}` };
      const d = Math.abs(a - b);
      if (integer) return { maxAbs: Math.max(maxAbs, d), ratio: Infinity, problem: `output '${name}' (${wasm[k]!.dtype})[${i}]: webgpu ${a}, wasm ${b} (integers must match)` };
      err = Math.max(err, d);
    }
    maxAbs = Math.max(maxAbs, err);
    ratio = Math.max(ratio, err / (GPU_RTOL * scale));
  }
  return { maxAbs, ratio };
}
