/**
 * A TF graph as a reference model for `mai validate`: the graph (any of the three formats) in
 * TensorFlow.js, its inputs and outputs as the signature or Placeholders declare them (an unknown
 * batch dim as 1, as `mai convert` sets it).
 */
import { loadTfjs } from '../../runtime/tfjs.js';
import type { LoadedModel } from '../../runtime/types.js';
import { graphIo } from './import.js';
import type { TfIo } from './model.js';
import { loadTfModel } from './load.js';
import { TfNode } from './node.js';
import { tfjsArtifacts } from './tfjs-artifacts.js';

export async function loadTfReference(bytes: Uint8Array, file: string): Promise<LoadedModel> {
  const model = loadTfModel(bytes, file);
  const io = graphIo(model);
  const byName = new Map(model.nodes.map((n) => [n.name ?? '', n]));
  const detail = (x: TfIo) => {
    const node = byName.get(x.tensor.split(':')[0]!);
    const p = node?.op === 'Placeholder' ? new TfNode(node) : undefined;
    return { name: x.tensor, dtype: x.dtype ?? p?.dtype('dtype') ?? 'float32', shape: (x.shape ?? p?.shape('shape') ?? []).map((d) => d ?? 1) };
  };
  const artifacts = tfjsArtifacts(model, io.outputs.map((o) => o.tensor), io.inputs.map((i) => i.tensor));
  return loadTfjs(artifacts, { inputs: io.inputs.map(detail), outputs: io.outputs.map(detail) });
}
