/** MaxPool / AvgPool (NHWC) on the ONNX pool lowering: SAME average pooling leaves the padded cells out (count_include_pad 0). */
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';
import { windowAttrs } from './conv.js';

export function checkPool(t: TfContext, node: TfNode): void {
  const df = node.string('data_format', 'NHWC');
  if (df !== 'NHWC') t.fail('unsupported-attribute', `data_format=${df}: only NHWC pooling is supported`);
  const k = node.ints('ksize') ?? [];
  if (k.length !== 4 || k[0] !== 1 || k[3] !== 1) t.fail('unsupported-attribute', `ksize [${k}] must be [1, kH, kW, 1]`);
}

export function pool(kind: 'MaxPool' | 'AveragePool') {
  return (t: TfContext, node: TfNode): void => {
    const k = node.ints('ksize')!;
    const { dilations: _unused, ...attrs } = windowAttrs(t, node);
    t.onnx(kind, [node.input(0)], [node.output()], { ...attrs, kernel_shape: [k[1]!, k[2]!], ...(kind === 'AveragePool' ? { count_include_pad: 0 } : {}) });
  };
}
