/**
 * A reader for NumPy `.npy` files (format versions 1.0, 2.0 and 3.0):
 * little-endian (or byte-order-free) numeric arrays in C order, returned as
 * float32 with their shape. Every error names the file.
 *
 * Layout (numpy/lib/format.py): magic `\x93NUMPY`, major, minor, header length
 * (uint16 LE for 1.0, uint32 LE for 2.0/3.0), then an ASCII (3.0: UTF-8)
 * Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`
 * padded with spaces and a newline, then the raw data.
 */
import { inputError } from '../../core/errors.js';
import { halfToFloat } from '../../ir/dtype.js';

export interface NpyArray {
  /** the dtype as the file declares it, e.g. `<f4`, `|u1` */
  descr: string;
  shape: number[];
  data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

type Reader = (v: DataView, offset: number) => number;
const READERS: Record<string, { size: number; read: Reader }> = {
  f2: { size: 2, read: (v, o) => halfToFloat(v.getUint16(o, true)) },
  f4: { size: 4, read: (v, o) => v.getFloat32(o, true) },
  f8: { size: 8, read: (v, o) => v.getFloat64(o, true) },
  u1: { size: 1, read: (v, o) => v.getUint8(o) },
  i1: { size: 1, read: (v, o) => v.getInt8(o) },
  b1: { size: 1, read: (v, o) => (v.getUint8(o) ? 1 : 0) },
  u2: { size: 2, read: (v, o) => v.getUint16(o, true) },
  i2: { size: 2, read: (v, o) => v.getInt16(o, true) },
  u4: { size: 4, read: (v, o) => v.getUint32(o, true) },
  i4: { size: 4, read: (v, o) => v.getInt32(o, true) },
  u8: { size: 8, read: (v, o) => Number(v.getBigUint64(o, true)) },
  i8: { size: 8, read: (v, o) => Number(v.getBigInt64(o, true)) },
};

function fail(file: string, msg: string, hint?: string): never {
  throw inputError('npy-invalid', `${file}: ${msg}`, { file, hint });
}

/** The header dict's three fields, read with patterns (the header is a Python literal, not JSON). */
function parseHeader(text: string, file: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    fail(file, `malformed .npy header (need 'descr', 'fortran_order' and 'shape'): ${text.trim().slice(0, 120)}`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number(s.replace(/L$/, '')));
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) fail(file, `malformed shape (${shapeText}) in the .npy header`);
  return { descr, fortran: fortran === 'True', shape };
}

/** Parse the bytes of a `.npy` file; `file` names it in errors. */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail(file, 'not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail(file, 'truncated .npy header');
    headerLen = view.getUint32(8, true);
    start = 12;
  } else fail(file, `unsupported .npy format version ${major}.${bytes[7]} (1.0, 2.0 and 3.0 are read)`);
  if (start + headerLen > bytes.length) fail(file, `truncated .npy header (declares ${headerLen} bytes, file has ${bytes.length - start})`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const { descr, fortran, shape } = parseHeader(header, file);
  if (fortran) fail(file, 'Fortran-order arrays are not read', 'save it in C order (np.ascontiguousarray) first');
  const order = descr[0];
  const code = descr.slice(1);
  const reader = READERS[code];
  // '=' is native order, little-endian on every machine LiteRT runs on here
  if (!reader || !(order === '<' || order === '|' || order === '=')) {
    if (order === '>' && READERS[code] && READERS[code]!.size > 1) fail(file, `big-endian dtype '${descr}' is not read`, "save it little-endian (arr.astype('<f4'))");
    fail(file, `unsupported dtype '${descr}' (float16/32/64, int8–64, uint8–64 and bool are read)`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  const need = count * reader.size;
  if (bytes.length - dataStart < need) fail(file, `truncated data: shape (${shape.join(', ')}) of '${descr}' needs ${need} bytes, the file has ${bytes.length - dataStart}`);
  const data = new Float32Array(count);
  if (code === 'f4' && (bytes.byteOffset + dataStart) % 4 === 0) {
    data.set(new Float32Array(bytes.buffer, bytes.byteOffset + dataStart, count));
  } else {
    for (let i = 0; i < count; i++) data[i] = reader.read(view, dataStart + i * reader.size);
  }
  return { descr, shape, data };
}
