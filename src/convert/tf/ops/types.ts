import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';

/** One row of the TF op table: a TF op and the function that lowers it into the IR. */
export interface TfOpImporter {
  tfOp: string;
  /**
   * Every TFLite op the row can emit (through the ONNX lowering it calls, or directly), not counting
   * RESHAPE glue; docs/tf-op-coverage.md lists them with their GPU verdict. Absent for rows that
   * emit nothing (Identity, folded shape ops).
   */
  emits?: readonly BuiltinOpName[];
  /** Shape-independent checks (attributes); also run for nodes downstream of a failed node. */
  check?(t: TfContext, node: TfNode): void;
  import(t: TfContext, node: TfNode): void;
}
