/**
 * Import-time constant folding: a node whose inputs are all constants — and Shape / Size of any value,
 * whose shape is static once input shapes are — is evaluated in ONNX semantics into constant values,
 * so the Shape → Gather → Unsqueeze → Concat → Cast chains PyTorch exports for `interpolate(size=…)`
 * and `view(b, -1)` emit no TFLite op. One file per op family; the registry below joins them.
 */
import type { ImportContext } from '../context.js';
import type { AxesSource } from '../lowering/axes.js';
import type { OnnxNode } from '../node.js';
import { dataOnce } from '../tensor-data.js';
import { CAST_FOLDS } from './cast.js';
import { ELEMENTWISE_FOLDS } from './elementwise.js';
import { GENERATE_FOLDS } from './generate.js';
import { INDEXING_FOLDS } from './indexing.js';
import { MOVEMENT_FOLDS } from './movement.js';
import { QUANT_FOLDS } from './quant.js';
import { REDUCE_FOLDS } from './reduce.js';
import { SHAPE_FOLDS } from './shape.js';
import type { FoldRule } from './types.js';
import type { Value } from './values.js';

export type { FoldRule } from './types.js';

export const FOLD_RULES: ReadonlyMap<string, FoldRule> = new Map(
  [...SHAPE_FOLDS, ...ELEMENTWISE_FOLDS, ...MOVEMENT_FOLDS, ...CAST_FOLDS, ...GENERATE_FOLDS, ...REDUCE_FOLDS, ...QUANT_FOLDS, ...INDEXING_FOLDS].map((r) => [r.onnxOp, r]),
);

/** Folds larger than this many output elements are left to the importer (a Tile / Expand of a big constant). */
const MAX_FOLD_ELEMENTS = 1 << 24;

/** Ops that only move a weight's elements: its quantization parameters stay valid on the result. */
const MOVES = new Set(['Identity', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Transpose']);

/**
 * A dequantized weight reshaped or transposed before its consumer (DequantizeLinear → Transpose →
 * MatMul) keeps its quantization: per-tensor params as they are; per-axis ones through Transpose
 * (the axis follows the permutation) — a reshape may merge the axis away, so those are not carried.
 */
function carryQuant(node: OnnxNode, input: Value | undefined, out: Value | undefined): void {
  const q = input?.quant;
  if (!q || !out || out.quant || !MOVES.has(node.opType)) return;
  if (q.axis === undefined) out.quant = q;
  else if (node.opType === 'Transpose') {
    const r = input!.shape.length;
    const perm = node.ints('perm') ?? Array.from({ length: r }, (_, i) => r - 1 - i);
    out.quant = { ...q, axis: perm.indexOf(q.axis) };
  }
}

/**
 * Folds `node` into constants when it can: true when its outputs are now defined as constants.
 * `axesOf` is the axes source of the node's op-table row, if it has one.
 * Throws NodeUnsupported (through ctx.fail) when the node is foldable but invalid.
 */
export function foldNode(ctx: ImportContext, node: OnnxNode, axesOf?: AxesSource): boolean {
  if (node.domain !== '') return false;
  const rule = FOLD_RULES.get(node.opType);
  if (!rule) return false;
  const needsData = (rule.needs ?? 'all') === 'all';
  const values: Array<Value | undefined> = [];
  const shapes: number[][] = [];
  for (const [i, name] of node.inputs.entries()) {
    if (!name) {
      values.push(undefined);
      shapes.push([]);
      continue;
    }
    if (!ctx.has(name)) return false;
    const v = ctx.value(name);
    shapes.push(v.shape);
    if (!needsData) continue;
    const c = v.constant;
    const data = c && c.dtype !== 'string' ? dataOnce(c) : undefined;
    if (!data) return false;
    if (i === 0 && data.length > MAX_FOLD_ELEMENTS) return false;
    values.push({ dtype: c!.dtype, shape: [...c!.shape], data, ...(v.quant ? { quant: v.quant } : {}) });
  }
  const out = rule.fold(node, { values, shapes, axes: () => axesOf?.(ctx, node), fail: (reason, message) => ctx.fail(reason, `${node.opType} (folded): ${message}`) });
  if (!out) return false;
  carryQuant(node, values[0], out[0]);
  node.outputs.forEach((name, i) => {
    const v = out[i];
    if (!name || !v) return;
    ctx.defineConst(name, { dtype: v.dtype, shape: v.shape, data: v.data });
    if (v.quant) ctx.value(name).quant = v.quant;
  });
  return true;
}
