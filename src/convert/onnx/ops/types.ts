import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

/** One row of the op table: an ONNX op over an opset range and the function that imports it. */
export interface OpImporter {
  onnxOp: string;
  /** '7+', '1-12', '13' (default domain opset of the model). */
  opsets: string;
  import(ctx: ImportContext, node: OnnxNode): void;
}
