/**
 * Oracle for ops whose inputs are run-time values of any dtype (Gather indices, ConstantOfShape
 * shapes, Range bounds): onnxruntime runs the ONNX model on the given feeds; the converted model
 * (convert(): import + passes) runs in LiteRT.js on the same values, int64 / float16 I/O carried
 * through LiteRT's CAST (the conformance io-adapter). Shapes must be equal and values identical
 * (these ops only move or generate data; Range accumulates in the same type as onnxruntime).
 */
import { expect } from 'vitest';
import { convert } from '../../../src/convert/index.js';
import type { Graph } from '../../../src/ir/graph.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import type { HostTensor } from '../../../src/runtime/types.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { adaptIo } from '../conformance/io-adapter.js';

/** A feed in ONNX terms: int64 values as numbers (sent to onnxruntime as BigInt64Array). */
export interface Feed {
  name: string;
  dtype: 'float32' | 'int32' | 'int64';
  shape: number[];
  data: number[];
}

function ortTensor(f: Feed): HostTensor {
  const data = f.dtype === 'int64' ? BigInt64Array.from(f.data.map(BigInt)) : f.dtype === 'int32' ? Int32Array.from(f.data) : Float32Array.from(f.data);
  return { name: f.name, dtype: f.dtype, shape: f.shape, data };
}

/** The converted model (I/O adapted to LiteRT.js dtypes), loaded. */
export async function loadConverted(model: Uint8Array): Promise<{ graph: Graph; run: (feeds: Feed[]) => Promise<HostTensor[]>; dispose: () => Promise<void> }> {
  const { graph } = convert({ bytes: model, file: 'm.onnx', keepIoLayout: true, verifyPasses: true });
  const adapted = adaptIo(graph);
  expect(adapted.impossible).toBeUndefined();
  const m = await liteRtRuntime.load(writeTflite(graph));
  const inputs = m.inputs();
  return {
    graph,
    run: (feeds) =>
      m.run(
        inputs.map((d, i) => {
          const f = feeds[i]!;
          return { name: d.name, dtype: d.dtype, shape: f.shape, data: d.dtype === 'int32' ? Int32Array.from(f.data) : Float32Array.from(f.data) };
        }),
      ),
    dispose: () => m.dispose(),
  };
}

/** onnxruntime's outputs for `feeds`, or the error it throws. */
export async function ortRun(model: Uint8Array, feeds: Feed[]): Promise<HostTensor[]> {
  const ort = await onnxRuntime.load(model);
  try {
    return await ort.run(feeds.map(ortTensor));
  } finally {
    await ort.dispose();
  }
}

/** Runs both and expects the same shapes and identical values; returns the converted graph. */
export async function expectSameAsOrt(model: Uint8Array, feedSets: Feed[][]): Promise<Graph> {
  const lrt = await loadConverted(model);
  try {
    for (const feeds of feedSets) {
      const want = await ortRun(model, feeds);
      const got = await lrt.run(feeds);
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) {
        expect(got[i]!.shape, `output ${i} shape for ${JSON.stringify(feeds.map((f) => f.data))}`).toEqual(want[i]!.shape);
        expect(Array.from(got[i]!.data as ArrayLike<number>, Number), `output ${i} values`).toEqual(Array.from(want[i]!.data as ArrayLike<number | bigint>, Number));
      }
    }
    return lrt.graph;
  } finally {
    await lrt.dispose();
  }
}
