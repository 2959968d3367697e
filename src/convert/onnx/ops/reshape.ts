/** Reshape (constant shape; 0 copies, −1 infers) and Flatten: RESHAPE in ONNX element order. */
import { numElements } from '../../../ir/tensor.js';
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitReshape } from '../lowering/emit-reshape.js';

/** Shape-independent: the target shape is a constant. */
export function checkReshape(ctx: ImportContext, node: OnnxNode): void {
  const s = node.input(1);
  if (!s || ctx.isRuntime(s)) ctx.fail('requires-constant-input', `Reshape shape (input '${s}') must be a constant`);
}

export function importReshape(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const req = ctx.requireConst(node.input(1), 'Reshape shape');
  const allowZero = node.int('allowzero', 0) === 1;
  const shape = req.map((d, i) => (d === 0 && !allowZero ? xs[i]! : d));
  const known = shape.filter((d) => d !== -1);
  if (shape.length - known.length > 1) ctx.fail('shape-mismatch', `Reshape shape [${req}] has more than one -1`);
  const total = numElements(xs);
  const inferred = shape.map((d) => (d === -1 ? total / numElements(known) : d));
  if (numElements(inferred) !== total || inferred.some((d) => !Number.isInteger(d))) {
    ctx.fail('shape-mismatch', `cannot reshape [${xs}] to [${req}]`);
  }
  emitReshape(ctx, x, inferred, node.outputs[0]!);
}

export function importFlatten(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  let axis = node.int('axis', 1);
  if (axis < 0) axis += xs.length;
  emitReshape(ctx, x, [numElements(xs.slice(0, axis)), numElements(xs.slice(axis))], node.outputs[0]!);
}
