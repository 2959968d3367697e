import { Builder } from 'flatbuffers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignedByteVector } from '../../src/tflite/fb-write.js';
import { LeafPool } from '../../src/tflite/leaf-pool.js';

type LeafSpec = { kind: 'str'; s: string } | { kind: 'i32' | 'f32' | 'i64'; values: number[] };

const leafSpec: fc.Arbitrary<LeafSpec> = fc.oneof(
  fc.record({ kind: fc.constant('str' as const), s: fc.string({ minLength: 0, maxLength: 14 }) }),
  fc.record({ kind: fc.constantFrom('i32' as const, 'f32' as const), values: fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('i64' as const), values: fc.array(fc.integer({ min: -128, max: 127 }), { maxLength: 3 }) }),
);

function register(pool: LeafPool, l: LeafSpec): number {
  if (l.kind === 'str') return pool.string(l.s);
  return l.kind === 'i32' ? pool.int32s(l.values) : l.kind === 'f32' ? pool.float32s(l.values) : pool.int64s(l.values);
}

/** The bytes a leaf's object holds (its length prefix excluded), read back from the builder. */
function readBack(b: Builder, offset: number, l: LeafSpec): unknown {
  const bb = b.dataBuffer();
  const at = bb.capacity() - offset;
  const n = bb.readUint32(at);
  if (l.kind === 'str') return new TextDecoder().decode(bb.bytes().subarray(at + 4, at + 4 + n)) + (bb.readUint8(at + 4 + n) === 0 ? '' : '<no terminator>');
  const size = l.kind === 'i64' ? 8 : 4;
  if ((at + 4) % size !== 0) return 'misaligned';
  return Array.from({ length: n }, (_, i) =>
    l.kind === 'i64' ? Number(bb.readInt64(at + 4 + 8 * i)) : l.kind === 'f32' ? bb.readFloat32(at + 4 + 4 * i) : bb.readInt32(at + 4 + 4 * i),
  );
}

const expected = (l: LeafSpec) => (l.kind === 'str' ? l.s : l.values);

describe('LeafPool', () => {
  it('writes equal values once: the same bytes give the same object, other bytes another', () => {
    const b = new Builder(256);
    const pool = new LeafPool(b);
    const a = pool.int32s([1, 2, 3]);
    expect(pool.int32s([1, 2, 3])).toBe(a);
    expect(pool.int32s([1, 2, 4])).not.toBe(a);
    expect(pool.string('x')).toBe(pool.string('x'));
    // a string and a byte vector of the same bytes are different objects (the string has its terminator)
    expect(pool.string('ab')).not.toBe(pool.bytes(new TextEncoder().encode('ab')));
    // 0 and -0 are different float32 bytes
    expect(pool.float32s([0])).not.toBe(pool.float32s([-0]));
    expect(pool.at(a)).toBe(pool.at(a));
    expect(readBack(b, pool.at(a), { kind: 'i32', values: [] })).toEqual([1, 2, 3]);
  });

  it('fills the padding in front of 16-aligned vectors for free: every vector lands where it would without the leaves, and every leaf reads back', () => {
    fc.assert(
      fc.property(fc.array(leafSpec, { maxLength: 30 }), fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 12 }), (leaves, lengths) => {
        const plain = new Builder(64);
        const plainAt = lengths.map((n) => alignedByteVector(plain, new Uint8Array(n).fill(n & 255), 16));

        const b = new Builder(64);
        const pool = new LeafPool(b);
        const ids = leaves.map((l) => register(pool, l));
        const at = lengths.map((n) => {
          pool.fillGap(n, 16);
          return alignedByteVector(b, new Uint8Array(n).fill(n & 255), 16);
        });
        expect(at).toEqual(plainAt);
        const offsets = ids.map((id) => pool.at(id));
        leaves.forEach((l, i) => expect(readBack(b, offsets[i]!, l)).toEqual(expected(l)));
        lengths.forEach((n, i) => {
          const start = b.dataBuffer().capacity() - at[i]!;
          expect(b.dataBuffer().readUint32(start)).toBe(n);
          expect(Array.from(b.dataBuffer().bytes().subarray(start + 4, start + 4 + n))).toEqual(new Array<number>(n).fill(n & 255));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('puts small leaves into the 12-byte gaps between buffers whose sizes are multiples of 16', () => {
    const b = new Builder(1024);
    const pool = new LeafPool(b);
    const scales = [0.5, 0.25, 0.125].map((s) => pool.float32s([s])); // 8 bytes each
    for (let i = 0; i < 4; i++) {
      pool.fillGap(32, 16);
      alignedByteVector(b, new Uint8Array(32), 16);
    }
    const before = b.offset();
    scales.forEach((id) => pool.at(id));
    // all three went into gaps: asking for them now writes nothing
    expect(b.offset()).toBe(before);
  });
});
