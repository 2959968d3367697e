/**
 * Elementwise TF ops on the ONNX frontend's lowering (broadcasting, integer widening, NHWC operands):
 * binary arithmetic and comparisons after TF's right-aligned rank alignment, unary math through the
 * same `unary` / `binary` lowerings for TFLite ops ONNX has no op for (FLOOR_DIV, SIN, …).
 */
import { binary } from '../../onnx/ops/binary.js';
import { unary } from '../../onnx/ops/unary.js';
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';
import type { OnnxLowering } from '../context.js';
import { logical } from '../../onnx/ops/compare.js';
import { broadcastShapes } from '../../../ir/ndarray.js';
import { alignRanks, floatScalar, reshapeValue } from './values.js';

/** A two-input TF op as ONNX op (or lowering) `op`. */
export function binaryOp(op: string | OnnxLowering) {
  return (t: TfContext, node: TfNode): void => {
    t.onnx(op, alignRanks(t, [node.input(0), node.input(1)]), [node.output()]);
  };
}

/** FloorDiv / FloorMod / SquaredDifference: TFLite ops with TF semantics, on the ONNX binary lowering. */
export const floorDiv = binaryOp(binary('FLOOR_DIV'));
export const floorMod = binaryOp(binary('FLOOR_MOD'));
export const squaredDifference = binaryOp(binary('SQUARED_DIFFERENCE'));

/** NotEqual: TFLite NOT_EQUAL (ONNX would need Equal + Not). */
export const notEqual = binaryOp(logical('NOT_EQUAL'));

/** A one-input TF op as ONNX op (or lowering) `op`. */
export function unaryOp(op: string | OnnxLowering) {
  return (t: TfContext, node: TfNode): void => t.onnx(op, [node.input(0)], [node.output()]);
}

export const tfliteUnary = (op: Parameters<typeof unary>[0]) => unaryOp(unary(op));

/** Square: x·x. */
export function importSquare(t: TfContext, node: TfNode): void {
  t.onnx('Mul', [node.input(0), node.input(0)], [node.output()]);
}

/** Rsqrt: TFLite RSQRT. */
export const importRsqrt = tfliteUnary('RSQRT');

/** AddN: a left-to-right chain of ADD (ONNX Sum's lowering). */
export function importAddN(t: TfContext, node: TfNode): void {
  t.onnx('Sum', alignRanks(t, node.inputs), [node.output()]);
}

/** BiasAdd: ADD of the 1-D bias on the channel axis (NHWC; NCHW data_format is refused). */
export function importBiasAdd(t: TfContext, node: TfNode): void {
  if (node.string('data_format', 'NHWC') !== 'NHWC') t.fail('unsupported-attribute', `BiasAdd data_format=${node.string('data_format')} (only NHWC)`);
  t.onnx('Add', alignRanks(t, [node.input(0), node.input(1)]), [node.output()]);
}

/** Select / SelectV2: ONNX Where; TF1 Select's rank-1 condition picks whole rows, so it is reshaped to [n,1,…]. */
export function importSelect(t: TfContext, node: TfNode): void {
  let [c, a, b] = [node.input(0), node.input(1), node.input(2)];
  const rank = Math.max(t.rank(a), t.rank(b));
  if (node.op === 'Select' && t.rank(c) === 1 && rank > 1) {
    const rows = t.temp('rows');
    reshapeValue(t, c, [t.shape(c)[0]!, ...new Array<number>(rank - 1).fill(1)], rows);
    c = rows;
  }
  [c, a, b] = alignRanks(t, [c, a, b]) as [string, string, string];
  t.onnx('Where', [c, a, b], [node.output()]);
}

/** Relu6 as ONNX Clip(0, 6) (→ RELU6). */
export function importRelu6(t: TfContext, node: TfNode): void {
  t.onnx('Clip', [node.input(0), floatScalar(t, 'zero', 0), floatScalar(t, 'six', 6)], [node.output()]);
}

/** Atan2(y, x): TFLite ATAN2 on TF-ordered operands after TF's rank alignment. */
export function importAtan2(t: TfContext, node: TfNode): void {
  const [y, x] = alignRanks(t, [node.input(0), node.input(1)]) as [string, string];
  const shape = broadcastShapes(t.shape(y), t.shape(x));
  if (!shape) return t.fail('shape-mismatch', `shapes [${t.shape(y)}] and [${t.shape(x)}] do not broadcast`);
  t.emit('ATAN2', [t.tensor(y), t.tensor(x)], [t.define(node.output(), t.dtype(y), shape)]);
}
