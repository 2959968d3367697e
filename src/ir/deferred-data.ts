/**
 * Constant data computed where it is stored: a tensor whose values are a function of bytes that
 * already exist (a permutation of the source weights) carries that function instead of an array.
 * The TFLite writer calls `fill` on its output buffer, so the values are produced once, in place;
 * anyone who reads `tensor.data` first gets them materialized (once) and the tensor is an
 * ordinary constant from then on. `hasConstData` answers "is it constant?" without materializing.
 */
import { viewAs, type DType, type TypedArray } from './dtype.js';

/** What deferred data attaches to: an IR tensor (structurally, so tensor.ts can import this file). */
type Tensor = { dtype: DType; data?: TypedArray };

export interface DeferredData {
  byteLength: number;
  /** Writes exactly `byteLength` bytes of little-endian values into `dst`. */
  fill(dst: Uint8Array): void;
}

const pending = new WeakMap<Tensor, DeferredData>();

/** Gives `t` deferred data: `t.data` materializes it on first read; assigning `t.data` replaces it. */
export function deferData<T extends Tensor>(t: T, d: DeferredData): T {
  let data = t.data;
  pending.set(t, d);
  Object.defineProperty(t, 'data', {
    enumerable: true,
    configurable: true,
    get() {
      const src = pending.get(t);
      if (src) {
        const bytes = new Uint8Array(src.byteLength);
        src.fill(bytes);
        data = viewAs(t.dtype, bytes);
        pending.delete(t);
      }
      return data;
    },
    set(v) {
      data = v;
      pending.delete(t);
    },
  });
  return t;
}

/** The data of `t` not materialized yet, if any. */
export function deferredData(t: Tensor): DeferredData | undefined {
  return pending.get(t);
}

/** True when `t` has numeric constant data, deferred or not (never materializes it). */
export function hasConstData(t: Tensor): boolean {
  return pending.has(t) || t.data !== undefined;
}
