/**
 * The static shape of a value whose shape depends on runtime data (ConstantOfShape of a runtime shape,
 * Range of runtime bounds). TFLite tensors need static shapes — the GPU delegate takes no dynamic
 * tensor, and LiteRT's compiled model returns an unwritten buffer for a dynamically shaped output —
 * so such a value converts only when the model declares its shape (value_info or graph output, all
 * dims static). The converted model then checks at run time that its inputs give that shape.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

/** The declared static shape of `node`'s output 0, or a 'dynamic-shape' rejection naming `dependsOn`. */
export function declaredOutputShape(ctx: ImportContext, node: OnnxNode, dependsOn: string): number[] {
  const out = node.outputs[0]!;
  const d = ctx.declared.get(out);
  if (!d) {
    ctx.fail(
      'dynamic-shape',
      `${node.opType} output '${out}' has a shape that depends on the run-time value of ${dependsOn}, and the model declares no static shape for it (value_info or graph output): TFLite needs static shapes. Declare '${out}''s shape in the model, or make its inputs constants so the node folds`,
    );
  }
  return [...d.shape];
}
