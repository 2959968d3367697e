/**
 * Gradient magnitude by first derivatives of a Gaussian (the filter of the
 * DIM / Rhemann et al. Grad metric): hx(i, j) = G(i)·G'(j) on a square of
 * half-size ceil(σ·sqrt(−2·ln(sqrt(2π)·σ·ε))), ε = 0.01 (σ = 1.4 → 9×9),
 * normalised to unit L2 norm; hy = hxᵀ. Borders replicate the edge pixel.
 */
export function gaussDerivativeKernel(sigma: number): { size: number; hx: Float64Array } {
  const eps = 1e-2;
  const half = Math.ceil(sigma * Math.sqrt(-2 * Math.log(Math.sqrt(2 * Math.PI) * sigma * eps)));
  const size = 2 * half + 1;
  const g = (x: number) => Math.exp(-(x * x) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
  const dg = (x: number) => (-x * g(x)) / (sigma * sigma);
  const hx = new Float64Array(size * size);
  let norm = 0;
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++) {
      const v = g(i - half) * dg(j - half);
      hx[i * size + j] = v;
      norm += v * v;
    }
  norm = Math.sqrt(norm);
  for (let i = 0; i < hx.length; i++) hx[i]! /= norm;
  return { size, hx };
}

/** |∇(G_σ ∗ img)| per pixel of a single-channel w×h image. */
export function gaussGradientMagnitude(data: Float32Array, w: number, h: number, sigma: number): Float64Array {
  const { size, hx } = gaussDerivativeKernel(sigma);
  const half = (size - 1) >> 1;
  const out = new Float64Array(w * h);
  const clampi = (v: number, hi: number) => (v < 0 ? 0 : v > hi ? hi : v);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let gx = 0;
      let gy = 0;
      for (let i = 0; i < size; i++) {
        const yy = clampi(y + i - half, h - 1);
        for (let j = 0; j < size; j++) {
          const xx = clampi(x + j - half, w - 1);
          const v = data[yy * w + xx]!;
          // correlation with hx (x-derivative along columns j) and hy = hxᵀ
          gx += hx[i * size + j]! * v;
          gy += hx[j * size + i]! * v;
        }
      }
      out[y * w + x] = Math.sqrt(gx * gx + gy * gy);
    }
  return out;
}
