/** Tiny, obviously-correct NHWC reference kernels (float64 accumulation) for the LiteRT oracle tests. */

export interface Arr {
  shape: number[];
  data: ArrayLike<number>;
}

const at4 = (a: Arr, n: number, y: number, x: number, c: number) => {
  const [, h, w, ch] = a.shape as [number, number, number, number];
  return a.data[((n * h + y) * w + x) * ch + c]!;
};

function samePad(size: number, k: number, s: number, d = 1): { out: number; before: number } {
  const out = Math.ceil(size / s);
  const eff = (k - 1) * d + 1;
  const total = Math.max((out - 1) * s + eff - size, 0);
  return { out, before: Math.floor(total / 2) };
}

/** CONV_2D: x NHWC, w OHWI, SAME or VALID. */
export function conv2d(x: Arr, w: Arr, bias: ArrayLike<number> | undefined, stride: number, padding: 'SAME' | 'VALID'): Arr {
  const [n, h, wd, c] = x.shape as [number, number, number, number];
  const [o, kh, kw] = w.shape as [number, number, number, number];
  const ph = padding === 'SAME' ? samePad(h, kh, stride) : { out: Math.floor((h - kh) / stride) + 1, before: 0 };
  const pw = padding === 'SAME' ? samePad(wd, kw, stride) : { out: Math.floor((wd - kw) / stride) + 1, before: 0 };
  const out = new Float32Array(n * ph.out * pw.out * o);
  let i = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < ph.out; oy++)
      for (let ox = 0; ox < pw.out; ox++)
        for (let oc = 0; oc < o; oc++) {
          let s = bias ? bias[oc]! : 0;
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) {
              const iy = oy * stride + ky - ph.before;
              const ix = ox * stride + kx - pw.before;
              if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
              for (let ic = 0; ic < c; ic++) s += at4(x, b, iy, ix, ic) * w.data[((oc * kh + ky) * kw + kx) * c + ic]!;
            }
          out[i++] = s;
        }
  return { shape: [n, ph.out, pw.out, o], data: out };
}

/** DEPTHWISE_CONV_2D (multiplier 1, SAME, stride 1): w is 1×kh×kw×C. */
export function depthwise(x: Arr, w: Arr, bias: ArrayLike<number>): Arr {
  const [n, h, wd, c] = x.shape as [number, number, number, number];
  const [, kh, kw] = w.shape as [number, number, number, number];
  const ph = samePad(h, kh, 1);
  const pw = samePad(wd, kw, 1);
  const out = new Float32Array(n * h * wd * c);
  let i = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < h; oy++)
      for (let ox = 0; ox < wd; ox++)
        for (let ch = 0; ch < c; ch++) {
          let s = bias[ch]!;
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) {
              const iy = oy + ky - ph.before;
              const ix = ox + kx - pw.before;
              if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
              s += at4(x, b, iy, ix, ch) * w.data[(ky * kw + kx) * c + ch]!;
            }
          out[i++] = s;
        }
  return { shape: [n, h, wd, c], data: out };
}

/** VALID pooling with a k×k window and stride k. */
export function pool(x: Arr, k: number, kind: 'max' | 'avg'): Arr {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const oh = Math.floor(h / k);
  const ow = Math.floor(w / k);
  const out = new Float32Array(n * oh * ow * c);
  let i = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ch = 0; ch < c; ch++) {
          let acc = kind === 'max' ? -Infinity : 0;
          for (let ky = 0; ky < k; ky++)
            for (let kx = 0; kx < k; kx++) {
              const v = at4(x, b, oy * k + ky, ox * k + kx, ch);
              acc = kind === 'max' ? Math.max(acc, v) : acc + v;
            }
          out[i++] = kind === 'max' ? acc : acc / (k * k);
        }
  return { shape: [n, oh, ow, c], data: out };
}

/** RESIZE_BILINEAR with align_corners = half_pixel_centers = false (src = dst · in/out). */
export function resizeBilinear(x: Arr, oh: number, ow: number): Arr {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const out = new Float32Array(n * oh * ow * c);
  let i = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        const sy = (oy * h) / oh;
        const sx = (ox * w) / ow;
        const y0 = Math.floor(sy);
        const x0 = Math.floor(sx);
        const y1 = Math.min(y0 + 1, h - 1);
        const x1 = Math.min(x0 + 1, w - 1);
        const fy = sy - y0;
        const fx = sx - x0;
        for (let ch = 0; ch < c; ch++) {
          const top = at4(x, b, y0, x0, ch) * (1 - fx) + at4(x, b, y0, x1, ch) * fx;
          const bot = at4(x, b, y1, x0, ch) * (1 - fx) + at4(x, b, y1, x1, ch) * fx;
          out[i++] = top * (1 - fy) + bot * fy;
        }
      }
  return { shape: [n, oh, ow, c], data: out };
}

/** Softmax over the last axis. */
export function softmax(x: Arr): Arr {
  const c = x.shape[x.shape.length - 1]!;
  const out = new Float32Array(x.data.length);
  for (let r = 0; r < x.data.length / c; r++) {
    let m = -Infinity;
    for (let j = 0; j < c; j++) m = Math.max(m, x.data[r * c + j]!);
    let s = 0;
    for (let j = 0; j < c; j++) s += Math.exp(x.data[r * c + j]! - m);
    for (let j = 0; j < c; j++) out[r * c + j] = Math.exp(x.data[r * c + j]! - m) / s;
  }
  return { shape: x.shape, data: out };
}

/** Generic transpose of a row-major array. */
export function transpose(x: Arr, perm: number[]): Arr {
  const shape = perm.map((p) => x.shape[p]!);
  const inStrides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(x.data.length);
  const idx = new Array(shape.length).fill(0);
  for (let i = 0; i < out.length; i++) {
    let src = 0;
    for (let d = 0; d < shape.length; d++) src += idx[d]! * inStrides[perm[d]!]!;
    out[i] = x.data[src]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return { shape, data: out };
}

/** FULLY_CONNECTED: x [N, I], w [O, I]. */
export function fullyConnected(x: Arr, w: Arr, bias: ArrayLike<number>): Arr {
  const [n, inF] = x.shape as [number, number];
  const o = w.shape[0]!;
  const out = new Float32Array(n * o);
  for (let b = 0; b < n; b++)
    for (let j = 0; j < o; j++) {
      let s = bias[j]!;
      for (let k = 0; k < inF; k++) s += x.data[b * inF + k]! * w.data[j * inF + k]!;
      out[b * o + j] = s;
    }
  return { shape: [n, o], data: out };
}

/** Largest |a − b|. */
export function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
