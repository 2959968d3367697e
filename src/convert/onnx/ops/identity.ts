/** Identity and Dropout (inference): the output is the input; no IR node. */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

export function importIdentity(ctx: ImportContext, node: OnnxNode): void {
  ctx.alias(node.outputs[0]!, node.input(0));
}

/** Shape-independent: no mask output, training_mode a constant false. */
export function checkDropout(ctx: ImportContext, node: OnnxNode): void {
  if (node.outputs[1]) ctx.fail('unsupported-attribute', `Dropout mask output '${node.outputs[1]}' is not supported (inference only)`);
  const training = node.input(2);
  if (ctx.opset >= 12 && training && ctx.has(training)) {
    const v = ctx.constNumbers(training);
    if (!v) ctx.fail('requires-constant-input', `Dropout training_mode (input '${training}') must be a constant`);
    if (v[0]) ctx.fail('unsupported-attribute', 'Dropout with training_mode=true is not supported');
  }
}

/** Runs after checkDropout (the op table's check). */
export function importDropout(ctx: ImportContext, node: OnnxNode): void {
  ctx.alias(node.outputs[0]!, node.input(0));
}
