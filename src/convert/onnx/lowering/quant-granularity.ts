/**
 * The granularity of a QuantizeLinear / DequantizeLinear's constant scale and zero point, checked
 * against the spec, and the two expanded to a constant that broadcasts against x (ONNX axis order):
 * per tensor (a scalar), per axis (1-D along `axis`: shape [D, 1, …, 1]) or blocked (scale of x's
 * rank, `block_size` consecutive elements along `axis` sharing one value: repeated to x's shape).
 * Shared with the constant folds (fold/quant.ts): the blocked layout (blockLayout) and the integer type
 * a QuantizeLinear produces (quantizedType).
 */
import type { DType } from '../../../ir/dtype.js';
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { onnxDType } from '../tensor-data.js';

export type Granularity = { kind: 'tensor' } | { kind: 'axis'; axis: number } | { kind: 'block'; axis: number; block: number };

export interface QuantConsts {
  granularity: Granularity;
  /** Scale and zero point as given (flat, scale order). */
  scale: number[];
  zeroPoint: number[];
  /** Zero point dtype when given. */
  zpType?: DType;
  /** Shape the expanded constants take (broadcasts against x). */
  shape: number[];
  /** `values` (one per scale entry) laid out in `shape`. */
  expand(values: readonly number[]): Float32Array;
}

const numel = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);

/** Reads and checks scale (input 1) and zero point (input 2) of `node` for x of shape `xShape`. */
export function quantConsts(ctx: ImportContext, node: OnnxNode, xShape: readonly number[]): QuantConsts {
  const sName = node.input(1);
  const zName = node.input(2);
  const scale = ctx.requireConst(sName, `${node.opType} scale`);
  const zeroPoint = zName ? ctx.requireConst(zName, `${node.opType} zero point`) : scale.map(() => 0);
  const zpType = zName ? ctx.dtype(zName) : undefined;
  const sShape = ctx.shape(sName);
  if (zName && (ctx.shape(zName).length !== sShape.length || ctx.shape(zName).some((d, i) => d !== sShape[i]))) {
    ctx.fail('shape-mismatch', `${node.opType} '${node.name}': zero point [${ctx.shape(zName)}] and scale [${sShape}] differ in shape`);
  }
  const r = xShape.length;
  const block = node.int('block_size', 0);
  const rawAxis = node.int('axis', 1);
  const axis = rawAxis < 0 ? rawAxis + r : rawAxis;
  const base = { scale, zeroPoint, ...(zpType ? { zpType } : {}) };

  if (block > 0) {
    const layout = blockLayout(`${node.opType} '${node.name}'`, xShape, sShape, rawAxis, block);
    if ('error' in layout) return ctx.fail(layout.reason, layout.error);
    return { ...base, granularity: { kind: 'block', axis, block }, shape: [...xShape], expand: (values) => Float32Array.from({ length: numel(xShape) }, (_, i) => values[layout.index(i)]!) };
  }
  if (sShape.length > 1) ctx.fail('unsupported-attribute', `${node.opType} '${node.name}': a rank-${sShape.length} scale needs block_size > 0 (blocked quantization)`);
  if (scale.length === 1) return { ...base, granularity: { kind: 'tensor' }, shape: [], expand: (v) => Float32Array.of(v[0]!) };
  if (axis < 0 || axis >= r) ctx.fail('unsupported-attribute', `${node.opType} '${node.name}': axis ${rawAxis} is out of range for rank ${r}`);
  if (scale.length !== xShape[axis]) ctx.fail('shape-mismatch', `${node.opType} '${node.name}': ${scale.length} scales for axis ${axis} of size ${xShape[axis]}`);
  return {
    ...base,
    granularity: { kind: 'axis', axis },
    shape: [scale.length, ...new Array<number>(r - axis - 1).fill(1)],
    expand: (v) => Float32Array.from(v),
  };
}

/**
 * The integer type a QuantizeLinear produces: its zero point's type, else the opset-21 `output_dtype`
 * (an ONNX type code; 0 when absent), else uint8. Undefined for a code mai has no dtype for.
 */
export function quantizedType(zeroPointType: DType | undefined, outputDtype: number): DType | undefined {
  if (zeroPointType) return zeroPointType;
  return outputDtype ? onnxDType(outputDtype) : 'uint8';
}

/**
 * Blocked quantization (opset 21): a scale of x's rank whose entry along `axis` is shared by `block`
 * consecutive elements (the last block may be short; the spec bounds block_size by ⌈D / S⌉ ≤ block_size ≤
 * ⌈D / (S − 1)⌉ − 1), every other dim equal to x's. The scale index of each flat x element, or why the
 * scale does not block x. `what` names the node in the message.
 */
export function blockLayout(
  what: string,
  xShape: readonly number[],
  sShape: readonly number[],
  rawAxis: number,
  block: number,
): { index: (i: number) => number } | { reason: 'shape-mismatch' | 'unsupported-attribute'; error: string } {
  const r = xShape.length;
  const axis = rawAxis < 0 ? rawAxis + r : rawAxis;
  if (axis < 0 || axis >= r) return { reason: 'unsupported-attribute', error: `${what}: axis ${rawAxis} is out of range for rank ${r}` };
  if (sShape.length !== r) return { reason: 'shape-mismatch', error: `${what}: blocked quantization needs a scale of x's rank ${r}, got [${sShape}]` };
  const d = xShape[axis]!;
  const s = sShape[axis]!;
  const fits = s >= 1 && Math.ceil(d / s) <= block && (s === 1 || block <= Math.ceil(d / (s - 1)) - 1);
  if (!fits || sShape.some((v, i) => i !== axis && v !== xShape[i])) {
    return { reason: 'shape-mismatch', error: `${what}: scale [${sShape}] does not block x [${xShape}] along axis ${axis} with block_size ${block}` };
  }
  const inner = numel(xShape.slice(axis + 1));
  return { index: (i) => (Math.floor(i / (inner * d)) * s + Math.floor((Math.floor(i / inner) % d) / block)) * inner + (i % inner) };
}
