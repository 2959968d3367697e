/** One row of the fold registry: an ONNX op evaluated on constants at import time. */
import type { OnnxNode } from '../node.js';
import type { Value } from './values.js';

export interface FoldInputs {
  /** Input i's constant value (undefined for an absent optional input). */
  values: Array<Value | undefined>;
  /** Input i's static shape in ONNX order ([] for an absent input). */
  shapes: number[][];
  /**
   * The node's axes, read where its op-table row reads them (the attribute or input 1,
   * lowering/axes.ts); undefined when the node gives none or its row reads no axes.
   */
  axes(): number[] | undefined;
  /** Throws the node's `NodeUnsupported` (reported like any importer failure). */
  fail(reason: 'shape-mismatch' | 'unsupported-attribute' | 'invalid-model' | 'unsupported-dtype', message: string): never;
}

export interface FoldRule {
  onnxOp: string;
  /**
   * Which inputs must be constants for the node to fold: 'all' (default) or 'none' (Shape, Size:
   * they read only the static shape of input 0).
   */
  needs?: 'all' | 'none';
  /** The outputs' values, or undefined when this node is not folded (its importer then runs). */
  fold(node: OnnxNode, inputs: FoldInputs): Value[] | undefined;
}
