/**
 * A TfModel (any of the three formats, functions inlined) as TensorFlow.js graph-model artifacts, so
 * `--check` runs frozen GraphDefs and SavedModels in tfjs as it runs model.json: the nodes the outputs
 * need, every constant moved into the weight data (tfjs reads Const values from weights), int64
 * constants as int32 and float16 / float64 as float32 (tfjs's dtypes), ReadVariableOp as Identity.
 */
import { toFloat32 } from '../../ir/dtype.js';
import type { TfjsArtifacts } from '../../runtime/tfjs.js';
import { inputError } from '../../core/errors.js';
import type { ConstData } from '../onnx/tensor-data.js';
import type { TfAttr, TfModel, TfNodeDef } from './model.js';
import { TfNode } from './node.js';
import { orderNodes } from './order.js';

const TF_NAME = { float32: 'DT_FLOAT', int32: 'DT_INT32', bool: 'DT_BOOL' } as const;

function tfjsValue(c: ConstData, name: string): { dtype: 'float32' | 'int32' | 'bool'; data: Float32Array | Int32Array | Uint8Array } {
  const d = c.data!;
  switch (c.dtype) {
    case 'float32':
    case 'float16':
    case 'float64':
      return { dtype: 'float32', data: c.dtype === 'float32' ? (d as Float32Array) : toFloat32(c.dtype, d) };
    case 'bool':
      return { dtype: 'bool', data: Uint8Array.from(d as Uint8Array) };
    case 'string':
      throw inputError('unsupported-dtype', `constant '${name}' is a string tensor, which the TensorFlow.js check cannot feed`);
    default:
      return { dtype: 'int32', data: Int32Array.from(d as ArrayLike<number | bigint>, Number) };
  }
}

/** Attributes SavedModels strip when they hold their default, which tfjs reads without one. */
const DILATIONS: TfAttr = { list: { i: ['1', '1', '1', '1'] } };
const STRIPPED_DEFAULTS: Record<string, Record<string, TfAttr>> = {
  Conv2D: { dilations: DILATIONS },
  DepthwiseConv2dNative: { dilations: DILATIONS },
  Conv2DBackpropInput: { dilations: DILATIONS },
};

const b64 = (v: string | Uint8Array): string => (typeof v === 'string' ? v : Buffer.from(v).toString('base64'));

/** Attribute values in proto3-JSON form (bytes as base64), as tfjs reads a model.json; binary .pb attrs hold Uint8Arrays. */
function jsonAttrs(attr: Record<string, TfAttr> | undefined): Record<string, TfAttr> {
  const out: Record<string, TfAttr> = {};
  for (const [k, a] of Object.entries(attr ?? {})) {
    const v: TfAttr = { ...a };
    if (a.s !== undefined) v.s = b64(a.s);
    if (a.list?.s) v.list = { ...a.list, s: a.list.s.map(b64) };
    if (a.tensor?.tensorContent !== undefined) v.tensor = { ...a.tensor, tensorContent: b64(a.tensor.tensorContent) };
    out[k] = v;
  }
  return out;
}

export function tfjsArtifacts(model: TfModel, outputs: string[], inputs: string[]): TfjsArtifacts {
  const byName = new Map(model.nodes.map((n) => [n.name ?? '', n]));
  const nodes = orderNodes(byName, outputs.map((o) => o.split(':')[0]!), new Set(inputs), model.file);
  const specs: TfjsArtifacts['weightSpecs'] = [];
  const chunks: Uint8Array[] = [];
  const topo: TfNodeDef[] = nodes.map((n) => {
    if (inputs.includes(n.name ?? '')) return { name: n.name, op: 'Placeholder', attr: { dtype: n.attr?.dtype ?? { type: 'DT_FLOAT' } } };
    if (n.op === 'ReadVariableOp') return { ...n, op: 'Identity', attr: jsonAttrs(n.attr) };
    if (n.op !== 'Const') return { ...n, attr: { ...STRIPPED_DEFAULTS[n.op ?? ''], ...jsonAttrs(n.attr) } };
    const node = new TfNode(n);
    const c = model.weights.get(node.name) ?? node.tensor('value');
    if (!c?.data) throw inputError('invalid-model', `Const '${node.name}' has no value`, { file: model.file });
    const v = tfjsValue(c, node.name);
    specs.push({ name: node.name, shape: c.shape, dtype: v.dtype });
    chunks.push(new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength).slice());
    const { value: _value, ...attr } = jsonAttrs(n.attr);
    return { ...n, attr: { ...attr, dtype: { type: TF_NAME[v.dtype] } } };
  });
  const data = Buffer.concat(chunks);
  return { modelTopology: { node: topo, versions: { producer: 1 } }, weightSpecs: specs, weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) };
}
