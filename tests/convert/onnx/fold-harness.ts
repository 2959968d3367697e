/**
 * Fold oracle: a one-op (or short-chain) ONNX model whose inputs are initializers runs in onnxruntime;
 * our import must fold it into a constant that equals onnxruntime's output exactly (same dtype,
 * shape and bits; float16 compared as decoded values, which the IR stores as float32).
 */
import { expect } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import type { Graph } from '../../../src/ir/graph.js';
import { halfToFloat } from '../../../src/ir/dtype.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import type { HostTensor } from '../../../src/runtime/types.js';

/**
 * The constant data behind graph output `name` (import copies a constant output through one RESHAPE,
 * or a same-type CAST for non-float32 ones: LiteRT returns garbage from a RESHAPE of such a constant).
 */
export function foldedOutput(g: Graph, name: string): { dtype: string; shape: number[]; values: Array<number | bigint> } {
  const t = g.tensor(name);
  const producer = g.nodes.find((n) => n.outputs.includes(name));
  const src = t.data ? t : producer && isOutputCopy(g, producer.op, producer.inputs[0]!, name) ? g.tensor(producer.inputs[0]!) : undefined;
  expect(src?.data, `output ${name} is a folded constant`).toBeDefined();
  return { dtype: src!.dtype, shape: [...t.shape], values: Array.from(src!.data as ArrayLike<number | bigint>) };
}

function isOutputCopy(g: Graph, op: string, from: string, to: string): boolean {
  return op === 'RESHAPE' || (op === 'CAST' && g.tensor(from).dtype === g.tensor(to).dtype);
}

function ortValues(r: HostTensor): Array<number | bigint> {
  const d = r.data as ArrayLike<number | bigint>;
  if (r.dtype === 'float16') return Array.from(d as ArrayLike<number>, (h) => halfToFloat(h));
  if (r.dtype === 'bool') return Array.from(d as ArrayLike<number>, (b) => (b ? 1 : 0));
  return Array.from(d);
}

const IR_DTYPE: Record<string, string> = { float16: 'float32', bool: 'bool' };

/**
 * Runs `model` (inputs `feeds`, normally none) in onnxruntime and imports it: every graph output must
 * be a folded constant equal to onnxruntime's, and the graph must hold no op but the output copies.
 */
export async function expectFoldsLikeOrt(model: Uint8Array, feeds: HostTensor[] = []): Promise<Graph> {
  const ort = await onnxRuntime.load(model);
  const expected = await ort.run(feeds);
  await ort.dispose();
  const g = importOnnx(model);
  const copies = g.nodes.filter((n) => isOutputCopy(g, n.op, n.inputs[0]!, n.outputs[0]!) && g.outputs.includes(n.outputs[0]!));
  expect(g.nodes.filter((n) => !copies.includes(n)).map((n) => n.op), 'no op emitted besides output copies').toEqual([]);
  expect(copies.length).toBe(expected.length);
  for (const e of expected) {
    const got = foldedOutput(g, e.name);
    expect(got.shape, `${e.name} shape`).toEqual(e.shape);
    expect(got.dtype, `${e.name} dtype`).toBe(IR_DTYPE[e.dtype] ?? e.dtype);
    const want = ortValues(e);
    // exact (String: bigints and numbers alike, NaN equal to NaN)
    expect(got.values.map(String), `${e.name} values`).toEqual(want.map(String));
  }
  return g;
}
