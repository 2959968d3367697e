/**
 * TF graph (any of the three formats, see model.ts) → IR. Resolves the inputs (signature or
 * Placeholders) and their shapes, keeps the nodes the outputs need (so `--outputs` cuts the graph),
 * orders them, walks them through the TF op table and reports every node it cannot convert at once.
 * TF is NHWC already: 4-D values stay NHWC from input to output, with no layout round trip.
 */
import { inputError, unsupportedModel, type NodeDiagnostic } from '../../core/errors.js';
import { isMaiError } from '../../core/errors.js';
import { Graph } from '../../ir/graph.js';
import { ImportContext, NodeUnsupported, TF_BATCH_NOTE_KEY } from '../onnx/context.js';
import { dynamicShapeError, type DynamicInput } from '../onnx/input-shape.js';
import type { ConstData } from '../onnx/tensor-data.js';
import { TF_ONNX_OPSET, TfContext } from './context.js';
import { TF_FORMAT_NAME, type TfIo, type TfModel, type TfNodeDef } from './model.js';
import { canonicalTensor, TfNode } from './node.js';
import { findTfImporter, TF_REFUSED } from './ops/index.js';
import { orderNodes } from './order.js';
import { foldDilatedConvs } from './patterns/dilated-conv.js';
import { foldPrelus } from './patterns/prelu.js';
import { foldHardSwishes } from './patterns/hard-swish.js';
import { tfDType, tfShape } from './tensor.js';

export interface TfImportOptions {
  /** Input shapes by signature / Placeholder name (with or without ':0'). */
  inputShapes?: Record<string, number[]>;
  /** Graph tensors to end the graph at (`--outputs`), instead of the signature's outputs. */
  outputs?: readonly string[];
}


interface ResolvedInput {
  io: TfIo;
  node: TfNodeDef;
  shape: number[];
}

function inputsOf(model: TfModel, byName: Map<string, TfNodeDef>): TfIo[] {
  if (model.inputs?.length) return model.inputs;
  return model.nodes.filter((n) => n.op === 'Placeholder').map((n) => ({ name: n.name ?? '', tensor: n.name ?? '' }));
}

/** Output tensors: --outputs, else the signature's, else every tensor no node reads (sinks). */
function outputsOf(model: TfModel, opts: TfImportOptions, byName: Map<string, TfNodeDef>): TfIo[] {
  if (opts.outputs?.length) {
    return opts.outputs.map((o) => {
      const tensor = canonicalTensor(o);
      if (!byName.has(tensor.split(':')[0]!)) throw inputError('unknown-output', `--outputs names '${o}', which is not a node of ${model.file}`, { file: model.file });
      return { name: tensor, tensor };
    });
  }
  if (model.outputs?.length) return model.outputs;
  const read = new Set(model.nodes.flatMap((n) => (n.input ?? []).map((i) => canonicalTensor(i).split(':')[0]!)));
  const sinks = model.nodes.filter((n) => !read.has(n.name ?? '') && n.op !== 'NoOp' && n.op !== 'Const' && n.op !== 'Placeholder');
  if (!sinks.length) throw inputError('invalid-model', `${model.file} has no output: every node's result is read by another node`, { file: model.file });
  return sinks.map((n) => ({ name: n.name ?? '', tensor: n.name ?? '' }));
}

function resolveInputs(model: TfModel, ios: TfIo[], byName: Map<string, TfNodeDef>, overrides: Record<string, number[]>, g: Graph): ResolvedInput[] {
  const file = model.file;
  const byKey = new Map<string, TfIo>();
  for (const io of ios) {
    byKey.set(io.name, io);
    byKey.set(io.tensor, io);
  }
  const unknown = Object.keys(overrides).filter((k) => !byKey.has(canonicalTensor(k)));
  if (unknown.length) {
    throw inputError('unknown-input', `--input-shape names ${unknown.map((n) => `'${n}'`).join(', ')}, which ${unknown.length > 1 ? 'are not inputs' : 'is not an input'} of the model; its inputs are: ${ios.map((i) => i.name).join(', ')}`, { file });
  }
  const given = new Map(Object.entries(overrides).map(([k, v]) => [byKey.get(canonicalTensor(k))!, v]));
  const dynamic: DynamicInput[] = [];
  const batchOne: string[] = [];
  const out: ResolvedInput[] = [];
  for (const io of ios) {
    const node = byName.get(io.tensor.split(':')[0]!);
    if (!node) throw inputError('invalid-model', `input '${io.name}' names tensor '${io.tensor}', which no node of ${file} produces`, { file });
    const declared = io.shape ?? tfShape(node.attr?.shape?.shape);
    const o = given.get(io);
    let shape: number[];
    if (o) {
      if (declared && declared.length !== o.length) throw inputError('shape-mismatch', `--input-shape ${io.name}=${o.join(',')} has rank ${o.length}, the model declares rank ${declared.length} [${declared.map((d) => d ?? '?').join(',')}]`, { file });
      declared?.forEach((d, i) => {
        if (d !== null && d !== o[i]) throw inputError('shape-mismatch', `--input-shape ${io.name}=${o.join(',')} conflicts with the model's static dim ${i} = ${d}`, { file });
      });
      shape = [...o];
    } else if (!declared || declared.slice(1).some((d) => d === null)) {
      dynamic.push({ name: io.name, dims: declared?.map((d) => d ?? undefined) });
      continue;
    } else {
      if (declared[0] === null) batchOne.push(io.name);
      shape = declared.map((d) => d ?? 1);
    }
    out.push({ io, node, shape });
  }
  if (dynamic.length) throw dynamicShapeError(dynamic, file);
  if (batchOne.length) g.metadata.set(TF_BATCH_NOTE_KEY, `the unknown batch dim of ${batchOne.map((n) => `'${n}'`).join(', ')} was set to 1 (give --input-shape to choose another)`);
  return out;
}

function constValue(model: TfModel, node: TfNode): ConstData {
  const w = model.weights.get(node.name);
  if (w) return w;
  try {
    const v = node.tensor('value');
    if (v) return v;
  } catch (e) {
    throw new NodeUnsupported('unsupported-dtype', (e as Error).message);
  }
  throw new NodeUnsupported('invalid-model', `Const '${node.name}' has no value attribute and no weight in ${model.file}`);
}

/** The graph's input and output tensors as the importer resolves them (signature, Placeholders, `--outputs`). */
export function graphIo(model: TfModel, outputs?: readonly string[]): { inputs: TfIo[]; outputs: TfIo[] } {
  const byName = new Map(model.nodes.map((n) => [n.name ?? '', n]));
  return { inputs: inputsOf(model, byName), outputs: outputsOf(model, { outputs }, byName) };
}

export function importTf(model: TfModel, opts: TfImportOptions = {}): Graph {
  const file = model.file;
  const byName = new Map<string, TfNodeDef>();
  for (const n of model.nodes) {
    if (byName.has(n.name ?? '')) throw inputError('invalid-model', `${file}: node name '${n.name}' is used twice`, { file });
    byName.set(n.name ?? '', n);
  }
  const g = new Graph();
  g.description = `converted by mai from a ${TF_FORMAT_NAME[model.format]}${model.producer ? ` (${model.producer})` : ''}`;
  g.metadata.set('source_format', model.format === 'tfjs' ? 'tfjs' : model.format === 'graphdef' ? 'tf-graphdef' : 'tf-saved-model');
  const ctx = new ImportContext(g, TF_ONNX_OPSET);
  const t = new TfContext(ctx);

  const ios = inputsOf(model, byName);
  const inputs = resolveInputs(model, ios, byName, opts.inputShapes ?? {}, g);
  const outputs = outputsOf(model, opts, byName);
  const inputNodes = new Set(inputs.map((i) => i.node.name ?? ''));
  const constOf = (tensor: string): number[] | undefined => {
    const def = byName.get(tensor);
    if (def?.op !== 'Const') return undefined;
    try {
      const c = constValue(model, new TfNode(def));
      return c.data ? Array.from(c.data as ArrayLike<number | bigint>, Number) : undefined;
    } catch {
      return undefined;
    }
  };
  const scalarOf = (tensor: string) => {
    const v = constOf(tensor);
    return v?.length === 1 ? v[0] : undefined;
  };
  const nodes = foldDilatedConvs(foldHardSwishes(foldPrelus(model.nodes), scalarOf), constOf);
  const rewritten = new Map(nodes.map((n) => [n.name ?? '', n]));
  const order = orderNodes(rewritten, outputs.map((o) => o.tensor.split(':')[0]!), inputNodes, file);

  const inputIo: Array<{ name: string; tensor: string }> = [];
  for (const inp of inputs) {
    const name = inp.io.tensor;
    const dtype = tfDType(inp.node.attr?.dtype?.type) ?? inp.io.dtype ?? 'float32';
    const tensor = t.define(name, dtype, inp.shape);
    g.inputs.push(tensor);
    inputIo.push({ name: inp.io.name, tensor });
  }

  const diagnostics: NodeDiagnostic[] = [];
  const poisoned = new Set<string>();
  // the untaken side of a folded Switch (tensors), and every node fed by it (all its outputs)
  const deadTensors = new Set<string>();
  const deadNodes = new Set<string>();
  const isDead = (tensor: string) => deadTensors.has(tensor) || deadNodes.has(tensor.split(':')[0]!);
  for (const def of order) {
    const node = new TfNode(def);
    t.node = node;
    if (inputNodes.has(node.name)) continue;
    const report = (reason: NodeDiagnostic['reason'], message: string) => {
      diagnostics.push({ reason, node: node.name, opType: node.op, message });
      poisoned.add(node.name);
    };
    const blocked = node.inputs.some((i) => poisoned.has(i.split(':')[0]!));
    if (node.op === 'Merge') {
      // the one live input of a Merge whose Switch folded
      const live = node.inputs.filter((i) => !isDead(i));
      if (live.length !== 1) report('unsupported-op', `Merge with ${live.length} live inputs: only a Merge whose Switch predicate is a constant converts`);
      else if (!blocked) {
        t.alias(node.output(), live[0]!);
        t.defineConst(node.output(1), { dtype: 'int32', shape: [], data: Int32Array.of(node.inputs.indexOf(live[0]!)) });
      }
      continue;
    }
    if (node.inputs.some(isDead)) {
      deadNodes.add(node.name);
      continue;
    }
    try {
      if (node.op === 'Const') {
        if (!blocked) t.defineConst(node.name, constValue(model, node));
        continue;
      }
      if (node.op === 'PlaceholderWithDefault') {
        if (!blocked) t.alias(node.output(), node.input(0));
        continue;
      }
      if (node.op === 'Switch') {
        const pred = t.has(node.input(1)) ? t.constNumbers(node.input(1)) : undefined;
        if (!pred) throw new NodeUnsupported('requires-constant-input', `Switch predicate '${node.input(1)}' is not a constant: data-dependent control flow has no TFLite form mai writes`);
        const taken = pred[0] ? 1 : 0;
        t.alias(node.output(taken), node.input(0));
        deadTensors.add(node.output(1 - taken));
        continue;
      }
      const refused = TF_REFUSED.get(node.op);
      if (refused) throw new NodeUnsupported(refused.reason, `${node.op} ${refused.why}`);
      if (node.op === 'Placeholder') throw new NodeUnsupported('invalid-model', `Placeholder '${node.name}' is not an input of the signature; feed it or cut the graph with --outputs`);
      const row = findTfImporter(node.op);
      if (!row) throw new NodeUnsupported('unsupported-op', `op ${node.op} is not supported`);
      row.check?.(t, node);
      if (blocked) {
        poisoned.add(node.name);
        continue;
      }
      const missing = node.inputs.find((i) => !t.has(i));
      if (missing) throw new NodeUnsupported('invalid-model', `input '${missing}' is not produced by any node`);
      row.import(t, node);
    } catch (e) {
      if (e instanceof NodeUnsupported) report(e.reason, e.message);
      else if (isMaiError(e)) report((e.code as NodeDiagnostic['reason']) ?? 'invalid-model', e.message);
      else throw e;
    }
  }
  if (diagnostics.length) throw unsupportedModel(file, diagnostics);

  const outputIo: Array<{ name: string; tensor: string }> = [];
  for (const o of outputs) {
    if (!t.has(o.tensor)) throw inputError('invalid-model', `output '${o.name}' (tensor '${o.tensor}') is not produced by any node`, { file });
    t.node = new TfNode({ name: `output_${o.name}`, op: 'Output' });
    let tensor = t.tensor(o.tensor);
    const produced = g.nodes.some((n) => n.outputs.includes(tensor));
    if (!produced || g.inputs.includes(tensor) || outputIo.some((x) => x.tensor === tensor)) {
      // a constant, an input or another output: TFLite needs an op to produce it
      const src = g.tensor(tensor);
      tensor = ctx.reshape(tensor, src.shape, src.layout, `${o.name}_copy`);
    }
    g.outputs.push(tensor);
    outputIo.push({ name: o.name, tensor });
  }
  g.signature = { key: 'serving_default', inputs: inputIo, outputs: outputIo };
  g.pruneTensors();
  return g;
}
