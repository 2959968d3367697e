/**
 * The extremes of a float32 run with WebAssembly SIMD (4 lanes, pseudo-min / pseudo-max, which
 * skip NaN): the run is copied into a wasm memory page and scanned there, several times faster
 * than a scalar JavaScript loop; optionally, in the same scan, the values outside two thresholds
 * (and NaN) are picked out. Where WebAssembly SIMD is unavailable the same answers come from
 * JavaScript loops.
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
/** Byte address of the list of flagged vectors `mt` writes (the second page). */
const FLAGGED = 65536;
/**
 * (func (param $p i32) (param $end i32) (param $tlo f32) (param $thi f32) (result i32)): the scan
 * of BODY, and the address of every v128 with a lane < $tlo, > $thi or NaN appended as an i32 to
 * the list at FLAGGED; returns the list's length.
 */
const BODY_TAILS = [
  0x02, 0x05, 0x7b, 0x01, 0x7f, // locals: 5 × v128 (lo = 4, hi = 5, x = 6, tlo = 7, thi = 8), 1 × i32 (q = 9)
  0x20, 0x02, 0xfd, 0x13, 0x21, 0x07, // tlo = f32x4.splat($tlo)
  0x20, 0x03, 0xfd, 0x13, 0x21, 0x08, // thi = f32x4.splat($thi)
  0xfd, 0x0c, ...F32X4_INF, 0x21, 0x04, // lo = +Inf
  0xfd, 0x0c, ...F32X4_NEG_INF, 0x21, 0x05, // hi = −Inf
  0x41, 0x80, 0x80, 0x04, 0x21, 0x09, // q = FLAGGED
  0x03, 0x40, // loop
  0x20, 0x00, 0xfd, 0x00, 0x04, 0x00, 0x21, 0x06, // x = load p
  0x20, 0x04, 0x20, 0x06, 0xfd, 0xea, 0x01, 0x21, 0x04, // lo = f32x4.pmin(lo, x)
  0x20, 0x05, 0x20, 0x06, 0xfd, 0xeb, 0x01, 0x21, 0x05, // hi = f32x4.pmax(hi, x)
  0x20, 0x06, 0x20, 0x07, 0xfd, 0x43, // x < tlo
  0x20, 0x06, 0x20, 0x08, 0xfd, 0x44, 0xfd, 0x50, // | x > thi
  0x20, 0x06, 0x20, 0x06, 0xfd, 0x42, 0xfd, 0x50, // | x ≠ x (NaN)
  0xfd, 0x53, 0x04, 0x40, // if any lane
  0x20, 0x09, 0x20, 0x00, 0x36, 0x02, 0x00, // store p at q
  0x20, 0x09, 0x41, 0x04, 0x6a, 0x21, 0x09, // q += 4
  0x0b, // end if
  0x20, 0x00, 0x41, 0x10, 0x6a, 0x22, 0x00, 0x20, 0x01, 0x49, 0x0d, 0x00, // p += 16; br_if p < end
  0x0b, // end loop
  0x41, 0x00, 0x20, 0x04, 0xfd, 0x0b, 0x04, 0x00, // store lo at 0
  0x41, 0x10, 0x20, 0x05, 0xfd, 0x0b, 0x04, 0x00, // store hi at 16
  0x20, 0x09, 0x41, 0x80, 0x80, 0x04, 0x6b, 0x41, 0x02, 0x76, // (q − FLAGGED) >> 2
  0x0b, // end
];

/** Unsigned LEB128 of `n`. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n ? b | 0x80 : b);
  } while (n);
  return out;
}

const CODE = [0x02, ...leb(BODY.length), ...BODY, ...leb(BODY_TAILS.length), ...BODY_TAILS];
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
  0x01, 0x0e, 0x02, 0x60, 0x02, 0x7f, 0x7f, 0x00, // types: 0 = (i32, i32) → ()
  0x60, 0x04, 0x7f, 0x7f, 0x7d, 0x7d, 0x01, 0x7f, // 1 = (i32, i32, f32, f32) → i32
  0x02, 0x08, 0x01, 0x01, 0x65, 0x01, 0x6d, 0x02, 0x00, 0x02, // import e.m: memory, 2 pages
  0x03, 0x03, 0x02, 0x00, 0x01, // function 0 has type 0, function 1 type 1
  0x07, 0x0b, 0x02, 0x02, 0x6d, 0x6d, 0x00, 0x00, 0x02, 0x6d, 0x74, 0x00, 0x01, // export "mm" = 0, "mt" = 1
  0x0a, ...leb(CODE.length), ...CODE, // code
]);

interface Kernel {
  heap: Float32Array;
  list: Int32Array;
  mm: (p: number, end: number) => void;
  mt: (p: number, end: number, tlo: number, thi: number) => number;
}

let kernel: Kernel | null | undefined;

function load(): Kernel | null {
  try {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 2 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(MODULE), { e: { m: memory } });
    return {
      heap: new Float32Array(memory.buffer, 0, FLAGGED / 4),
      list: new Int32Array(memory.buffer, FLAGGED, SIMD_RUN / 4),
      mm: instance.exports.mm as Kernel['mm'],
      mt: instance.exports.mt as Kernel['mt'],
    };
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

/**
 * `runRange`, and every value of data[from, to) outside [tLo, tHi] (NaN included) passed to
 * `outside` in index order, found in the same SIMD scan (only the vectors holding one are
 * looked at in JavaScript).
 */
export function runRangeOutside(data: Float32Array, from: number, to: number, lower: number, upper: number, outside: (v: number) => void): void {
  if (kernel === undefined) kernel = load();
  // the thresholds as float32, as the kernel compares them
  const tLo = Math.fround(lower);
  const tHi = Math.fround(upper);
  const vectors = (to - from) >> 2;
  if (!kernel || vectors === 0) {
    runRange(data, from, to);
    for (let i = from; i < to; i++) if (!(data[i]! >= tLo && data[i]! <= tHi)) outside(data[i]!);
    return;
  }
  const { heap, list, mt } = kernel;
  heap.set(data.subarray(from, from + vectors * 4), 8);
  const flagged = mt(32, 32 + vectors * 16, tLo, tHi);
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < 4; k++) {
    if (heap[k]! < lo) lo = heap[k]!;
    if (heap[4 + k]! > hi) hi = heap[4 + k]!;
  }
  for (let f = 0; f < flagged; f++) {
    const i0 = from + ((list[f]! - 32) >> 2);
    for (let i = i0; i < i0 + 4; i++) if (!(data[i]! >= tLo && data[i]! <= tHi)) outside(data[i]!);
  }
  for (let i = from + vectors * 4; i < to; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (!(v >= tLo && v <= tHi)) outside(v);
  }
  range.lo = lo;
  range.hi = hi;
}
