/**
 * Ops that exist in a converted model only as folded constants (fold/): Shape, Size, ConstantOfShape,
 * Range. The fold runs before the op table, so reaching these importers means the node could not be
 * folded: its input is runtime data (ConstantOfShape, Range) or its input's shape is unknown.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

/** Shape / Size: their input's static shape is known once the value is; unknown only downstream of a failure. */
export function importShapeOf(ctx: ImportContext, node: OnnxNode): void {
  ctx.fail('dynamic-shape', `${node.opType} of '${node.input(0)}' cannot be folded: its shape is not static (give the model's inputs static shapes with --input-shape)`);
}

/** ConstantOfShape / Range: every input must fold to a constant; TFLite has no op computing them on the GPU. */
export function importConstantOnly(ctx: ImportContext, node: OnnxNode): void {
  const runtime = node.inputs.filter((i) => i && ctx.isRuntime(i));
  ctx.fail(
    'requires-constant-input',
    `${node.opType} needs constant inputs; ${runtime.map((i) => `'${i}'`).join(', ') || 'an input'} is computed at run time. mai folds ${node.opType} only when its inputs come from constants and static shapes`,
  );
}

/** Shape-independent check for ConstantOfShape / Range (also run downstream of a failed node). */
export function checkConstantOnly(ctx: ImportContext, node: OnnxNode): void {
  if (node.inputs.some((i) => i && ctx.isRuntime(i))) importConstantOnly(ctx, node);
}
