import type { ImportContext } from '../context.js';
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import type { OnnxNode } from '../node.js';
import type { AxesSource } from '../lowering/axes.js';

/** One row of the op table: an ONNX op over an opset range and the function that imports it. */
export interface OpImporter {
  onnxOp: string;
  /** '7+', '1-12', '13' (default domain opset of the model). */
  opsets: string;
  /**
   * Every TFLite op this row's importer can emit (any branch), not counting the layout glue the import
   * context adds on its own (TRANSPOSE / RESHAPE from ctx.nhwc / ctx.nchw / broadcast operands).
   * docs/op-coverage.md lists these with their GPU verdict; tests/convert/gpu/emits.test.ts checks
   * that converted models emit nothing undeclared. Leave it out for rows that emit nothing (Identity).
   */
  emits?: readonly BuiltinOpName[];
  /**
   * The node's shape-independent checks (attribute values, inputs that must be constant), failing
   * with ctx.fail. Runs before `import`, and alone for a node downstream of a node that failed, whose
   * inputs may be unknown: an input `name` is known only when `ctx.has(name)`.
   */
  check?(ctx: ImportContext, node: OnnxNode): void;
  import(ctx: ImportContext, node: OnnxNode): void;
  /**
   * Where this row's node reads its `axes` (lowering/axes.ts), for ops whose axes moved from an
   * attribute to input 1 between opsets. The import-time fold of the node reads them from here too.
   */
  axes?: AxesSource;
}
