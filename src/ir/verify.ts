import type { Graph } from './graph.js';
import { topologicalOrder } from './graph.js';
import type { Node } from './node.js';
import { numElements, type Tensor } from './tensor.js';
import { opsWhere } from './op-traits.js';
import { broadcastShapes } from './ndarray.js';
import { internalError } from '../core/errors.js';
import { deferredData, hasConstData } from './deferred-data.js';
import { DTYPE_SIZE } from './dtype.js';

export interface VerifyIssue {
  node?: string;
  tensor?: string;
  message: string;
}

/** Value-wise ops whose output keeps the input dtype: same shape (unary) or the broadcast shape (binary). */
const ELEMENTWISE_BINARY = opsWhere((t) => t.valueWise === 'binary' && t.keepsDtype);
const ELEMENTWISE_UNARY = opsWhere((t) => t.valueWise === 'unary' && t.keepsDtype);

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** Per-op shape/dtype checks for the ops whose rules are simple to state. */
function checkNode(n: Node, t: (name: string) => Tensor | undefined): string[] {
  const problems: string[] = [];
  const ins = n.inputs.map((i) => (i ? t(i) : undefined));
  const outs = n.outputs.map((o) => t(o));
  const in0 = ins[0];
  const out0 = outs[0];
  if (!in0 || !out0) return problems;
  if (ELEMENTWISE_BINARY.has(n.op)) {
    const in1 = ins[1];
    if (in1) {
      const quantized = in0.quant || in1.quant || out0.quant;
      if (!quantized && in0.dtype !== in1.dtype) problems.push(`input dtypes differ: ${in0.dtype} vs ${in1.dtype}`);
      if (!quantized && out0.dtype !== in0.dtype) problems.push(`output dtype ${out0.dtype} ≠ input dtype ${in0.dtype}`);
      const b = broadcastShapes(in0.shape, in1.shape);
      if (!b) problems.push(`shapes [${in0.shape}] and [${in1.shape}] do not broadcast`);
      else if (!same(b, out0.shape)) problems.push(`output shape [${out0.shape}] ≠ broadcast shape [${b}]`);
    }
  } else if (ELEMENTWISE_UNARY.has(n.op)) {
    if (!same(in0.shape, out0.shape)) problems.push(`output shape [${out0.shape}] ≠ input shape [${in0.shape}]`);
    if (!in0.quant && !out0.quant && out0.dtype !== in0.dtype) problems.push(`output dtype ${out0.dtype} ≠ input dtype ${in0.dtype}`);
  } else if (n.op === 'CONV_2D' || n.op === 'DEPTHWISE_CONV_2D') {
    const w = ins[1];
    if (in0.shape.length !== 4) problems.push(`input must be 4-D NHWC, is [${in0.shape}]`);
    if (!w || w.shape.length !== 4) problems.push('filter must be 4-D');
    else if (n.op === 'CONV_2D') {
      if (in0.shape[3]! % w.shape[3]! !== 0) problems.push(`filter input channels ${w.shape[3]} do not divide input channels ${in0.shape[3]}`);
      if (out0.shape[3] !== w.shape[0]) problems.push(`output channels ${out0.shape[3]} ≠ filter count ${w.shape[0]}`);
    } else if (out0.shape[3] !== w.shape[3]) problems.push(`output channels ${out0.shape[3]} ≠ depthwise filter channels ${w.shape[3]}`);
    const bias = ins[2];
    if (bias && numElements(bias.shape) !== out0.shape[3]) problems.push(`bias has ${numElements(bias.shape)} elements for ${out0.shape[3]} channels`);
  } else if (n.op === 'RESHAPE') {
    if (numElements(in0.shape) !== numElements(out0.shape)) problems.push(`reshape [${in0.shape}] → [${out0.shape}] changes the element count`);
  } else if (n.op === 'TRANSPOSE') {
    const perm = ins[1]?.data;
    if (perm) {
      const p = Array.from(perm, Number);
      const expect = p.map((a) => in0.shape[a]!);
      if (!same(expect, out0.shape)) problems.push(`transpose output [${out0.shape}] ≠ permuted input [${expect}]`);
    }
  } else if (n.op === 'CONCATENATION') {
    const rank = in0.shape.length;
    const axis = ((n.attrs.axis ?? 0) + rank) % rank;
    let sum = 0;
    for (const x of ins) {
      if (!x) continue;
      if (x.shape.length !== rank || x.shape.some((d, i) => i !== axis && d !== out0.shape[i])) problems.push(`input '${x.name}' [${x.shape}] does not match output [${out0.shape}] off axis ${axis}`);
      sum += x.shape[axis] ?? 0;
    }
    if (sum !== out0.shape[axis]) problems.push(`concatenated axis ${axis} sums to ${sum}, output has ${out0.shape[axis]}`);
  }
  return problems;
}

/**
 * Checks the graph's invariants: every read tensor exists and has a producer
 * (node, graph input or constant data), every tensor has at most one producer,
 * no cycles, graph outputs exist, shapes are static, and per-op shape/dtype
 * rules hold. Returns all issues (empty = valid).
 */
export function verify(g: Graph): VerifyIssue[] {
  const issues: VerifyIssue[] = [];
  const producer = new Map<string, string>();
  for (const i of g.inputs) {
    if (!g.hasTensor(i)) issues.push({ tensor: i, message: `graph input '${i}' has no tensor` });
    producer.set(i, '<input>');
  }
  for (const n of g.nodes) {
    for (const o of n.outputs) {
      if (!g.hasTensor(o)) issues.push({ node: n.name, tensor: o, message: `output '${o}' has no tensor` });
      const prev = producer.get(o);
      if (prev) issues.push({ node: n.name, tensor: o, message: `tensor '${o}' is written by both '${prev}' and '${n.name}'` });
      producer.set(o, n.name);
      const t = g.tensors.get(o);
      if (t && hasConstData(t)) issues.push({ node: n.name, tensor: o, message: `constant tensor '${o}' is also written by a node` });
    }
  }
  for (const n of g.nodes) {
    for (const i of n.inputs) {
      if (!i) continue;
      const t = g.tensors.get(i);
      if (!t) issues.push({ node: n.name, tensor: i, message: `input '${i}' does not exist (dangling)` });
      else if (!producer.has(i) && !hasConstData(t) && t.strings === undefined && !t.isVariable)
        issues.push({ node: n.name, tensor: i, message: `input '${i}' is neither a graph input, a constant nor produced by a node` });
    }
  }
  for (const o of g.outputs) {
    const t = g.tensors.get(o);
    if (!t) issues.push({ tensor: o, message: `graph output '${o}' does not exist` });
    else if (!producer.has(o) && !hasConstData(t)) issues.push({ tensor: o, message: `graph output '${o}' is never produced` });
  }
  for (const t of g.tensors.values()) {
    if (t.shape.some((d) => !Number.isInteger(d) || d < 0)) issues.push({ tensor: t.name, message: `tensor '${t.name}' has a non-static shape [${t.shape}]` });
    const deferred = deferredData(t);
    if ((deferred || t.data) && t.dtype !== 'string') {
      const want = numElements(t.shape);
      const held = deferred ? deferred.byteLength / DTYPE_SIZE[t.dtype] : t.data!.length;
      if (held !== want) issues.push({ tensor: t.name, message: `constant '${t.name}' holds ${held} elements, shape [${t.shape}] needs ${want}` });
    }
  }
  try {
    topologicalOrder(g);
  } catch (e) {
    issues.push({ message: (e as Error).message });
  }
  const get = (name: string) => g.tensors.get(name);
  for (const n of g.nodes) for (const p of checkNode(n, get)) issues.push({ node: n.name, message: `${n.op} '${n.name}': ${p}` });
  return issues;
}

/** verify() that throws with every issue listed (used after passes in tests and in the pipeline). */
export function assertValid(g: Graph, context = 'graph'): void {
  const issues = verify(g);
  if (issues.length) throw internalError(`IR invalid after ${context}:\n  ${issues.map((i) => i.message).join('\n  ')}`);
}
