/**
 * Where an op's `axes` come from: the `axes` attribute (older opsets) or the constant input 1
 * (Squeeze / Unsqueeze / ReduceSum from 13, the other reductions from 18). The op table picks one
 * per row; `checkAxesInput` is the input rows' shape-independent check.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

/** The node's axes as given, or undefined when it gives none. */
export type AxesSource = (ctx: ImportContext, node: OnnxNode) => number[] | undefined;

export const axesAttribute: AxesSource = (_ctx, node) => node.ints('axes');

export const axesInput: AxesSource = (ctx, node) => (node.input(1) ? ctx.requireConst(node.input(1), `${node.opType} axes`) : undefined);

/** Shape-independent: the axes input is a constant. */
export function checkAxesInput(ctx: ImportContext, node: OnnxNode): void {
  const a = node.input(1);
  if (ctx.isRuntime(a)) ctx.fail('requires-constant-input', `${node.opType} axes (input '${a}') must be a constant`);
}
