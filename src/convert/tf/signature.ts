/** A SignatureDef's inputs and outputs as graph tensors, sorted by key (TF's own order for signatures). */
import type { TfIo, TfSignatureDef } from './model.js';
import { canonicalTensor } from './node.js';
import { tfDType, tfShape } from './tensor.js';

export function signatureIo(sig: TfSignatureDef): { inputs: TfIo[]; outputs: TfIo[] } {
  const list = (m: TfSignatureDef['inputs']): TfIo[] =>
    Object.entries(m ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, info]) => ({ name: key, tensor: canonicalTensor(info.name ?? key), dtype: tfDType(info.dtype), shape: tfShape(info.tensorShape) }));
  return { inputs: list(sig.inputs), outputs: list(sig.outputs) };
}
