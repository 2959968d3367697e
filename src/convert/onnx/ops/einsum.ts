/**
 * Einsum, lowered on ONNX-order tensors (three or more operands: a product of two at a time, left to
 * right, keeping the labels the output or a later operand uses):
 * - labels of one operand that are in no other operand and not in the output: SUM over them first;
 * - one operand: then a TRANSPOSE into the output order;
 * - two operands with contracted labels (in both, not in the output): each operand TRANSPOSEd into
 *   [batch, kept, contracted] / [batch, contracted, kept] and RESHAPEd to 3 groups, one BATCH_MATMUL,
 *   RESHAPE to the labels, TRANSPOSE into the output order ("bij,bjk->bik", "bhid,bhjd->bhij", "i,i->");
 * - two operands without contracted labels (outer / element-wise products, "i,j->ij"): MUL with
 *   size-1 axes where the other operand's labels go.
 * A label repeated within an operand (a diagonal or trace, "...ii->...i") keeps the diagonal: MUL by
 * an identity mask over the two axes, SUM over the second. A size-1 dim against a larger one (broadcast
 * ellipsis dims) is dropped from its operand. A contraction of integer operands is refused, naming the
 * equation (BATCH_MATMUL computes float32 only).
 */
import type { DType } from '../../../ir/dtype.js';
import { numElements } from '../../../ir/tensor.js';
import { layoutTag, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { parseEinsum } from '../lowering/einsum-equation.js';

/** One operand as an IR tensor (ONNX order) and the label of each of its axes. */
interface Operand {
  tensor: string;
  labels: string[];
}

export function importEinsum(ctx: ImportContext, node: OnnxNode): void {
  const eq = node.string('equation', '');
  const names = node.inputs;
  const parsed = parseEinsum(eq, names.map((n) => ctx.rank(n)));
  if (typeof parsed === 'string') ctx.fail('invalid-model', `Einsum ${parsed}`);
  const label = (l: string) => (l.startsWith('…') ? `ellipsis dim ${l.slice(1)}` : `'${l}'`);
  // each label's size; a size-1 dim against a larger one is a broadcast, dropped from its operand
  const size = new Map<string, number>();
  names.forEach((n, i) => ctx.shape(n).forEach((d, j) => {
    const l = parsed.inputs[i]![j]!;
    const s = size.get(l);
    if (s !== undefined && s !== d && s !== 1 && d !== 1) ctx.fail('shape-mismatch', `Einsum '${eq}': label ${label(l)} has sizes ${s} and ${d}`);
    size.set(l, Math.max(s ?? d, d));
  }));
  const dtype = ctx.dtype(names[0]!);
  const step = (tag: string) => `${node.name}_${tag}`;
  const plainShape = (ls: string[]) => ls.map((l) => size.get(l)!);
  const reshape = (t: string, shape: number[], tag: string): string => {
    const cur = ctx.irShape(t);
    if (cur.length === shape.length && cur.every((d, i) => d === shape[i])) return t;
    return ctx.reshape(t, shape, layoutTag('ONNX', shape.length), step(tag));
  };
  const permuteTo = (op: Operand, order: string[], tag: string): string =>
    ctx.permute(op.tensor, order.map((l) => op.labels.indexOf(l)), layoutTag('ONNX', order.length), step(tag));

  const operands: Operand[] = names.map((n, i) => {
    let op: Operand = { tensor: ctx.nchw(n), labels: parsed.inputs[i]! };
    for (let dup = repeated(op.labels); dup; dup = repeated(op.labels)) op = diagonal(ctx, op, dup, step(`in${i}_diagonal_${dup.second}`));
    const broadcast = op.labels.filter((l, j) => ctx.irShape(op.tensor)[j] === 1 && size.get(l)! > 1);
    if (broadcast.length) {
      const labels = op.labels.filter((l) => !broadcast.includes(l));
      op = { tensor: reshape(op.tensor, plainShape(labels), `in${i}_unbroadcast`), labels };
    }
    const elsewhere = new Set([...parsed.output, ...parsed.inputs.filter((_, k) => k !== i).flat()]);
    const summed = op.labels.filter((l) => !elsewhere.has(l));
    if (!summed.length) return op;
    const labels = op.labels.filter((l) => !summed.includes(l));
    const out = ctx.newTensor(step(`in${i}_summed`), ctx.g.tensor(op.tensor).dtype, plainShape(labels), layoutTag('ONNX', labels.length));
    ctx.emit('SUM', [op.tensor, ctx.int32Const(`${out}_axes`, summed.map((l) => op.labels.indexOf(l)))], [out], { keepDims: false });
    return { tensor: out, labels };
  });

  // operands multiplied left to right, each product keeping the labels the output or a later operand uses
  let result = operands[0]!;
  for (let i = 1; i < operands.length; i++) {
    const needed = new Set([...parsed.output, ...operands.slice(i + 1).flatMap((o) => o.labels)]);
    const keep = [...new Set([...result.labels, ...operands[i]!.labels])].filter((l) => needed.has(l));
    result = product(ctx, eq, [result, operands[i]!], keep, { dtype, step, plainShape, reshape, permuteTo });
  }
  const outShape = plainShape(parsed.output);
  const final = reshape(permuteTo(result, parsed.output.filter((l) => result.labels.includes(l)), 'output_order'), outShape, 'output');
  ctx.bind(node.outputs[0]!, final, dtype, outShape, 'ONNX');
}

/** The first label that occurs twice: its two axes. */
function repeated(labels: string[]): { first: number; second: number } | undefined {
  const second = labels.findIndex((l, i) => labels.indexOf(l) !== i);
  return second < 0 ? undefined : { first: labels.indexOf(labels[second]!), second };
}

/** The diagonal of `op` over the axes `first` and `second` (same label, same size): MUL by an identity mask, SUM over `second`. */
function diagonal(ctx: ImportContext, op: Operand, { first, second }: { first: number; second: number }, base: string): Operand {
  const shape = ctx.irShape(op.tensor);
  const n = shape[first]!;
  const dtype = ctx.g.tensor(op.tensor).dtype;
  const maskShape = shape.map((d, j) => (j === first || j === second ? n : 1));
  const eye = Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0));
  const data = dtype === 'int64' ? BigInt64Array.from(eye, BigInt) : dtype === 'int32' ? Int32Array.from(eye) : Float32Array.from(eye);
  const mask = ctx.constTensor(`${base}_mask`, dtype, maskShape, data);
  const masked = ctx.newTensor(`${base}_masked`, dtype, shape, layoutTag('ONNX', shape.length));
  ctx.emit('MUL', [op.tensor, mask], [masked], { activation: 'NONE' });
  const labels = op.labels.filter((_, j) => j !== second);
  const out = ctx.newTensor(base, dtype, shape.filter((_, j) => j !== second), layoutTag('ONNX', labels.length));
  ctx.emit('SUM', [masked, ctx.int32Const(`${out}_axes`, [second])], [out], { keepDims: false });
  return { tensor: out, labels };
}

interface Helpers {
  dtype: DType;
  step(tag: string): string;
  plainShape(ls: string[]): number[];
  reshape(t: string, shape: number[], tag: string): string;
  permuteTo(op: Operand, order: string[], tag: string): string;
}

/** The product of two operands over the labels they share, as BATCH_MATMUL or MUL; labels [batch, kept of A, kept of B]. */
function product(ctx: ImportContext, eq: string, [a, b]: Operand[], output: string[], h: Helpers): Operand {
  const inB = new Set(b!.labels);
  const inA = new Set(a!.labels);
  const batch = output.filter((l) => inA.has(l) && inB.has(l));
  const contracted = a!.labels.filter((l) => inB.has(l) && !output.includes(l));
  const m = output.filter((l) => inA.has(l) && !inB.has(l));
  const n = output.filter((l) => inB.has(l) && !inA.has(l));
  const labels = [...batch, ...m, ...n];
  const shapeOf = (ls: string[]) => h.plainShape(ls);
  const bs = shapeOf(batch);
  const irType = ctx.g.tensor(a!.tensor).dtype;
  if (!contracted.length) {
    const ta = h.reshape(h.permuteTo(a!, [...batch, ...m], 'a_order'), [...bs, ...shapeOf(m), ...n.map(() => 1)], 'a_expanded');
    const tb = h.reshape(h.permuteTo(b!, [...batch, ...n], 'b_order'), [...bs, ...m.map(() => 1), ...shapeOf(n)], 'b_expanded');
    const out = ctx.newTensor(h.step('product'), irType, shapeOf(labels), layoutTag('ONNX', labels.length));
    ctx.emit('MUL', [ta, tb], [out], { activation: 'NONE' });
    return { tensor: out, labels };
  }
  if (h.dtype !== 'float32') ctx.fail('unsupported-dtype', `Einsum '${eq}' contracts ${h.dtype} operands: BATCH_MATMUL computes float32 only`);
  // 3 or fewer batch dims stay (BATCH_MATMUL takes rank ≤ 5); more are flattened into one
  const flatBatch = bs.length > 3 ? [numElements(bs)] : bs;
  const mk = [numElements(shapeOf(m)), numElements(shapeOf(contracted))];
  const kn = [mk[1]!, numElements(shapeOf(n))];
  const ta = h.reshape(h.permuteTo(a!, [...batch, ...m, ...contracted], 'a_order'), [...flatBatch, ...mk], 'a_matrix');
  const tb = h.reshape(h.permuteTo(b!, [...batch, ...contracted, ...n], 'b_order'), [...flatBatch, ...kn], 'b_matrix');
  const mm = [...flatBatch, mk[0]!, kn[1]!];
  const out = ctx.newTensor(h.step('matmul'), irType, mm, layoutTag('ONNX', mm.length));
  ctx.emit('BATCH_MATMUL', [ta, tb], [out], { adjX: false, adjY: false });
  return { tensor: h.reshape(out, shapeOf(labels), 'product'), labels };
}
