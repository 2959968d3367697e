/**
 * The extremes of a float32 run with WebAssembly SIMD (4 lanes, pseudo-min / pseudo-max, which
 * skip NaN): the run is copied into a one-page wasm memory and scanned there, several times faster
 * than a scalar JavaScript loop. Where WebAssembly SIMD is unavailable the same answer comes from
 * a JavaScript loop.
 */

/** Floats scanned per call at most (the run is copied into one 64 KiB wasm page after a 32-byte header). */
export const SIMD_RUN = 16_376;

/**
 * (func (param $p i32) (param $end i32)) scanning the v128s at [$p, $end) (16-byte steps, at least
 * one) into lo = pmin(lo, x), hi = pmax(hi, x) (a NaN lane of x leaves the accumulator as it is),
 * then storing lo at byte 0 and hi at byte 16 of the imported memory.
 */
const F32X4_INF = [0, 0, 0x80, 0x7f, 0, 0, 0x80, 0x7f, 0, 0, 0x80, 0x7f, 0, 0, 0x80, 0x7f];
const F32X4_NEG_INF = [0, 0, 0x80, 0xff, 0, 0, 0x80, 0xff, 0, 0, 0x80, 0xff, 0, 0, 0x80, 0xff];
const BODY = [
  0x01, 0x02, 0x7b, // locals: 2 × v128 (lo = 2, hi = 3)
  0xfd, 0x0c, ...F32X4_INF, 0x21, 0x02, // lo = +Inf
  0xfd, 0x0c, ...F32X4_NEG_INF, 0x21, 0x03, // hi = −Inf
  0x03, 0x40, // loop
  0x20, 0x02, 0x20, 0x00, 0xfd, 0x00, 0x04, 0x00, 0xfd, 0xea, 0x01, 0x21, 0x02, // lo = f32x4.pmin(lo, load p)
  0x20, 0x03, 0x20, 0x00, 0xfd, 0x00, 0x04, 0x00, 0xfd, 0xeb, 0x01, 0x21, 0x03, // hi = f32x4.pmax(hi, load p)
  0x20, 0x00, 0x41, 0x10, 0x6a, 0x22, 0x00, 0x20, 0x01, 0x49, 0x0d, 0x00, // p += 16; br_if p < end
  0x0b, // end loop
  0x41, 0x00, 0x20, 0x02, 0xfd, 0x0b, 0x04, 0x00, // store lo at 0
  0x41, 0x10, 0x20, 0x03, 0xfd, 0x0b, 0x04, 0x00, // store hi at 16
  0x0b, // end
];
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
  0x01, 0x06, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x00, // type: (i32, i32) → ()
  0x02, 0x08, 0x01, 0x01, 0x65, 0x01, 0x6d, 0x02, 0x00, 0x01, // import e.m: memory, 1 page
  0x03, 0x02, 0x01, 0x00, // function 0 has type 0
  0x07, 0x06, 0x01, 0x02, 0x6d, 0x6d, 0x00, 0x00, // export "mm" = function 0
  0x0a, BODY.length + 2, 0x01, BODY.length, ...BODY, // code
]);

interface Kernel {
  heap: Float32Array;
  mm: (p: number, end: number) => void;
}

let kernel: Kernel | null | undefined;

function load(): Kernel | null {
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(MODULE), { e: { m: memory } });
    return { heap: new Float32Array(memory.buffer), mm: instance.exports.mm as Kernel['mm'] };
  } catch {
    return null; // no WebAssembly SIMD here
  }
}

/** Result of the last `runRange` call: the smallest and largest non-NaN values (±Inf included; +Inf / −Inf when every value is NaN). */
export const range = { lo: Infinity, hi: -Infinity };

/** Sets `range` to the extremes of data[from, to), to − from ≤ SIMD_RUN, skipping NaN. */
export function runRange(data: Float32Array, from: number, to: number): void {
  if (kernel === undefined) kernel = load();
  let lo = Infinity;
  let hi = -Infinity;
  let i = from;
  const vectors = (to - from) >> 2;
  if (kernel && vectors > 0) {
    const { heap, mm } = kernel;
    heap.set(data.subarray(from, from + vectors * 4), 8);
    mm(32, 32 + vectors * 16);
    for (let k = 0; k < 4; k++) {
      if (heap[k]! < lo) lo = heap[k]!;
      if (heap[4 + k]! > hi) hi = heap[4 + k]!;
    }
    i = from + vectors * 4;
  }
  for (; i < to; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  range.lo = lo;
  range.hi = hi;
}
