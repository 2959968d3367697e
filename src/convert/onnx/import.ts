/**
 * ONNX → IR. Decodes the model, resolves input shapes, reads initializers (zero-copy where
 * possible), walks the nodes in order through the op table, and reports every node it cannot
 * convert at once. 4-D activations are NHWC in the IR; graph I/O too unless `keepIoLayout`. Graph
 * inputs / outputs with no elements are left out of the IR and listed in its metadata (empty.ts).
 */
import { inputError, unsupportedModel, type MaiError, type NodeDiagnostic } from '../../core/errors.js';
import { isMaiError } from '../../core/errors.js';
import { Graph } from '../../ir/graph.js';
import { ImportContext, NodeUnsupported, type Form } from './context.js';
import { decodeModel } from './decode.js';
import { normalizeGraph } from './normalize.js';
import { selectOnnxOutputs } from './select-outputs.js';
import { foldNode } from './fold/index.js';
import { defineEmptyInput, dropEmptyOutput, isEmptyShape, settleEmptyValues } from './empty.js';
import { consumerOps } from './consumers.js';
import { rewriteDynamicQuant } from './patterns/dynamic-quant.js';
import { declaredShape, dynamicShapeError, type DynamicInput } from './input-shape.js';
import { declaredValues, standInOutputs } from './stand-ins.js';
import { OnnxNode } from './node.js';
import { isChannelsLastInput } from './channels-last-input.js';
import { defaultOpset, inRange, joinRanges, opsetVersions } from './opset.js';
import { ONNX_OPS, type OpImporter } from './ops/index.js';
import { applyOnnxPatterns } from './patterns/index.js';
import { onnxDType, readTensorProto } from './tensor-data.js';
import { FLOAT16_WEIGHTS_KEY } from '../passes/keep-half-weights.js';

export interface OnnxImportOptions {
  /** Model path (for messages and for resolving external data). */
  file?: string;
  /** Overrides / resolves input shapes: name → dims (ONNX order). */
  inputShapes?: Record<string, number[]>;
  /** Keep 4-D graph inputs/outputs NCHW (one TRANSPOSE at each end). */
  keepIoLayout?: boolean;
  /** Keep only these outputs (graph outputs or intermediate values) and the nodes they need. */
  outputs?: readonly string[];
}

function findImporter(opType: string, domain: string, opset: number): OpImporter | undefined {
  if (domain !== '') return undefined;
  return ONNX_OPS.find((r) => r.onnxOp === opType && inRange(r.opsets, opset));
}

/**
 * Every node that cannot be converted; plus, when some nodes downstream of failed ones could only be
 * checked for their op and shape-independent attributes (their input shapes are unknown), a note
 * saying how many and which — none is dropped silently.
 */
function unsupportedReport(file: string | undefined, diagnostics: NodeDiagnostic[], partial: string[]): MaiError {
  const e = unsupportedModel(file, diagnostics);
  if (!partial.length) return e;
  const names = partial.length > 5 ? `${partial.slice(0, 5).join(', ')}, …` : partial.join(', ');
  const note = `${partial.length} more node(s) downstream of them (${names}) were checked only for op type and attributes, as their input shapes are unknown`;
  return inputError(e.code, `${e.message}; ${note}`, { file, diagnostics, hint: e.hint });
}

export function importOnnx(bytes: Uint8Array, opts: OnnxImportOptions = {}): Graph {
  const file = opts.file;
  const model = decodeModel(bytes, file);
  const graph = model.graph!;
  normalizeGraph(graph, file); // topological order, unique node names, 'ai.onnx' → ''
  if (opts.outputs?.length) selectOnnxOutputs(graph, opts.outputs, file);
  // before the initializers are read: it adds the dequantized float weights
  rewriteDynamicQuant(graph); // DynamicQuantizeLinear → *Integer → Cast → Mul chains → float Conv/MatMul
  const opsets = opsetVersions(model);
  const opset = defaultOpset(model, file);
  const g = new Graph();
  g.description = `converted by mai from ONNX${model.producerName ? ` (${model.producerName} ${model.producerVersion ?? ''})`.trimEnd() : ''}`;
  g.metadata.set('source_format', 'onnx');
  g.metadata.set('onnx_opset', String(opset));
  const ctx = new ImportContext(g, opset);

  // initializers (one that cannot be read is reported only if a node uses it)
  const initNames = new Set<string>();
  const unreadable = new Map<string, string>();
  for (const t of graph.initializer ?? []) {
    const name = t.name ?? '';
    initNames.add(name);
    try {
      ctx.defineConst(name, readTensorProto(t as Parameters<typeof readTensorProto>[0], { file }));
    } catch (e) {
      if (isMaiError(e) && e.code === 'unsupported-dtype') {
        unreadable.set(name, e.message);
        continue;
      }
      if (isMaiError(e)) throw e.file || !file ? e : inputError(e.code, e.message, { file, hint: e.hint, cause: e });
      throw e;
    }
  }

  // a float16 source keeps its weights float16 in the .tflite (passes/keep-half-weights.ts)
  const half = (graph.initializer ?? []).filter((t) => t.dataType === 10).length;
  if (half) g.metadata.set(FLOAT16_WEIGHTS_KEY, `${half} float16 initializers kept float16 (DEQUANTIZE to float32)`);

  // graph inputs and their shapes
  const realInputs = (graph.input ?? []).filter((vi) => !initNames.has(vi.name ?? ''));
  const overrides = opts.inputShapes ?? {};
  const known = new Set(realInputs.map((vi) => vi.name ?? ''));
  const unknown = Object.keys(overrides).filter((n) => !known.has(n));
  if (unknown.length) {
    throw inputError('unknown-input', `--input-shape names ${unknown.map((n) => `'${n}'`).join(', ')}, which ${unknown.length > 1 ? 'are not inputs' : 'is not an input'} of the model; its inputs are: ${[...known].join(', ')}`, { file });
  }
  const inputIo: Array<{ name: string; tensor: string }> = [];
  const dynamic: DynamicInput[] = [];
  for (const vi of realInputs) {
    const name = vi.name ?? '';
    const elem = vi.type?.tensorType?.elemType ?? 0;
    const dtype = onnxDType(elem);
    if (!dtype || dtype === 'string') throw inputError('unsupported-dtype', `graph input '${name}' has ONNX element type ${elem}, which mai does not support`, { file });
    const declared = declaredShape(vi);
    let shape: number[];
    const o = overrides[name];
    if (o) {
      if (declared && declared.length !== o.length) {
        throw inputError('shape-mismatch', `--input-shape ${name}=${o.join(',')} has rank ${o.length}, the model declares rank ${declared.length} [${declared.map((d) => d ?? '?').join(',')}]`, { file });
      }
      declared?.forEach((d, i) => {
        if (typeof d === 'number' && d !== o[i]) {
          throw inputError('shape-mismatch', `--input-shape ${name}=${o.join(',')} conflicts with the model's static dim ${i} = ${d}`, { file });
        }
      });
      shape = [...o];
    } else if (!declared || declared.some((d) => typeof d !== 'number')) {
      dynamic.push({ name, dims: declared });
      continue;
    } else {
      shape = declared as number[];
    }
    if (isEmptyShape(shape)) {
      defineEmptyInput(ctx, name, dtype, shape); // no data: an empty constant, not a .tflite input (empty.ts)
      continue;
    }
    // an input the model itself moves to NCHW (tf2onnx's Keras exports) is NHWC already: kept as declared
    const form: Form = shape.length === 4 && !opts.keepIoLayout && !isChannelsLastInput(graph, name) ? 'NHWC' : 'ONNX';
    const tensor = ctx.define(name, dtype, shape, form);
    g.inputs.push(tensor);
    inputIo.push({ name, tensor });
  }
  if (dynamic.length) throw dynamicShapeError(dynamic, file);

  // nodes
  const diagnostics: NodeDiagnostic[] = [];
  // outputs of failed nodes: defined from value_info where declared (downstream nodes then import in full), else unknown
  const declared = declaredValues(graph);
  const poisoned = new Set<string>();
  const checkedOnlyForAttributes: string[] = [];
  applyOnnxPatterns(graph); // ONNX-level fusions (GELU's Erf form, …) before the node loop
  ctx.consumers = consumerOps(graph);
  ctx.declared = declared; // shapes of data-dependent values (ConstantOfShape / Range of runtime inputs)
  (graph.node ?? []).forEach((p, index) => {
    const node = new OnnxNode(p as ConstructorParameters<typeof OnnxNode>[0], index);
    ctx.node = node;
    const importer = findImporter(node.opType, node.domain, node.domain === '' ? opset : (opsets.get(node.domain) ?? 0));
    const blocked = node.inputs.some((i) => i && poisoned.has(i));
    const report = (reason: NodeDiagnostic['reason'], message: string) => {
      diagnostics.push({ reason, node: node.name, opType: node.opType, message });
      for (const o of standInOutputs(ctx, node.outputs, declared)) poisoned.add(o);
    };
    try {
      // constants and static shapes fold first (no TFLite op); other nodes go through the op table
      if (!blocked && foldNode(ctx, node, importer?.axes)) return;
    } catch (e) {
      if (e instanceof NodeUnsupported) return report(e.reason, e.message);
      throw e;
    }
    if (!importer) {
      const dom = node.domain ? `${node.domain}::` : '';
      const versions = ONNX_OPS.filter((r) => r.onnxOp === node.opType).map((r) => r.opsets);
      report(
        'unsupported-op',
        versions.length && !node.domain
          ? `${node.opType} is supported for opsets ${joinRanges(versions)}, the model imports opset ${opset}`
          : `op ${dom}${node.opType} is not supported`,
      );
      return;
    }
    const missing = node.inputs.find((i) => i && !ctx.has(i) && !poisoned.has(i));
    if (missing && unreadable.has(missing)) {
      report('unsupported-dtype', unreadable.get(missing)!);
      return;
    }
    if (missing) {
      report('invalid-model', `input '${missing}' is not produced by any earlier node, initializer or graph input (nodes must be topologically sorted)`);
      return;
    }
    try {
      importer.check?.(ctx, node);
      if (blocked) {
        // an input comes from a failed node: only the shape-independent checks above could run
        checkedOnlyForAttributes.push(node.name);
        for (const o of standInOutputs(ctx, node.outputs, declared)) poisoned.add(o);
        return;
      }
      importer.import(ctx, node);
      settleEmptyValues(ctx, node.outputs);
    } catch (e) {
      if (e instanceof NodeUnsupported) report(e.reason, e.message);
      else if (isMaiError(e)) report((e.code as NodeDiagnostic['reason']) ?? 'invalid-model', e.message);
      else throw e;
    }
  });
  if (diagnostics.length) throw unsupportedReport(file, diagnostics, checkedOnlyForAttributes);

  // graph outputs
  const outputIo: Array<{ name: string; tensor: string }> = [];
  for (const vi of graph.output ?? []) {
    const name = vi.name ?? '';
    if (!ctx.has(name)) throw inputError('invalid-model', `graph output '${name}' is not produced by any node`, { file });
    if (dropEmptyOutput(ctx, name, onnxDType(vi.type?.tensorType?.elemType ?? 0) ?? ctx.dtype(name))) continue; // known without running (empty.ts)
    const v = ctx.value(name);
    const form: Form = v.shape.length === 4 && !opts.keepIoLayout ? 'NHWC' : 'ONNX';
    ctx.node = new OnnxNode({ name: `output_${name}`, opType: 'Output' } as ConstructorParameters<typeof OnnxNode>[0], 0);
    let tensor = form === 'NHWC' ? ctx.nhwc(name) : ctx.nchw(name);
    let producedByNode = g.nodes.some((n) => n.outputs.includes(tensor));
    if (!producedByNode || outputIo.some((o) => o.tensor === tensor)) {
      // the output is a graph input, a constant or another output: TFLite needs an op to produce it
      const src = g.tensor(tensor);
      const copy = ctx.newTensor(`${name}_copy`, src.dtype, src.shape, src.layout);
      try {
        // LiteRT's RESHAPE computes a constant input's result at prepare time and then returns garbage for a
        // non-float graph output (XNNPACK runs the float one); a same-type CAST copies at run time
        if (src.data && src.dtype !== 'float32') ctx.emit('CAST', [tensor], [copy], { inDataType: src.dtype, outDataType: src.dtype });
        else ctx.emit('RESHAPE', [tensor, ctx.int32Const(`${copy}_shape`, src.shape)], [copy], { newShape: [...src.shape] });
      } catch (e) {
        if (!(e instanceof NodeUnsupported)) throw e;
        throw unsupportedReport(file, [{ reason: e.reason, node: `output ${name}`, opType: 'Output', message: e.message }], []);
      }
      tensor = copy;
      producedByNode = true;
    }
    if (tensor !== name && producedByNode && !g.inputs.includes(tensor)) {
      const rename = (from: string, to: string) => {
        g.renameTensor(from, to);
        for (const val of ctx.values.values()) for (const [f, t] of val.forms) if (t === from) val.forms.set(f, to);
        for (const io of [...inputIo, ...outputIo]) if (io.tensor === from) io.tensor = to;
      };
      if (g.hasTensor(name)) rename(name, g.uniqueName(`${name}_${form === 'NHWC' ? 'nchw' : 'nhwc'}`));
      rename(tensor, name);
      tensor = name;
    }
    const t = g.tensor(tensor);
    if (t.shape.length === 4) t.layout = form === 'NHWC' ? 'NHWC' : 'NCHW';
    g.outputs.push(tensor);
    outputIo.push({ name, tensor });
  }
  g.signature = { key: 'serving_default', inputs: inputIo, outputs: outputIo };
  g.pruneTensors();
  return g;
}

