import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/quantize/calib-data/npy.js';
import { MaiError } from '../../src/core/errors.js';

/**
 * .npy files written byte by byte from the format spec (numpy/lib/format.py, NEP 1):
 * magic \x93NUMPY, version, little-endian header length (u16 in 1.0, u32 in 2.0),
 * an ASCII dict padded with spaces to a 64-byte boundary and ending in '\n', then the data.
 */
function npy(version: 1 | 2, header: string, data: number[]): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  let h = header;
  while ((pre + h.length + 1) % 64 !== 0) h += ' ';
  h += '\n';
  const bytes = [0x93, ...Buffer.from('NUMPY'), version, 0];
  if (version === 1) bytes.push(h.length & 0xff, h.length >> 8);
  else bytes.push(h.length & 0xff, (h.length >> 8) & 0xff, 0, 0);
  return Uint8Array.from([...bytes, ...Buffer.from(h, 'latin1'), ...data]);
}

const errorOf = (f: () => unknown): MaiError => {
  try {
    f();
  } catch (e) {
    return e as MaiError;
  }
  throw new Error('expected an error');
};

describe('NPY reader', () => {
  it('v1.0 float32 (2, 3): 1.5, -2, 0.25, 0, 1, 3 from their IEEE bytes', () => {
    // 1.5 = 3FC00000, -2 = C0000000, 0.25 = 3E800000, 0, 1 = 3F800000, 3 = 40400000 (little-endian)
    const data = [0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0x80, 0x3e, 0, 0, 0, 0, 0, 0, 0x80, 0x3f, 0, 0, 0x40, 0x40];
    const a = parseNpy(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", data), 'a.npy');
    expect(a.shape).toEqual([2, 3]);
    expect(a.descr).toBe('<f4');
    expect(Array.from(a.data)).toEqual([1.5, -2, 0.25, 0, 1, 3]);
  });

  it('v2.0 (u32 header length) float64, uint8, int16, int64, 1-d and 0-d shapes', () => {
    // float64 1.5 = 3FF8000000000000, -0.5 = BFE0000000000000
    const f8 = parseNpy(npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", [0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 0, 0, 0, 0, 0, 0, 0xe0, 0xbf]), 'b.npy');
    expect(f8.shape).toEqual([2]);
    expect(Array.from(f8.data)).toEqual([1.5, -0.5]);
    const u1 = parseNpy(npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2, 2), }", [0, 127, 128, 255]), 'c.npy');
    expect(u1.shape).toEqual([1, 2, 2]);
    expect(Array.from(u1.data)).toEqual([0, 127, 128, 255]);
    const i2 = parseNpy(npy(1, "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", [0xfe, 0xff, 0x00, 0x01]), 'd.npy');
    expect(Array.from(i2.data)).toEqual([-2, 256]);
    const i8 = parseNpy(npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 'e.npy');
    expect(Array.from(i8.data)).toEqual([-1]);
    const scalar = parseNpy(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", [0, 0, 0x80, 0x3f]), 'f.npy');
    expect(scalar.shape).toEqual([]);
    expect(Array.from(scalar.data)).toEqual([1]);
  });

  it('reads an unaligned view of a larger buffer (data offset not a multiple of 4)', () => {
    const file = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", [0, 0, 0xc0, 0x3f]);
    const big = new Uint8Array(file.length + 1);
    big.set(file, 1);
    expect(Array.from(parseNpy(big.subarray(1), 'g.npy').data)).toEqual([1.5]);
  });

  const bad: Array<[string, Uint8Array, RegExp]> = [
    ['no magic', Uint8Array.from(Buffer.from('PK\x03\x04 not numpy at all')), /bad\.npy: not a \.npy file/],
    ['big-endian', npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", [0x3f, 0x80, 0, 0]), /bad\.npy: big-endian dtype '>f4'/],
    ['Fortran order', npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", [0, 0, 0x80, 0x3f]), /bad\.npy: Fortran-order/],
    ['complex dtype', npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", [0, 0, 0, 0, 0, 0, 0, 0]), /bad\.npy: unsupported dtype '<c8'/],
    ['truncated data', npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", [0, 0, 0x80, 0x3f]), /bad\.npy: truncated data: shape \(4\) of '<f4' needs 16 bytes, the file has 4/],
    ['no shape', npy(1, "{'descr': '<f4', 'fortran_order': False}", []), /bad\.npy: malformed \.npy header/],
    ['version 9', Uint8Array.from([0x93, ...Buffer.from('NUMPY'), 9, 0, 0, 0, 0, 0]), /unsupported \.npy format version 9\.0/],
  ];
  for (const [name, bytes, msg] of bad) {
    it(`rejects ${name} with an exit-2 error naming the file`, () => {
      const e = errorOf(() => parseNpy(bytes, 'bad.npy'));
      expect(e).toBeInstanceOf(MaiError);
      expect(e.exit).toBe(2);
      expect(e.file).toBe('bad.npy');
      expect(e.message).toMatch(msg);
    });
  }
});
