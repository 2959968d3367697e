/**
 * Stand-ins for the outputs of a node that could not be converted. The model's value_info (or its
 * graph outputs) often declares such a value's dtype and static shape; defining the value from that
 * declaration lets the nodes downstream be imported in full (the import fails anyway, so what they
 * emit is never written) and their shape- and dtype-dependent checks run too. A value without a
 * complete declaration stays unknown: its consumers get only their op and attribute checks.
 */
import type { DType } from '../../ir/dtype.js';
import type { ImportContext } from './context.js';
import { declaredShape } from './input-shape.js';
import type { GraphProto } from './proto.js';
import { onnxDType } from './tensor-data.js';

export interface DeclaredValue {
  dtype: DType;
  shape: number[];
}

/** Values declared with a dtype and an all-static shape in value_info or the graph outputs. */
export function declaredValues(graph: GraphProto): Map<string, DeclaredValue> {
  const out = new Map<string, DeclaredValue>();
  for (const vi of [...(graph.valueInfo ?? []), ...(graph.output ?? [])]) {
    const dtype = onnxDType(vi.type?.tensorType?.elemType ?? 0);
    const dims = declaredShape(vi);
    if (!vi.name || !dtype || dtype === 'string' || !dims?.every((d) => typeof d === 'number')) continue;
    out.set(vi.name, { dtype, shape: dims as number[] });
  }
  return out;
}

/**
 * After a node failed: each output it did not define is defined from its declaration when there is
 * one. Returns the outputs that stay unknown.
 */
export function standInOutputs(ctx: ImportContext, outputs: string[], declared: Map<string, DeclaredValue>): string[] {
  const unknown: string[] = [];
  for (const o of outputs) {
    if (!o || ctx.has(o)) continue;
    const d = declared.get(o);
    if (d) ctx.define(o, d.dtype, d.shape, d.shape.length === 4 ? 'NHWC' : 'ONNX');
    else unknown.push(o);
  }
  return unknown;
}
