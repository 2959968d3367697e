/**
 * Seeded pseudo-random numbers (mulberry32 + Box–Muller): the same seed gives
 * the same sample weights and test inputs on every machine.
 */

/** A generator of uniform floats in [0, 1), fully determined by `seed`. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator of standard normal floats (mean 0, std 1), fully determined by `seed`. */
export function seededNormal(seed: number): () => number {
  const u = seededRandom(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const v = spare;
      spare = undefined;
      return v;
    }
    let a = 0;
    while (a === 0) a = u();
    const b = u();
    const r = Math.sqrt(-2 * Math.log(a));
    spare = r * Math.sin(2 * Math.PI * b);
    return r * Math.cos(2 * Math.PI * b);
  };
}

/** `count` floats uniform in [min, max). */
export function uniformFloat32(count: number, seed: number, min = -1, max = 1): Float32Array {
  const r = seededRandom(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = min + (max - min) * r();
  return out;
}

/** `count` floats from a normal distribution N(mean, std²). */
export function normalFloat32(count: number, seed: number, std = 1, mean = 0): Float32Array {
  const r = seededNormal(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = mean + std * r();
  return out;
}
