/**
 * ONNX TensorProto → typed constant data (ONNX element order): raw_data as a
 * zero-copy view into the model bytes when aligned, the typed repeated fields,
 * float16 kept as Uint16Array bits, and external data files.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { inputError } from '../../core/errors.js';
import { allocTyped, DTYPE_SIZE, viewAs, type DType, type TypedArray } from '../../ir/dtype.js';
import { numElements } from '../../ir/tensor.js';
import { bigint, num, type LongLike, type TensorProto } from './proto.js';

/** TensorProto.DataType → IR dtype. */
const ONNX_DTYPE: Record<number, DType> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string',
  9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64',
};

export function onnxDType(code: number): DType | undefined {
  return ONNX_DTYPE[code];
}

export interface ConstData {
  dtype: DType;
  shape: number[];
  data?: TypedArray;
  strings?: string[];
}

export interface TensorReadContext {
  /** Path of the model file (external data paths are relative to its folder). */
  file?: string;
}

export function readExternal(t: TensorProto, ctx: TensorReadContext, byteLength: number): Uint8Array {
  const kv = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const location = kv.get('location');
  if (!location) throw inputError('external-data-missing', `tensor '${t.name}' is stored externally but names no location`, { file: ctx.file });
  const base = ctx.file ? dirname(ctx.file) : process.cwd();
  const path = resolve(base, location);
  const offset = Number(kv.get('offset') ?? 0);
  const length = kv.has('length') ? Number(kv.get('length')) : byteLength;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw inputError('external-data-missing', `external data file for tensor '${t.name}' not found: ${path}`, {
      file: ctx.file,
      hint: 'external data paths are relative to the model file; keep the data file next to the .onnx',
    });
  }
  try {
    const size = fstatSync(fd).size;
    if (length !== byteLength || offset + length > size) {
      throw inputError(
        'external-data-missing',
        `external data for tensor '${t.name}' is short: needs ${byteLength} bytes at offset ${offset} of ${path} (file has ${size}, length field ${length})`,
        { file: ctx.file },
      );
    }
    const out = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, out, got, length - got, offset + got);
      if (n <= 0) break;
      got += n;
    }
    if (got !== length) throw inputError('external-data-missing', `could not read ${length} bytes of '${t.name}' from ${path}`, { file: ctx.file });
    return out;
  } finally {
    closeSync(fd);
  }
}

/** raw_data at an unaligned offset, not yet copied into a typed array (see `lazyConst`). */
const pending = new WeakMap<ConstData, Uint8Array>();

/**
 * Constant data whose raw_data starts at an offset its typed array cannot view: `data` copies the
 * bytes on first read (then keeps the copy), so a model's weights do not all exist twice while
 * importing. Importers that transform the data anyway (conv weights) read `unalignedBytes` instead.
 */
function lazyConst(dtype: DType, shape: number[], raw: Uint8Array): ConstData {
  const c: ConstData = { dtype, shape };
  let data: TypedArray | undefined;
  pending.set(c, raw);
  Object.defineProperty(c, 'data', {
    enumerable: true,
    configurable: true,
    get: () => {
      if (pending.delete(c)) data = viewAs(dtype, raw);
      return data;
    },
    set: (v: TypedArray | undefined) => {
      data = v;
      pending.delete(c);
    },
  });
  return c;
}

/** The raw little-endian bytes of `c` while its data has not been copied into a typed array yet. */
export function unalignedBytes(c: ConstData): Uint8Array | undefined {
  return pending.get(c);
}

/** True when `c` holds numeric data (without copying unaligned bytes). */
export function hasData(c: ConstData | undefined): boolean {
  return c !== undefined && (pending.has(c) || c.data !== undefined);
}

/**
 * The data of `c` for a one-time read: unaligned bytes are copied into a fresh typed array that the
 * caller owns and that `c` does not keep.
 */
export function dataOnce(c: ConstData): TypedArray | undefined {
  const raw = pending.get(c);
  return raw ? viewAs(c.dtype, raw) : c.data;
}

/** Decodes one initializer / Constant value. Throws an Error (caught per node) for unsupported dtypes. */
export function readTensorProto(t: TensorProto, ctx: TensorReadContext = {}): ConstData {
  const dtype = onnxDType(t.dataType ?? 0);
  const shape = (t.dims ?? []).map((d) => num(d as number | LongLike));
  if (!dtype) throw inputError('unsupported-dtype', `tensor '${t.name}' has ONNX data type ${t.dataType}, which mai does not support`);
  const n = numElements(shape);
  if (dtype === 'string') return { dtype, shape, strings: (t.stringData ?? []).map((b) => new TextDecoder().decode(b)) };
  const byteLength = n * DTYPE_SIZE[dtype];
  if (t.dataLocation === 1) {
    return { dtype, shape, data: viewAs(dtype, readExternal(t, ctx, byteLength)) };
  }
  const raw = t.rawData;
  if (raw && raw.byteLength > 0) {
    if (raw.byteLength !== byteLength) {
      throw inputError('invalid-model', `tensor '${t.name}' raw_data has ${raw.byteLength} bytes, shape [${shape}] of ${dtype} needs ${byteLength}`);
    }
    return raw.byteOffset % DTYPE_SIZE[dtype] === 0 ? { dtype, shape, data: viewAs(dtype, raw) } : lazyConst(dtype, shape, raw);
  }
  const out = allocTyped(dtype, n);
  const fill = (src: ArrayLike<number>, field: string) => {
    if (src.length !== n) throw inputError('invalid-model', `tensor '${t.name}' ${field} holds ${src.length} values, shape [${shape}] needs ${n}`);
    for (let i = 0; i < n; i++) (out as Float32Array)[i] = src[i]!;
  };
  switch (dtype) {
    case 'float32':
      fill(t.floatData ?? [], 'float_data');
      break;
    case 'float64':
      fill(t.doubleData ?? [], 'double_data');
      break;
    case 'int32':
    case 'int16':
    case 'int8':
    case 'uint16':
    case 'uint8':
    case 'bool':
    case 'float16': // int32_data holds the IEEE half bits
      fill(t.int32Data ?? [], 'int32_data');
      break;
    case 'int64': {
      const src = t.int64Data ?? [];
      if (src.length !== n) throw inputError('invalid-model', `tensor '${t.name}' int64_data holds ${src.length} values, shape [${shape}] needs ${n}`);
      const o = out as BigInt64Array;
      for (let i = 0; i < n; i++) o[i] = BigInt.asIntN(64, bigint(src[i] as number | LongLike));
      break;
    }
    case 'uint32':
    case 'uint64': {
      const src = t.uint64Data ?? [];
      if (src.length !== n) throw inputError('invalid-model', `tensor '${t.name}' uint64_data holds ${src.length} values, shape [${shape}] needs ${n}`);
      for (let i = 0; i < n; i++) {
        const v = bigint(src[i] as number | LongLike);
        if (dtype === 'uint64') (out as BigUint64Array)[i] = BigInt.asUintN(64, v);
        else (out as Uint32Array)[i] = Number(BigInt.asUintN(32, v));
      }
      break;
    }
  }
  return { dtype, shape, data: out };
}
