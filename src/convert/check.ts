import type { Graph } from '../ir/graph.js';
import { allocTyped, floatToHalf, halfToFloat, toFloat32 } from '../ir/dtype.js';
import { emptyIo } from './onnx/empty.js';
import { numElements } from '../ir/tensor.js';
import { uniformFloat32 } from '../core/random.js';
import { nchwToNhwc, nhwcToNchw } from '../core/layout.js';
import { inputError, internalError } from '../core/errors.js';
import { onnxRuntime } from '../runtime/onnxruntime.js';
import { liteRtRuntime } from '../runtime/litert.js';
import type { HostTensor, LoadedModel } from '../runtime/types.js';
import { CHECK_REL_TOL, CHECK_REL_TOL_FP16_REFERENCE, outputCheck, type CheckReport, type OutputCheck } from './check-rule.js';
import { detectFormat } from '../core/model-format.js';
import { referenceModels } from './onnx/reference.js';

export { CHECK_MIN_COSINE, CHECK_REL_TOL, CHECK_REL_TOL_FP16_REFERENCE, outputCheck, type CheckReport, type OutputCheck } from './check-rule.js';

/**
 * Runs the check; `graph` is the converted IR (its I/O layout tags say which tensors were moved to NHWC).
 * `outputs`: the conversion kept only these (`--outputs`), so the references compute exactly them.
 */
export async function checkConversion(source: Uint8Array, tflite: Uint8Array, graph: Graph, opts: CheckOptions = {}): Promise<CheckReport> {
  // LiteRT.js is WebAssembly with 32-bit memory: above 2 GiB its load fails ("offset is out of bounds")
  if (tflite.byteLength > LITERT_MAX_BYTES) {
    throw inputError('model-too-large', `--check runs the .tflite in LiteRT.js (WebAssembly, 32-bit memory), which cannot load a ${(tflite.byteLength / 2 ** 30).toFixed(2)} GiB model`, {
      file: opts.file,
      hint: 'convert without --check; the file is in TFLite\'s large-model layout, which native TFLite runtimes load',
    });
  }
  const cand = await liteRtRuntime.load(tflite);
  try {
    return await checkCandidate(source, graph, cand, opts);
  } finally {
    await cand.dispose();
  }
}

/** The largest .tflite LiteRT.js loads (its WebAssembly heap addresses 2 GiB of model bytes). */
export const LITERT_MAX_BYTES = 2 ** 31 - 1;

export interface CheckOptions {
  file?: string;
  seed?: number;
  outputs?: readonly string[];
  /** The judged limit per output as a fraction of its range (default CHECK_REL_TOL; a GPU run in fp16 passes CHECK_REL_TOL_FP16_REFERENCE). */
  relTol?: number;
}

/**
 * The check with any runner of the converted model (LiteRT here, the WebGPU delegate in Chromium in
 * tests): `cand.run` gets the seeded inputs in the converted graph's layout and returns its outputs in order.
 */
export async function checkCandidate(source: Uint8Array, graph: Graph, cand: Pick<LoadedModel, 'runtime' | 'run'>, opts: CheckOptions = {}): Promise<CheckReport> {
  const seed = opts.seed ?? 1234;
  const relTol = opts.relTol ?? CHECK_REL_TOL;
  const refs = referenceModels(source, { file: opts.file, outputs: opts.outputs });
  const written = await onnxRuntime.load(refs.asWritten.bytes, { file: refs.asWritten.file });
  const float = refs.float ? await onnxRuntime.load(refs.float.bytes) : undefined;
  try {
    // ONNX inputs / outputs with no elements are not in the .tflite (src/convert/onnx/empty.ts): the
    // reference is fed them empty, and its left-out outputs must come back empty with the recorded shape
    const empty = emptyIo(graph);
    const refInputs = written.inputs().filter((d) => !empty.inputs.some((e) => e.name === d.name));
    if (refInputs.length !== graph.inputs.length) throw internalError(`reference has ${refInputs.length} inputs, converted model ${graph.inputs.length}`);
    const candFeeds: HostTensor[] = [];
    const refData: Array<{ data: Float32Array; shape: number[] }> = [];
    const float16Reference = refInputs.some((d) => d.dtype === 'float16');
    graph.inputs.forEach((name, i) => {
      const t = graph.tensor(name);
      if (t.dtype !== 'float32') throw inputError('unsupported-input', `--check feeds float32 inputs only; input '${name}' is ${t.dtype}`);
      const refDtype = refInputs[i]!.dtype;
      if (refDtype !== 'float32' && refDtype !== 'float16' && refDtype !== 'float64') throw inputError('unsupported-input', `--check feeds float inputs only; ONNX input '${refInputs[i]!.name}' is ${refDtype}`);
      let data = uniformFloat32(numElements(t.shape), seed + i, 0, 1);
      // an fp16 source input: every model gets the same (fp16-representable) values
      if (refDtype === 'float16') data = Float32Array.from(Uint16Array.from(data, floatToHalf), halfToFloat);
      const moved = t.layout === 'NHWC' && t.shape.length === 4;
      candFeeds.push({ name, dtype: 'float32', shape: t.shape, data });
      refData.push({ data: moved ? nhwcToNchw(data, t.shape) : data, shape: moved ? [t.shape[0]!, t.shape[3]!, t.shape[1]!, t.shape[2]!] : t.shape });
    });
    /** Runs one reference on the same values, each input in the dtype that model declares. */
    const runReference = async (ref: LoadedModel) => {
      const declared = ref.inputs().filter((d) => !empty.inputs.some((e) => e.name === d.name));
      const feeds: HostTensor[] = declared.map((d, i) => {
        const { data, shape } = refData[i]!;
        if (d.dtype === 'float16') return { name: d.name, dtype: 'float16', shape, data: Uint16Array.from(data, floatToHalf) };
        // a float64 input (imported as float32: src/convert/onnx/float64.ts) gets the same float32 values widened
        if (d.dtype === 'float64') return { name: d.name, dtype: 'float64', shape, data: Float64Array.from(data) };
        return { name: d.name, dtype: 'float32', shape, data };
      });
      for (const e of empty.inputs) feeds.push({ name: e.name, dtype: e.dtype, shape: e.shape, data: allocTyped(e.dtype, 0) as HostTensor['data'] });
      // the runtime takes its feeds in the model's input order
      return ref.run(ref.inputs().map((d) => feeds.find((f) => f.name === d.name)!));
    };
    const candOut = await cand.run(candFeeds);
    const compare = (refOut: HostTensor[], tol: number): OutputCheck[] => {
      const leftOut: OutputCheck[] = empty.outputs.flatMap((e) => {
        const r = refOut.find((o) => o.name === e.name);
        const same = r && numElements(r.shape) === 0 && r.shape.length === e.shape.length && r.shape.every((d, k) => d === e.shape[k]);
        return same ? [] : [{ name: e.name, maxAbs: Infinity, meanAbs: Infinity, rmse: Infinity, cosine: 0, sqnrDb: -Infinity, range: 0, limit: 0, pass: false }];
      });
      const keptRef = refOut.filter((o) => !empty.outputs.some((e) => e.name === o.name));
      const checks: OutputCheck[] = graph.outputs.map((name, i) => {
        const t = graph.tensor(name);
        const r = keptRef[i]!;
        const c = candOut[i]!;
        const moved = t.layout === 'NHWC' && (t.shape.length === 4 || t.shape.length === 3);
        const rData = r.dtype === 'float16' ? toFloat32('float16', r.data as Uint16Array) : Float32Array.from(r.data as ArrayLike<number>, Number);
        // a 3-D channels-last output (--channels-last-outputs) is [N,C,L] → [N,L,C]: NCHW → NHWC with W = 1
        const refAligned = moved ? nchwToNhwc(rData, r.shape.length === 3 ? [...r.shape, 1] : r.shape) : rData;
        return outputCheck(name, refAligned, Float32Array.from(c.data as ArrayLike<number>, Number), tol);
      });
      return [...checks, ...leftOut];
    };
    const writtenOut = await runReference(written);
    if (!float) {
      const outputs = compare(writtenOut, float16Reference ? Math.max(relTol, CHECK_REL_TOL_FP16_REFERENCE) : relTol);
      return { seed, reference: written.runtime, candidate: cand.runtime, outputs, float16Reference, pass: outputs.every((o) => o.pass) };
    }
    // judged against the float32 computation; the source as written is reported beside it
    const outputs = compare(await runReference(float), relTol);
    const asWritten = compare(writtenOut, float16Reference ? Math.max(relTol, CHECK_REL_TOL_FP16_REFERENCE) : relTol);
    return { seed, reference: written.runtime, candidate: cand.runtime, outputs, float16Reference: false, floatReference: refs.float!.what, asWritten, pass: outputs.every((o) => o.pass) };
  } finally {
    await written.dispose();
    await float?.dispose();
  }
}

/**
 * `--check` for any source `mai convert` takes: an ONNX model in onnxruntime, a TF graph (model.json,
 * frozen GraphDef, SavedModel) in TensorFlow.js (tf/check.ts) — same inputs, same tolerance rule.
 */
export async function checkSource(
  source: Uint8Array,
  tflite: Uint8Array,
  graph: Graph,
  opts: { file?: string; seed?: number; signature?: string; outputs?: readonly string[] } = {},
): Promise<CheckReport> {
  if (detectFormat(source, opts.file) !== 'tf-graph') return checkConversion(source, tflite, graph, opts);
  const { loadTfModel } = await import('./tf/load.js');
  const { checkTfConversion } = await import('./tf/check.js');
  return checkTfConversion(loadTfModel(source, opts.file ?? 'model', { signature: opts.signature }), tflite, graph, opts);
}
