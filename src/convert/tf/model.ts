/**
 * The TensorFlow graph as mai reads it from any of the three formats: GraphDef nodes in the shape of
 * proto3 JSON (a tfjs model.json's modelTopology, or a decoded .pb / SavedModel), the weights the
 * format keeps outside the graph, and the inputs / outputs its signature names.
 */
import type { DType } from '../../ir/dtype.js';
import type { ConstData } from '../onnx/tensor-data.js';

export interface TfShape {
  dim?: Array<{ size?: string | number }>;
  unknownRank?: boolean;
}

export interface TfTensor {
  dtype?: string;
  tensorShape?: TfShape;
  tensorContent?: string | Uint8Array;
  halfVal?: number[];
  floatVal?: Array<number | string>;
  doubleVal?: Array<number | string>;
  intVal?: number[];
  int64Val?: Array<string | number>;
  boolVal?: boolean[];
  uint32Val?: number[];
  uint64Val?: Array<string | number>;
  stringVal?: Array<string | Uint8Array>;
}

export interface TfAttrList {
  s?: Array<string | Uint8Array>;
  i?: Array<string | number>;
  f?: Array<number | string>;
  b?: boolean[];
  type?: string[];
  shape?: TfShape[];
  tensor?: TfTensor[];
  func?: TfFunc[];
}

export interface TfFunc {
  name?: string;
  attr?: Record<string, TfAttr>;
}

export interface TfAttr {
  s?: string | Uint8Array;
  i?: string | number;
  f?: number | string;
  b?: boolean;
  type?: string;
  shape?: TfShape;
  tensor?: TfTensor;
  list?: TfAttrList;
  func?: TfFunc;
  placeholder?: string;
}

export interface TfNodeDef {
  name?: string;
  op?: string;
  input?: string[];
  device?: string;
  attr?: Record<string, TfAttr>;
}

export interface TfArgDef {
  name?: string;
  type?: string;
  typeAttr?: string;
  numberAttr?: string;
  typeListAttr?: string;
}

export interface TfFunctionDef {
  signature?: { name?: string; inputArg?: TfArgDef[]; outputArg?: TfArgDef[] };
  attr?: Record<string, TfAttr>;
  nodeDef?: TfNodeDef[];
  ret?: Record<string, string>;
}

export interface TfGraphDef {
  node?: TfNodeDef[];
  library?: { function?: TfFunctionDef[] };
  versions?: { producer?: number };
}

export interface TfTensorInfo {
  name?: string;
  dtype?: string;
  tensorShape?: TfShape;
}

export interface TfSignatureDef {
  inputs?: Record<string, TfTensorInfo>;
  outputs?: Record<string, TfTensorInfo>;
  methodName?: string;
}

export interface TfSavedObjectGraph {
  nodes?: Array<{ children?: Array<{ nodeId?: number; localName?: string }>; variable?: { dtype?: string; name?: string } }>;
  concreteFunctions?: Record<string, { boundInputs?: number[] }>;
}

export interface TfMetaGraphDef {
  metaInfoDef?: { tags?: string[]; tensorflowVersion?: string };
  graphDef?: TfGraphDef;
  signatureDef?: Record<string, TfSignatureDef>;
  objectGraphDef?: TfSavedObjectGraph;
}

export interface TfSavedModel {
  savedModelSchemaVersion?: string;
  metaGraphs?: TfMetaGraphDef[];
}

import type { TfFormat } from '../../core/model-format.js';
export type { TfFormat };

export const TF_FORMAT_NAME: Record<TfFormat, string> = {
  tfjs: 'TensorFlow.js graph model',
  graphdef: 'frozen TensorFlow GraphDef',
  'saved-model': 'TensorFlow SavedModel',
};

/** A signature input: the Placeholder it feeds (tensor name without ':0') and what the signature declares. */
export interface TfIo {
  /** Name the user knows it by (signature key or Placeholder name). */
  name: string;
  /** The graph tensor, `node` or `node:k`. */
  tensor: string;
  dtype?: DType;
  shape?: Array<number | null>;
}

/** A TF graph ready for the node importer: nodes (functions inlined), the weights held outside them, the I/O. */
export interface TfModel {
  format: TfFormat;
  file: string;
  nodes: TfNodeDef[];
  /** Constant values by node name (tfjs weights, SavedModel variables) for Const nodes without a value attr. */
  weights: Map<string, ConstData>;
  inputs?: TfIo[];
  outputs?: TfIo[];
  producer?: string;
}
