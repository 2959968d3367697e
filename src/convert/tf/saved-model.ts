/**
 * TF2 SavedModel directory → TfModel. The chosen signature (serving_default unless named) feeds
 * Placeholders and reads the outputs of a StatefulPartitionedCall into the function library; that
 * call's trailing inputs are VarHandleOps bound (SavedConcreteFunction.bound_inputs) to objects of
 * the SavedObjectGraph, whose checkpoint keys are their first breadth-first paths from the root
 * (`layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE`). The variables are read from the tensor
 * bundle and become constants; the functions are inlined, so the result is a frozen graph.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../../core/errors.js';
import type { ConstData } from '../onnx/tensor-data.js';
import { readBundleIndex, readBundleTensors, variablesPrefix } from './bundle.js';
import { base64Bytes } from './tensor.js';
import { inlineFunctions } from './inline.js';
import type { TfMetaGraphDef, TfModel, TfNodeDef, TfSavedObjectGraph } from './model.js';
import { canonicalTensor } from './node.js';
import { decodeSavedModel } from './proto/index.js';
import { signatureIo } from './signature.js';

/** Variable nodes whose values live in the bundle (TF2: VarHandleOp; TF1: VariableV2 / Variable too). */
const VARIABLE_OPS = new Set(['VarHandleOp', 'VariableV2', 'Variable']);

/** local_name escaping of checkpoint keys (TF's trackable naming): '/' → '.S', '.' → '..'. */
const escape = (n: string) => n.replace(/\./g, '..').replace(/\//g, '.S');

/** Checkpoint key of each object graph node reachable from the root (first breadth-first path). */
function checkpointKeys(og: TfSavedObjectGraph): Map<number, string> {
  const nodes = og.nodes ?? [];
  const path = new Map<number, string[]>([[0, []]]);
  const queue = [0];
  while (queue.length) {
    const id = queue.shift()!;
    for (const c of nodes[id]?.children ?? []) {
      const child = c.nodeId ?? 0;
      if (path.has(child)) continue;
      path.set(child, [...path.get(id)!, escape(c.localName ?? '')]);
      queue.push(child);
    }
  }
  return new Map([...path].map(([id, p]) => [id, `${p.join('/')}/.ATTRIBUTES/VARIABLE_VALUE`]));
}

function pickMetaGraph(metas: TfMetaGraphDef[], file: string): TfMetaGraphDef {
  const m = metas.find((g) => g.metaInfoDef?.tags?.includes('serve')) ?? metas[0];
  if (!m?.graphDef) throw inputError('tf-decode-failed', `${file} holds no meta graph with a graph`, { file });
  return m;
}

export function readSavedModel(bytes: Uint8Array, dir: string, signature = 'serving_default'): TfModel {
  const file = join(dir, 'saved_model.pb');
  const sm = decodeSavedModel(bytes, file);
  const meta = pickMetaGraph(sm.metaGraphs ?? [], file);
  const sigs = meta.signatureDef ?? {};
  const sig = sigs[signature];
  if (!sig) {
    const known = Object.keys(sigs).filter((k) => !k.startsWith('__')).sort();
    throw inputError('unknown-signature', `${file} has no signature '${signature}'; its signatures are: ${known.join(', ') || '(none)'}`, { file, hint: 'pick one with --signature NAME' });
  }
  const graph = meta.graphDef!;
  const og = meta.objectGraphDef ?? {};
  const keys = checkpointKeys(og);
  const varKey = new Map<string, string>();
  const byName = new Map((graph.node ?? []).map((n) => [n.name ?? '', n]));
  for (const n of graph.node ?? []) {
    if (n.op !== 'StatefulPartitionedCall' && n.op !== 'PartitionedCall') continue;
    const bound = og.concreteFunctions?.[n.attr?.f?.func?.name ?? '']?.boundInputs ?? [];
    const ins = (n.input ?? []).filter((i) => !i.startsWith('^')).map(canonicalTensor);
    ins.slice(ins.length - bound.length).forEach((handle, k) => {
      const key = keys.get(bound[k]!);
      if (key && byName.get(handle)?.op === 'VarHandleOp') varKey.set(handle, key);
    });
  }
  // TF1 SavedModels have no object graph: a variable's checkpoint key is its shared_name or node name
  const prefix = variablesPrefix(dir);
  const hasIndex = existsSync(`${prefix}.index`);
  const entries = hasIndex ? readBundleIndex(`${prefix}.index`) : undefined;
  for (const n of graph.node ?? []) {
    if (!VARIABLE_OPS.has(n.op ?? '') || varKey.has(n.name ?? '')) continue;
    const shared = n.attr?.shared_name?.s;
    const key = [shared === undefined ? undefined : Buffer.from(base64Bytes(shared)).toString('utf8'), n.name].find((k) => k && entries?.has(k));
    if (key) varKey.set(n.name ?? '', key);
    else if (!entries) varKey.set(n.name ?? '', n.name ?? '');
  }
  const weights = new Map<string, ConstData>();
  if (varKey.size) {
    if (!entries) {
      throw inputError('tf-variables-missing', `SavedModel ${dir} has no variables/variables.index, but its graph reads ${varKey.size} variables (copy the variables/ folder with saved_model.pb)`, { file: `${prefix}.index` });
    }
    const values = readBundleTensors(prefix, [...varKey.values()], entries);
    for (const [node, key] of varKey) weights.set(node, values.get(key)!);
  }
  // variable handles become constants; ReadVariableOp of them is an identity (ops/identity.ts)
  const nodes: TfNodeDef[] = (graph.node ?? []).map((n) => (weights.has(n.name ?? '') ? { name: n.name, op: 'Const', attr: {} } : n));
  const inlined = inlineFunctions(nodes, graph.library?.function ?? [], file);
  const io = signatureIo(sig);
  return {
    format: 'saved-model',
    file: dir,
    nodes: inlined.nodes,
    weights,
    inputs: io.inputs,
    outputs: io.outputs.map((o) => ({ ...o, tensor: inlined.resolve(o.tensor) })),
    producer: meta.metaInfoDef?.tensorflowVersion ? `TensorFlow ${meta.metaInfoDef.tensorflowVersion}` : undefined,
  };
}
