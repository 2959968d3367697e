/**
 * Exact 64-bit I/O for LiteRT.js (which feeds and returns float32 / int32 / uint8 only): each int64 /
 * uint64 graph input is fed as int32 pairs [..., 2] (little-endian low, high words) and BITCAST to its
 * type; each 64-bit output is BITCAST back to int32 pairs. No value is narrowed, so every bit of the
 * converted model's 64-bit arithmetic is observed.
 */
import { convert } from '../../../src/convert/index.js';
import type { DType } from '../../../src/ir/dtype.js';
import type { Graph } from '../../../src/ir/graph.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import type { HostTensor } from '../../../src/runtime/types.js';
import { writeTflite } from '../../../src/tflite/writer.js';

const WIDE: ReadonlySet<DType> = new Set<DType>(['int64', 'uint64']);

function pairIo(g: Graph): void {
  const sig = g.signature;
  g.inputs = g.inputs.map((name) => {
    const t = g.tensor(name);
    if (!WIDE.has(t.dtype)) return name;
    const fed = g.uniqueName(`${name}_pairs`);
    g.addTensor({ name: fed, dtype: 'int32', shape: [...t.shape, 2], layout: 'plain' });
    g.nodes.unshift({ name: g.uniqueName(`${name}_from_pairs`), op: 'BITCAST', inputs: [fed], outputs: [name], attrs: {} });
    if (sig) for (const s of sig.inputs) if (s.tensor === name) s.tensor = fed;
    return fed;
  });
  g.outputs = g.outputs.map((name) => {
    const t = g.tensor(name);
    if (!WIDE.has(t.dtype)) return name;
    const ret = g.uniqueName(`${name}_pairs`);
    g.addTensor({ name: ret, dtype: 'int32', shape: [...t.shape, 2], layout: 'plain' });
    g.nodes.push({ name: g.uniqueName(`${name}_to_pairs`), op: 'BITCAST', inputs: [name], outputs: [ret], attrs: {} });
    if (sig) for (const s of sig.outputs) if (s.tensor === name) s.tensor = ret;
    return ret;
  });
}

export interface Feed {
  name: string;
  dtype: 'int64' | 'uint64' | 'int32' | 'uint8' | 'float32';
  shape: number[];
  values: ReadonlyArray<bigint | number>;
}

function typed(f: Feed): HostTensor['data'] {
  switch (f.dtype) {
    case 'int64': return BigInt64Array.from(f.values, (v) => BigInt.asIntN(64, BigInt(v)));
    case 'uint64': return BigUint64Array.from(f.values, (v) => BigInt.asUintN(64, BigInt(v))) as unknown as BigInt64Array;
    case 'int32': return Int32Array.from(f.values, Number);
    case 'uint8': return Uint8Array.from(f.values, Number);
    case 'float32': return Float32Array.from(f.values, Number);
  }
}

/** Output values: integers as bigints (64-bit outputs read back from their int32 pairs, reinterpreted as `dtype`), floats as numbers. */
function values(t: HostTensor, dtype: DType): Array<bigint | number> {
  if (dtype === 'float32') return Array.from(t.data as Float32Array);
  if (WIDE.has(dtype) && t.dtype === 'int32') {
    const words = Int32Array.from(t.data as Int32Array);
    const wide = dtype === 'uint64' ? new BigUint64Array(words.buffer) : new BigInt64Array(words.buffer);
    return Array.from(wide);
  }
  return Array.from(t.data as ArrayLike<number | bigint>, (v) => (dtype === 'uint64' ? BigInt.asUintN(64, BigInt(v)) : BigInt(v)));
}

/** `values` of a tensor of `shape` transposed by `perm` (row-major). */
function permute<T>(values: readonly T[], shape: readonly number[], perm: readonly number[]): T[] {
  const outShape = perm.map((p) => shape[p]!);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out: T[] = new Array<T>(values.length);
  const idx = new Array<number>(outShape.length).fill(0);
  for (let k = 0; k < values.length; k++) {
    out[k] = values[idx.reduce((a, v, j) => a + v * strides[perm[j]!]!, 0)]!;
    for (let j = outShape.length - 1; j >= 0 && ++idx[j]! === outShape[j]; j--) idx[j] = 0;
  }
  return out;
}

/**
 * Our conversion (full pipeline) run in LiteRT.js on `feeds` (ONNX order): every output in ONNX order
 * (integers as bigints), and the converted model's ops. `nhwcIo`: the default conversion, whose 4-D
 * I/O is NHWC (feeds and outputs transposed here); otherwise NCHW I/O like the ONNX model.
 */
export async function runConverted(bytes: Uint8Array, feeds: Feed[], nhwcIo = false): Promise<{ outputs: Array<Array<bigint | number>>; ops: string[] }> {
  const { graph } = convert({ bytes, file: 'test.onnx', keepIoLayout: !nhwcIo, verifyPasses: true });
  const outTypes = graph.outputs.map((o) => graph.tensor(o).dtype);
  const nhwc = (t: string) => graph.tensor(t).layout === 'NHWC' && graph.tensor(t).shape.length === 4;
  const inNhwc = graph.inputs.map(nhwc);
  const outShapes = graph.outputs.map((o) => (nhwc(o) ? [...graph.tensor(o).shape] : undefined));
  const ops = graph.nodes.map((n) => n.op);
  pairIo(graph);
  const m = await liteRtRuntime.load(writeTflite(graph));
  try {
    const got = await m.run(
      feeds.map((f0, i) => {
        const f = inNhwc[i] ? { ...f0, shape: [0, 2, 3, 1].map((p) => f0.shape[p]!), values: permute(f0.values, f0.shape, [0, 2, 3, 1]) } : f0;
        if (!WIDE.has(f.dtype)) return { name: f.name, dtype: f.dtype, shape: f.shape, data: typed(f) };
        const words = new Int32Array((typed(f) as BigInt64Array).slice().buffer);
        return { name: f.name, dtype: 'int32', shape: [...f.shape, 2], data: words };
      }),
    );
    const outputs = got.map((t, i) => values(t, outTypes[i]!));
    return { outputs: outputs.map((v, i) => (outShapes[i] ? permute(v, outShapes[i]!, [0, 3, 1, 2]) : v)), ops };
  } finally {
    await m.dispose();
  }
}

/** onnxruntime on the same feeds, every output like runConverted's. */
export async function runOrt(bytes: Uint8Array, feeds: Feed[], outTypes: DType[]): Promise<Array<Array<bigint | number>>> {
  const m = await onnxRuntime.load(bytes);
  try {
    const got = await m.run(feeds.map((f) => ({ name: f.name, dtype: f.dtype, shape: f.shape, data: typed(f) })));
    return got.map((t, i) => values(t, outTypes[i]!));
  } finally {
    await m.dispose();
  }
}
