/** FusedBatchNorm / V2 / V3 in inference mode: y = (x − mean)·γ/√(var + ε) + β (ONNX BatchNormalization → MUL, ADD, folded into the conv). */
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';

export function checkBatchNorm(t: TfContext, node: TfNode): void {
  if (node.bool('is_training', false)) t.fail('unsupported-attribute', 'is_training=true: batch statistics are computed at run time; export the model in inference mode');
  const df = node.string('data_format', 'NHWC');
  if (df !== 'NHWC') t.fail('unsupported-attribute', `data_format=${df}: only NHWC batch norm is supported`);
}

export function importBatchNorm(t: TfContext, node: TfNode): void {
  const [x, scale, offset, mean, variance] = node.inputs;
  t.onnx('BatchNormalization', [x!, scale!, offset!, mean!, variance!], [node.output()], { epsilon: { float: node.float('epsilon', 1e-4) } });
}
