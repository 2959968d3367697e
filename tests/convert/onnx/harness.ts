/**
 * Oracle harness for ONNX import tests: the ONNX model runs in onnxruntime-node, our import is
 * written with writeTflite and runs in LiteRT.js on the same seeded inputs (transposed NCHW → NHWC
 * where the converted input is NHWC). Outputs are compared in ONNX order; the error is
 * max|expected − actual| / (range of expected), and TOLERANCE = 1e-4 of that range.
 */
import { expect } from 'vitest';
import { importOnnx, type OnnxImportOptions } from '../../../src/convert/onnx/import.js';
import { assertValid } from '../../../src/ir/verify.js';
import type { Graph } from '../../../src/ir/graph.js';
import { numElements } from '../../../src/ir/tensor.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import type { HostTensor } from '../../../src/runtime/types.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { uniformFloat32 } from '../../helpers/onnx-builder.js';
import { relativeError } from '../../helpers/tflite-oracle.js';
import { TO_NCHW, TO_NHWC } from '../../../src/convert/onnx/layout.js';
import type { Pass } from '../../../src/convert/passes/pass.js';
import { runPasses } from '../../../src/convert/passes/manager.js';
import { isMaiError, type MaiError } from '../../../src/core/errors.js';
import { permuteData, permuteShape } from '../../../src/ir/ndarray.js';

export const TOLERANCE = 1e-4;

export function opHistogram(g: Graph): Record<string, number> {
  const h: Record<string, number> = {};
  for (const n of g.nodes) h[n.op] = (h[n.op] ?? 0) + 1;
  return h;
}

export interface OracleResult {
  graph: Graph;
  error: number;
  expected: HostTensor[];
  actual: HostTensor[];
}

/**
 * Imports `model`, checks the IR, runs both runtimes on seeded inputs in [lo, hi) and asserts every
 * output agrees within TOLERANCE of its range. `inputShapes` gives ONNX shapes of symbolic inputs.
 * `ortModel`: an equivalent model onnxruntime can run (for opsets it no longer implements).
 */
export async function expectMatchesOrt(
  model: Uint8Array,
  opts: OnnxImportOptions & { seed?: number; range?: [number, number]; tol?: number; ortModel?: Uint8Array; passes?: readonly Pass[] } = {},
): Promise<OracleResult> {
  const g = importOnnx(model, opts);
  assertValid(g, 'ONNX import');
  // `passes`: run on the imported graph before writing (each verified; a pass that throws fails the test)
  for (const r of opts.passes ? runPasses(g, opts.passes, { verify: true }) : []) expect(r.status, r.message).not.toBe('invalid');
  const sig = g.signature!;
  const onnxIn: HostTensor[] = sig.inputs.map((io, i) => {
    const t = g.tensor(io.tensor);
    const onnxShape = t.layout === 'NHWC' ? permuteShape(t.shape, TO_NCHW) : [...t.shape];
    const [lo, hi] = opts.range ?? [-1, 1];
    return { name: io.name, dtype: 'float32', shape: onnxShape, data: uniformFloat32(numElements(onnxShape), (opts.seed ?? 7) * 100 + i, lo, hi) };
  });
  const tflIn: HostTensor[] = onnxIn.map((x, i) => {
    const t = g.tensor(sig.inputs[i]!.tensor);
    if (t.layout !== 'NHWC') return x;
    return { ...x, shape: permuteShape(x.shape, TO_NHWC), data: permuteData('float32', x.data as Float32Array, x.shape, TO_NHWC) as Float32Array };
  });
  const ort = await onnxRuntime.load(opts.ortModel ?? model);
  const expected = await ort.run(onnxIn);
  await ort.dispose();
  const lrt = await liteRtRuntime.load(writeTflite(g));
  const raw = await lrt.run(tflIn);
  await lrt.dispose();
  expect(raw.length).toBe(expected.length);
  let error = 0;
  const actual = raw.map((r, i) => {
    const t = g.tensor(sig.outputs[i]!.tensor);
    if (t.layout !== 'NHWC') return r;
    return { ...r, shape: permuteShape(r.shape, TO_NCHW), data: permuteData('float32', r.data as Float32Array, r.shape, TO_NCHW) as Float32Array };
  });
  for (let i = 0; i < expected.length; i++) {
    expect(actual[i]!.shape, `output ${sig.outputs[i]!.name} shape`).toEqual(expected[i]!.shape);
    const e = relativeError(expected[i]!.data as Float32Array, actual[i]!.data as Float32Array);
    error = Math.max(error, e);
  }
  expect(error, `max error relative to output range`).toBeLessThanOrEqual(opts.tol ?? TOLERANCE);
  return { graph: g, error, expected, actual };
}

/** Both I/O layouts an op test runs with: keepIoLayout false (NHWC I/O) and true (NCHW I/O). */
export const LAYOUTS = [false, true] as const;
export const layoutName = (keep: boolean) => (keep ? 'NCHW I/O' : 'NHWC I/O');

/** The MaiError importing `bytes` fails with (the test fails if the import succeeds). */
export function importRejection(bytes: Uint8Array): MaiError {
  try {
    importOnnx(bytes, { file: 'm.onnx' });
  } catch (e) {
    if (isMaiError(e)) return e;
    throw e;
  }
  throw new Error('expected the import to fail');
}
