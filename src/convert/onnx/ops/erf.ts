/**
 * Erf (outside the GELU form, which patterns/gelu.ts fuses into one GELU) → ops the GPU delegate takes:
 *
 *   c = MAXIMUM(MINIMUM(x, 4), −4)       s = c·¼        u = s·s   (= x²/16, exact: ¼ is a power of two)
 *   erf(x) ≈ c · (P(u) / Q(u))           P of degree 6, Q of degree 4, each by Horner (MUL, ADD)
 *
 * The rational function is the float32 erf approximation of Eigen and XLA (x·α(x²)/β(x²) with x clamped
 * to [−4, 4]; coefficients as published in TensorFlow's MLIR `MaterializeErfApproximationF32`, "the same
 * approximation as used in Eigen"). Here its coefficients are rescaled by 16^k (α_k·16^k, β_k·16^k for
 * the power u^k), exact in float32, so that every coefficient and intermediate lies in [0.014, 1]: the
 * float16 arithmetic of the GPU delegate neither underflows α₆ = −2.7e−10 nor overflows x¹² = 1.7e7.
 * Dividing P/Q before multiplying by c keeps tiny (even subnormal) x from underflowing.
 *
 * Accuracy (measured in float32 op by op, as TFLite runs these ops, against a double-precision erf, on
 * every 1e−5 step of [−10, 10] and 46 000 log-spaced |x| in [1e−45, 10]): max |error| 4.3e−7 (at
 * |x| ≈ 3.57, where erf ≈ 1 − 3e−7: 7.2 float32 ulps), max relative error 4.3e−7 for normal x; the worst
 * point uses 4.3e−4 of the ONNX test tolerance (atol 1e−7 + rtol 1e−3). Beyond |x| = 4 the result is the
 * rational at ±4, which is exactly ±1 in float32 (as erf(x) rounds to there); ±∞ → ±1, NaN → NaN.
 * The GPU delegate runs these ops in float16 when allowed: the result is then good to float16 precision.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitBinary } from './binary.js';

/** α (numerator) and β (denominator) coefficients, highest power of x² first. */
const ALPHA = [-2.72614225801306e-10, 2.77068142495902e-8, -2.10102402082508e-6, -5.69250639462346e-5, -7.34990630326855e-4, -2.95459980854025e-3, -1.60960333262415e-2];
const BETA = [-1.45660718464996e-5, -2.13374055278905e-4, -1.68282697438203e-3, -7.37332916720468e-3, -1.42647390514189e-2];
/** |x| beyond which the approximation is held constant. */
const CLAMP = 4;

/** The coefficients for u = (x/4)²: c_k·16^k for the power u^k (float32 first, then the exact power-of-two scaling). */
const scaled = (c: number[]): number[] => c.map((v, i) => Math.fround(v) * 16 ** (c.length - 1 - i));

/** Shape-independent: a float input (ONNX also allows integer Erf, whose result would only be −1, 0 or 1). */
export function checkErf(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  if (!ctx.has(x)) return;
  const d = ctx.dtype(x);
  if (d !== 'float32' && d !== 'float16' && d !== 'float64') ctx.fail('unsupported-dtype', `Erf node '${node.name}' on ${d} input '${x}': only float Erf is converted`);
}

export function importErf(ctx: ImportContext, node: OnnxNode): void {
  checkErf(ctx, node);
  const x = node.input(0);
  const v = (s: string) => `${node.name}__erf_${s}`;
  const scalar = (s: string, value: number) => {
    ctx.defineConst(v(s), { dtype: 'float32', shape: [], data: Float32Array.of(value) });
    return v(s);
  };
  // x second: TFLite's reference MINIMUM / MAXIMUM return the second operand when the comparison fails
  // (el1 < el2 ? el1 : el2), so a NaN x propagates there as in XNNPack's (IEEE min/max) kernels
  emitBinary(ctx, 'MINIMUM', scalar('hi', CLAMP), x, v('upper'));
  emitBinary(ctx, 'MAXIMUM', scalar('lo', -CLAMP), v('upper'), v('clamped'));
  emitBinary(ctx, 'MUL', v('clamped'), scalar('quarter', 1 / CLAMP), v('s'));
  emitBinary(ctx, 'MUL', v('s'), v('s'), v('u'));
  const horner = (name: string, coeffs: number[]): string => {
    let acc = scalar(`${name}0`, coeffs[0]!);
    for (let k = 1; k < coeffs.length; k++) {
      emitBinary(ctx, 'MUL', v('u'), acc, v(`${name}${k}_mul`));
      emitBinary(ctx, 'ADD', v(`${name}${k}_mul`), scalar(`${name}${k}`, coeffs[k]!), v(`${name}${k}_add`));
      acc = v(`${name}${k}_add`);
    }
    return acc;
  };
  const p = horner('p', scaled(ALPHA));
  const q = horner('q', scaled(BETA));
  emitBinary(ctx, 'DIV', p, q, v('ratio'));
  emitBinary(ctx, 'MUL', v('clamped'), v('ratio'), node.outputs[0]!);
}
