/**
 * Shape and Size exist in a converted model only as folded constants (fold/): the fold runs before the
 * op table, so reaching this importer means the input's shape is unknown.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

/** Shape / Size: their input's static shape is known once the value is; unknown only downstream of a failure. */
export function importShapeOf(ctx: ImportContext, node: OnnxNode): void {
  ctx.fail('dynamic-shape', `${node.opType} of '${node.input(0)}' cannot be folded: its shape is not static (give the model's inputs static shapes with --input-shape)`);
}
