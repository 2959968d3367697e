/** An op's `axis` attribute normalised against a rank, or the node's failure naming it. */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

/** `node`'s axis attribute (default `dflt`) in [0, rank): negative axes count from the end. */
export function axisAttr(ctx: ImportContext, node: OnnxNode, rank: number, dflt: number): number {
  const given = node.int('axis', dflt)!;
  const axis = given < 0 ? given + rank : given;
  if (axis < 0 || axis >= rank) ctx.fail('unsupported-attribute', `${node.opType} axis ${given} is outside rank ${rank}`);
  return axis;
}
