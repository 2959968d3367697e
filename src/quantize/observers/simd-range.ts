/**
 * The extremes of a float32 run with WebAssembly SIMD (4 lanes, pseudo-min / pseudo-max, which
 * skip NaN): the run is copied into a wasm memory page and scanned there, several times faster
 * than a scalar JavaScript loop; optionally, in the same scan, the values outside two thresholds
 * (and NaN) are picked out. Where WebAssembly SIMD is unavailable the same answers come from
 * JavaScript loops.
 */

/** Floats per unrolled step of the kernels: four v128s, each with its own accumulators. */
const STEP = 16;

/** Floats scanned per call at most (the run is copied into one 64 KiB wasm page after a 32-byte header; a multiple of STEP). */
export const SIMD_RUN = 16_368;

/** Byte address of the list of flagged steps `mt` writes (the second page). */
const FLAGGED = 65536;

const F32X4_INF = [0, 0, 0x80, 0x7f, 0, 0, 0x80, 0x7f, 0, 0, 0x80, 0x7f, 0, 0, 0x80, 0x7f];
const F32X4_NEG_INF = [0, 0, 0x80, 0xff, 0, 0, 0x80, 0xff, 0, 0, 0x80, 0xff, 0, 0, 0x80, 0xff];

// wasm instructions used below (the SIMD ones after their 0xfd prefix)
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const tee = (i: number) => [0x22, i];
const v128Const = (bytes: number[]) => [0xfd, 0x0c, ...bytes];
const v128Load = (offset: number) => [0xfd, 0x00, 0x04, offset]; // v128.load align 16, offset < 128
const store = [0xfd, 0x0b, 0x04, 0x00];
const PMIN = [0xfd, 0xea, 0x01];
const PMAX = [0xfd, 0xeb, 0x01];
const F32X4_LE = [0xfd, 0x45];
const F32X4_GE = [0xfd, 0x46];
const F32X4_SPLAT = [0xfd, 0x13];
const AND = [0xfd, 0x4e];
const ALL_TRUE = [0xfd, 0xa3, 0x01]; // i32x4.all_true
const range4 = [0, 1, 2, 3];

/**
 * The shared part of both kernels, with the v128 locals lo0..3 at `lo`, hi0..3 at `lo + 4` and
 * x0..3 at `lo + 8`: `init` sets the accumulators to ±Inf; `step` loads the four v128s at $p (local
 * 0) into x0..3 and folds them into their own accumulators (pmin / pmax: a NaN lane of x leaves
 * the accumulator as it is); `next` is p += 64 and the branch back while p < $end (local 1); `fold`
 * stores the combined lo at byte 0 and hi at byte 16.
 */
function scanParts(lo: number) {
  const hi = lo + 4;
  const x = lo + 8;
  return {
    init: [...v128Const(F32X4_INF), ...tee(lo), ...tee(lo + 1), ...tee(lo + 2), ...set(lo + 3), ...v128Const(F32X4_NEG_INF), ...tee(hi), ...tee(hi + 1), ...tee(hi + 2), ...set(hi + 3)],
    step: range4.flatMap((j) => [...get(0), ...v128Load(16 * j), ...set(x + j), ...get(lo + j), ...get(x + j), ...PMIN, ...set(lo + j), ...get(hi + j), ...get(x + j), ...PMAX, ...set(hi + j)]),
    next: [...get(0), 0x41, 0xc0, 0x00, 0x6a, ...tee(0), ...get(1), 0x49, 0x0d, 0x00], // p += 64; br_if p < end
    fold: [
      0x41, 0x00, ...get(lo), ...get(lo + 1), ...PMIN, ...get(lo + 2), ...get(lo + 3), ...PMIN, ...PMIN, ...store,
      0x41, 0x10, ...get(hi), ...get(hi + 1), ...PMAX, ...get(hi + 2), ...get(hi + 3), ...PMAX, ...PMAX, ...store,
    ],
  };
}

/**
 * (func (param $p i32) (param $end i32)): the extremes of the floats at [$p, $end) ($end − $p a
 * positive multiple of 64 bytes), lo stored at byte 0 and hi at byte 16 of the imported memory.
 * Four independent accumulator pairs keep the pmin / pmax chains from bounding the speed.
 */
const MM = scanParts(2);
const BODY = [
  0x01, 0x0c, 0x7b, // locals: 12 × v128 (lo0..3 = 2..5, hi0..3 = 6..9, x0..3 = 10..13)
  ...MM.init,
  0x03, 0x40, ...MM.step, ...MM.next, 0x0b, // loop … end
  ...MM.fold,
  0x0b,
];

/**
 * (func (param $p i32) (param $end i32) (param $tlo f32) (param $thi f32) (result i32)): the scan
 * of BODY, and the address of every 64-byte step holding a value < $tlo, > $thi or NaN (a lane not
 * within [$tlo, $thi]) appended as an i32 to the list at FLAGGED; returns the list's length.
 */
const MT = scanParts(4);
const TLO = 16;
const THI = 17;
const Q = 18;
const inside = (j: number) => [...get(12 + j), ...get(TLO), ...F32X4_GE, ...get(12 + j), ...get(THI), ...F32X4_LE, ...AND];
const BODY_TAILS = [
  0x02, 0x0e, 0x7b, 0x01, 0x7f, // locals: 14 × v128 (lo0..3 = 4..7, hi0..3 = 8..11, x0..3 = 12..15, tlo = 16, thi = 17), 1 × i32 (q = 18)
  ...get(2), ...F32X4_SPLAT, ...set(TLO),
  ...get(3), ...F32X4_SPLAT, ...set(THI),
  ...MT.init,
  0x41, 0x80, 0x80, 0x04, ...set(Q), // q = FLAGGED
  0x03, 0x40, // loop
  ...MT.step,
  ...inside(0), ...inside(1), ...AND, ...inside(2), ...inside(3), ...AND, ...AND, ...ALL_TRUE, 0x45, // not every lane within
  0x04, 0x40, ...get(Q), ...get(0), 0x36, 0x02, 0x00, ...get(Q), 0x41, 0x04, 0x6a, ...set(Q), 0x0b, // if: store p at q; q += 4
  ...MT.next,
  0x0b, // end loop
  ...MT.fold,
  ...get(Q), 0x41, 0x80, 0x80, 0x04, 0x6b, 0x41, 0x02, 0x76, // (q − FLAGGED) >> 2
  0x0b,
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
  const scanned = (to - from) - ((to - from) % STEP);
  if (kernel && scanned > 0) {
    const { heap, mm } = kernel;
    heap.set(data.subarray(from, from + scanned), 8);
    mm(32, 32 + scanned * 4);
    for (let k = 0; k < 4; k++) {
      if (heap[k]! < lo) lo = heap[k]!;
      if (heap[4 + k]! > hi) hi = heap[4 + k]!;
    }
    i = from + scanned;
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
 * `outside` in index order, found in the same SIMD scan (only the 16-value steps holding one are
 * looked at in JavaScript).
 */
export function runRangeOutside(data: Float32Array, from: number, to: number, lower: number, upper: number, outside: (v: number) => void): void {
  if (kernel === undefined) kernel = load();
  // the thresholds as float32, as the kernel compares them
  const tLo = Math.fround(lower);
  const tHi = Math.fround(upper);
  const scanned = (to - from) - ((to - from) % STEP);
  if (!kernel || scanned === 0) {
    runRange(data, from, to);
    for (let i = from; i < to; i++) if (!(data[i]! >= tLo && data[i]! <= tHi)) outside(data[i]!);
    return;
  }
  const { heap, list, mt } = kernel;
  heap.set(data.subarray(from, from + scanned), 8);
  const flagged = mt(32, 32 + scanned * 4, tLo, tHi);
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < 4; k++) {
    if (heap[k]! < lo) lo = heap[k]!;
    if (heap[4 + k]! > hi) hi = heap[4 + k]!;
  }
  for (let f = 0; f < flagged; f++) {
    const i0 = from + ((list[f]! - 32) >> 2);
    for (let i = i0; i < i0 + STEP; i++) if (!(data[i]! >= tLo && data[i]! <= tHi)) outside(data[i]!);
  }
  for (let i = from + scanned; i < to; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (!(v >= tLo && v <= tHi)) outside(v);
  }
  range.lo = lo;
  range.hi = hi;
}
