/**
 * NonMaxSuppression is refused, by name and with the reason: its output [num_selected, 3] has as many
 * rows as boxes survive, known only at run time, and a .tflite's tensors have static shapes.
 * TFLite's NON_MAX_SUPPRESSION_V4 / V5 (CPU only; never on the GPU delegate) return max_output_size
 * rows plus a valid count instead — a different output contract that a consumer expecting ONNX's
 * would misread, so it is not emitted in its place. Detector exports keep NMS outside the model
 * (`convert --outputs` stops before it).
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

export function refuseNonMaxSuppression(ctx: ImportContext, node: OnnxNode): never {
  ctx.fail(
    'dynamic-shape',
    `NonMaxSuppression '${node.name}': its output [num_selected, 3] has a data-dependent row count, which a .tflite cannot hold (TFLite's NON_MAX_SUPPRESSION_V4/V5 return a fixed max_output_size and a count instead, on the CPU only); keep NMS out of the model, e.g. convert --outputs with the tensors before it`,
  );
}
