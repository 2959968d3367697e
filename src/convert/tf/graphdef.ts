/** Frozen GraphDef (.pb) → TfModel: the decoded nodes (functions in its library inlined); inputs are its Placeholders, outputs its sinks. */
import { inputError } from '../../core/errors.js';
import type { TfModel } from './model.js';
import { decodeGraphDef } from './proto/index.js';
import { inlineFunctions } from './inline.js';

export function readGraphDef(bytes: Uint8Array, file: string): TfModel {
  const gd = decodeGraphDef(bytes, file);
  if (!gd.node?.length) throw inputError('tf-decode-failed', `${file} decodes as a GraphDef with no nodes: not a frozen TensorFlow graph`, { file });
  return { format: 'graphdef', file, nodes: inlineFunctions(gd.node, gd.library?.function ?? [], file).nodes, weights: new Map() };
}
