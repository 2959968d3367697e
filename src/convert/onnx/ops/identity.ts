/** Identity and Dropout (inference): the output is the input; no IR node. */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

export function importIdentity(ctx: ImportContext, node: OnnxNode): void {
  ctx.alias(node.outputs[0]!, node.input(0));
}

export function importDropout(ctx: ImportContext, node: OnnxNode): void {
  if (node.outputs[1]) ctx.fail('unsupported-attribute', `Dropout mask output '${node.outputs[1]}' is not supported (inference only)`);
  if (ctx.opset >= 12 && node.input(2) && ctx.constNumbers(node.input(2))?.[0]) {
    ctx.fail('unsupported-attribute', 'Dropout with training_mode=true is not supported');
  }
  ctx.alias(node.outputs[0]!, node.input(0));
}
