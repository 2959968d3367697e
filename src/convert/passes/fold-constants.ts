/**
 * fold-constants: computes nodes whose inputs are all constant and whose result
 * is small, and turns their output into a constant: TRANSPOSE, RESHAPE, SQUEEZE,
 * EXPAND_DIMS, ADD / SUB / MUL / DIV / MINIMUM / MAXIMUM (numpy broadcasting,
 * with a fused RELU-family activation), NEG, CAST. float32 arithmetic is
 * rounded to float32 after each op, as TFLite's kernels do; integer DIV is left
 * alone (its rounding differs between kernels).
 */
import type { Graph } from '../../ir/graph.js';
import type { Activation, Node } from '../../ir/node.js';
import { allocTyped, type DType, type TypedArray } from '../../ir/dtype.js';
import { numElements, type Tensor } from '../../ir/tensor.js';
import { constInts, constTensor, isGraphOutput } from './graph-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';
import { broadcastIndex, broadcastShapes, permuteData } from '../../ir/ndarray.js';

/** Results above this many elements are folded only when no larger than the largest input (no blow-up). */
export const FOLD_MAX_ELEMENTS = 1 << 16;

const BINARY = new Set(['ADD', 'SUB', 'MUL', 'DIV', 'MINIMUM', 'MAXIMUM']);
const NUMERIC: ReadonlySet<DType> = new Set(['float32', 'float64', 'int32', 'int16', 'int8', 'uint8', 'uint16', 'uint32', 'int64', 'bool']);

function clampFor(act: Activation | undefined): [number, number] | undefined {
  switch (act ?? 'NONE') {
    case 'NONE': return [-Infinity, Infinity];
    case 'RELU': return [0, Infinity];
    case 'RELU6': return [0, 6];
    case 'RELU_N1_TO_1': return [-1, 1];
    default: return undefined;
  }
}

function binaryNumber(op: string, a: number, b: number): number {
  switch (op) {
    case 'ADD': return a + b;
    case 'SUB': return a - b;
    case 'MUL': return a * b;
    case 'DIV': return a / b;
    case 'MINIMUM': return Math.min(a, b);
    default: return Math.max(a, b);
  }
}

function binaryBig(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case 'ADD': return a + b;
    case 'SUB': return a - b;
    case 'MUL': return a * b;
    case 'MINIMUM': return a < b ? a : b;
    default: return a > b ? a : b;
  }
}

/** Computes `n` on constant inputs; a string says why it was not folded. */
function evaluate(g: Graph, n: Node, ins: Tensor[], out: Tensor): TypedArray | string {
  const x = ins[0]!;
  if (n.op === 'RESHAPE' || n.op === 'SQUEEZE' || n.op === 'EXPAND_DIMS') {
    if (x.dtype !== out.dtype) return 'dtype changes';
    return x.data!.slice();
  }
  if (n.op === 'TRANSPOSE') {
    const perm = constInts(g, n.inputs[1]);
    if (!perm || perm.length !== x.shape.length) return 'perm is not a constant of the input rank';
    return permuteData(x.dtype, x.data!, x.shape, perm);
  }
  if (n.op === 'CAST') {
    const res = allocTyped(out.dtype, x.data!.length);
    const big = out.dtype === 'int64' || out.dtype === 'uint64';
    const intOut = !['float32', 'float64'].includes(out.dtype);
    for (let i = 0; i < res.length; i++) {
      const v = Number(x.data![i]!);
      const w = out.dtype === 'bool' ? (v !== 0 ? 1 : 0) : intOut ? Math.trunc(v) : v;
      (res as unknown as Array<number | bigint>)[i] = big ? BigInt(w) : w;
    }
    return res;
  }
  if (n.op === 'NEG') {
    const res = allocTyped(out.dtype, x.data!.length);
    for (let i = 0; i < res.length; i++) (res as unknown as Array<number | bigint>)[i] = -(x.data![i] as number);
    return res;
  }
  if (BINARY.has(n.op)) {
    const y = ins[1]!;
    if (x.dtype !== y.dtype || x.dtype !== out.dtype) return 'operand dtypes differ';
    const clamp = clampFor(n.attrs.activation);
    if (!clamp) return `fused activation ${n.attrs.activation} not computed`;
    const shape = broadcastShapes(x.shape, y.shape);
    if (!shape) return 'shapes do not broadcast';
    const ia = broadcastIndex(x.shape, shape);
    const ib = broadcastIndex(y.shape, shape);
    const res = allocTyped(out.dtype, ia.length);
    const dst = res as unknown as Array<number | bigint>;
    if (x.dtype === 'int64') {
      if (n.op === 'DIV') return 'integer DIV is not folded';
      const lo = clamp[0] === -Infinity ? undefined : BigInt(clamp[0]);
      const hi = clamp[1] === Infinity ? undefined : BigInt(clamp[1]);
      for (let i = 0; i < ia.length; i++) {
        let v = binaryBig(n.op, x.data![ia[i]!] as bigint, y.data![ib[i]!] as bigint);
        if (lo !== undefined && v < lo) v = lo;
        if (hi !== undefined && v > hi) v = hi;
        dst[i] = v;
      }
      return res;
    }
    const isFloat = x.dtype === 'float32' || x.dtype === 'float64';
    if (!isFloat && n.op === 'DIV') return 'integer DIV is not folded';
    const round = x.dtype === 'float32' ? Math.fround : (v: number) => v;
    for (let i = 0; i < ia.length; i++) {
      let v = binaryNumber(n.op, x.data![ia[i]!] as number, y.data![ib[i]!] as number);
      if (x.dtype === 'int32') v = n.op === 'MUL' ? Math.imul(x.data![ia[i]!] as number, y.data![ib[i]!] as number) : v | 0;
      v = Math.min(Math.max(round(v), clamp[0]), clamp[1]);
      dst[i] = v;
    }
    return res;
  }
  return `${n.op} is not an op this pass computes`;
}

const FOLDABLE = new Set(['RESHAPE', 'SQUEEZE', 'EXPAND_DIMS', 'TRANSPOSE', 'CAST', 'NEG', ...BINARY]);

export const foldConstants: PassSpec = {
  id: 'fold-constants',
  phase: 'normalize',
  summary: 'compute small nodes whose inputs are all constant (TRANSPOSE, RESHAPE, ADD/SUB/MUL/DIV, CAST…)',
  run(g: Graph): PassResult {
    let folded = 0;
    const declines: string[] = [];
    for (const n of [...g.nodes]) {
      const present = n.inputs.filter((i) => i);
      if (!present.length || n.outputs.length !== 1) continue;
      const ins = present.map((i) => constTensor(g, i));
      if (ins.some((t) => !t)) continue;
      const out = g.tensor(n.outputs[0]!);
      const consts = ins as Tensor[];
      const label = `${n.op} '${n.name}'`;
      if (!FOLDABLE.has(n.op)) {
        declines.push(`${label}: not an op this pass computes`);
        continue;
      }
      if (isGraphOutput(g, out.name)) {
        declines.push(`${label}: its output '${out.name}' is a graph output (a TFLite output must be computed)`);
        continue;
      }
      if ([...consts, out].some((t) => t.quant || !NUMERIC.has(t.dtype)) || consts.some((t) => !t.data)) {
        declines.push(`${label}: quantized, float16 or non-numeric tensors`);
        continue;
      }
      const size = numElements(out.shape);
      const largestInput = Math.max(...consts.map((t) => t.data!.length));
      if (size > FOLD_MAX_ELEMENTS && size > largestInput) {
        declines.push(`${label}: result has ${size} elements (limit ${FOLD_MAX_ELEMENTS} when larger than its inputs)`);
        continue;
      }
      const data = evaluate(g, n, consts, out);
      if (typeof data === 'string') {
        declines.push(`${label}: ${data}`);
        continue;
      }
      if (data.length !== size) {
        declines.push(`${label}: computed ${data.length} elements for shape [${out.shape}]`);
        continue;
      }
      g.removeNode(n);
      out.data = data;
      folded++;
    }
    if (folded) g.pruneTensors();
    return summarize('nodes folded into constants', folded, declines, { folded });
  },
};
