import { makeImage, type FloatImage } from '../data/image.js';

/** Colour stops of the heat map (0 → black, scale → pale yellow), a perceptually ordered ramp like "magma". */
const STOPS: Array<[number, number, number]> = [
  [0, 0, 4],
  [59, 15, 112],
  [140, 41, 129],
  [222, 73, 104],
  [254, 159, 109],
  [252, 253, 191],
];

export function heatColour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isNaN(t) ? 1 : t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** Per-pixel |a − b| averaged over channels (a, b same size). */
export function absErrorMap(a: FloatImage, b: FloatImage): FloatImage {
  const out = makeImage(a.width, a.height, 1);
  const c = a.channels;
  for (let p = 0; p < out.data.length; p++) {
    let s = 0;
    for (let k = 0; k < c; k++) s += Math.abs(a.data[p * c + k]! - b.data[p * c + k]!);
    out.data[p] = s / c;
  }
  return out;
}

/** An RGB image in [0, 1] colouring `err / scale`. */
export function heatmap(err: FloatImage, scale: number): FloatImage {
  const out = makeImage(err.width, err.height, 3);
  for (let p = 0; p < err.data.length; p++) {
    const [r, g, b] = heatColour(scale > 0 ? err.data[p]! / scale : 0);
    out.data[p * 3] = r / 255;
    out.data[p * 3 + 1] = g / 255;
    out.data[p * 3 + 2] = b / 255;
  }
  return out;
}

export function maxOf(img: FloatImage): number {
  let m = 0;
  for (const v of img.data) if (v > m) m = v;
  return m;
}
