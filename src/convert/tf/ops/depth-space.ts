/** DepthToSpace / SpaceToDepth (NHWC, block_size): TF's channel order is ONNX's DCR → DEPTH_TO_SPACE / SPACE_TO_DEPTH. */
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';

export function checkDepthSpace(t: TfContext, node: TfNode): void {
  const df = node.string('data_format', 'NHWC');
  if (df !== 'NHWC') t.fail('unsupported-attribute', `data_format=${df}: only NHWC is supported`);
}

export function depthSpace(op: 'DepthToSpace' | 'SpaceToDepth') {
  return (t: TfContext, node: TfNode): void => {
    t.onnx(op, [node.input(0)], [node.output()], { blocksize: node.int('block_size', 2), ...(op === 'DepthToSpace' ? { mode: 'DCR' } : {}) });
  };
}
