/** Identity and Dropout (inference): the output is the input; no IR node. */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

export function importIdentity(ctx: ImportContext, node: OnnxNode): void {
  ctx.alias(node.outputs[0]!, node.input(0));
}

/**
 * Shape-independent (opset 12+: ratio and training_mode are inputs; before, Dropout is inference only):
 * training_mode a constant false, or a constant ratio of 0.
 */
export function checkDropoutTraining(ctx: ImportContext, node: OnnxNode): void {
  const training = node.input(2);
  if (training && ctx.has(training)) {
    const v = ctx.constNumbers(training);
    if (!v) ctx.fail('requires-constant-input', `Dropout training_mode (input '${training}') must be a constant`);
    if (v[0] && ratioInput(ctx, node) !== 0) ctx.fail('unsupported-attribute', 'Dropout with training_mode=true and a non-zero ratio drops random elements; only inference (or ratio 0) is supported');
  }
}

/** The ratio input (default 0.5), or undefined when not constant. */
function ratioInput(ctx: ImportContext, node: OnnxNode): number | undefined {
  const r = node.input(1);
  if (!r) return 0.5;
  return ctx.constNumbers(r)?.[0];
}

/**
 * Runs after the op table's check. Inference (or ratio 0) Dropout is the identity;
 * its mask output is all true, a constant of the input's shape.
 */
export function importDropout(ctx: ImportContext, node: OnnxNode): void {
  ctx.alias(node.outputs[0]!, node.input(0));
  const mask = node.outputs[1];
  if (mask) {
    const shape = ctx.shape(node.input(0));
    const n = shape.reduce((a, b) => a * b, 1);
    ctx.defineConst(mask, { dtype: 'bool', shape: [...shape], data: new Uint8Array(n).fill(1) });
  }
}
