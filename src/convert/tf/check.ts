/**
 * `mai convert --check` for TF graphs: the source graph in TensorFlow.js (model.json as it is; a frozen
 * GraphDef or SavedModel through the same inlined graph as tfjs artifacts) and the .tflite in LiteRT,
 * on the seeded uniform [0,1) inputs and with the tolerance rule of the ONNX check (check.ts).
 */
import type { Graph } from '../../ir/graph.js';
import { numElements } from '../../ir/tensor.js';
import { uniformFloat32 } from '../../core/random.js';
import { inputError, internalError } from '../../core/errors.js';
import { liteRtRuntime } from '../../runtime/litert.js';
import { runTfjs } from '../../runtime/tfjs.js';
import type { HostTensor } from '../../runtime/types.js';
import { outputCheck, type CheckReport } from '../check-rule.js';
import { graphIo } from './import.js';
import type { TfModel } from './model.js';
import { tfjsArtifacts } from './tfjs-artifacts.js';

export async function checkTfConversion(model: TfModel, tflite: Uint8Array, graph: Graph, opts: { seed?: number; outputs?: readonly string[] } = {}): Promise<CheckReport> {
  const seed = opts.seed ?? 1234;
  const io = graphIo(model, opts.outputs);
  if (io.inputs.length !== graph.inputs.length) throw internalError(`TF graph has ${io.inputs.length} inputs, the converted model ${graph.inputs.length}`);
  const feeds: HostTensor[] = graph.inputs.map((name, i) => {
    const t = graph.tensor(name);
    const u = uniformFloat32(numElements(t.shape), seed + i, 0, 1);
    // integer inputs (uint8-range images, e.g. MoveNet's int32 image): the same draws scaled to 0…255
    if (t.dtype === 'int32') return { name: io.inputs[i]!.tensor, dtype: 'int32', shape: t.shape, data: Int32Array.from(u, (v) => Math.floor(v * 256)) };
    if (t.dtype !== 'float32') throw inputError('unsupported-input', `--check feeds float32 and int32 inputs; input '${name}' is ${t.dtype}`);
    return { name: io.inputs[i]!.tensor, dtype: 'float32', shape: t.shape, data: u };
  });
  const artifacts = tfjsArtifacts(model, io.outputs.map((o) => o.tensor), io.inputs.map((i) => i.tensor));
  const ref = await runTfjs(artifacts, feeds, io.outputs.map((o) => o.tensor));
  const cand = await liteRtRuntime.load(tflite);
  let out: HostTensor[];
  try {
    out = await cand.run(feeds.map((f, i) => ({ ...f, name: graph.inputs[i]! })));
  } finally {
    await cand.dispose();
  }
  const outputs = graph.outputs.map((name, i) => outputCheck(graph.signature?.outputs[i]?.name ?? name, Float32Array.from(ref[i]!.data as ArrayLike<number>, Number), Float32Array.from(out[i]!.data as ArrayLike<number>, Number)));
  return { seed, reference: 'tfjs-cpu', candidate: cand.runtime, outputs, float16Reference: false, pass: outputs.every((o) => o.pass) };
}
