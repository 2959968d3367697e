/**
 * Dynamic-quantized exports (onnxruntime `quantize_dynamic`, PyTorch dynamic quantization):
 *
 *   x → DynamicQuantizeLinear → (xq, xs, xzp)
 *   MatMulInteger(xq, Wq, xzp[, wzp]) | ConvInteger(xq, Wq, xzp[, wzp]) → Cast(to float)
 *     → Mul(·, Mul(xs, ws)) | Mul(·, xs) → Mul(·, ws)   (constant per-channel Muls around xs are absorbed)
 *
 * equals, up to x's own 8-bit rounding, the float op on dequantized weights: MatMul(x, (Wq − wzp)·ws)
 * or Conv(x, (Wq − wzp)·ws). This rewrite replaces each chain by that float node and a new float32
 * initializer (so the weights are kept, as float), and drops a DynamicQuantizeLinear nothing reads
 * any more. It runs on the GraphProto before the node loop; it needs the initializers, so it is a
 * pass of its own rather than a `Pattern` (which only swaps nodes).
 */
import { numElements } from '../../../ir/tensor.js';
import type { GraphProto, NodeProto, TensorProto } from '../proto.js';
import { num, onnx, type LongLike } from '../proto.js';
import { readTensorProto, type ConstData } from '../tensor-data.js';
import { isOp } from './graph-view.js';

interface Chain {
  /** Node indices replaced. */
  remove: number[];
  replacement: NodeProto;
  weights: TensorProto;
}

class Index {
  readonly producer = new Map<string, number>();
  readonly users = new Map<string, number[]>();
  readonly inits = new Map<string, TensorProto>();

  constructor(readonly graph: GraphProto) {
    (graph.node ?? []).forEach((n, i) => {
      for (const o of n.output ?? []) if (o) this.producer.set(o, i);
      for (const v of n.input ?? []) if (v) this.users.set(v, [...(this.users.get(v) ?? []), i]);
    });
    for (const o of graph.output ?? []) if (o.name) this.users.set(o.name, [...(this.users.get(o.name) ?? []), -1]);
    for (const t of graph.initializer ?? []) if (t.name) this.inits.set(t.name, t as TensorProto);
  }

  node(i: number | undefined): NodeProto | undefined {
    return i === undefined || i < 0 ? undefined : (this.graph.node![i] as NodeProto);
  }

  /** The only node reading `v` (not a graph output). */
  sole(v: string | undefined): number | undefined {
    const u = v ? this.users.get(v) : undefined;
    return u && u.length === 1 && u[0]! >= 0 ? u[0] : undefined;
  }

  /** Constant data of an initializer or a Constant node's output. */
  constant(v: string | undefined): ConstData | undefined {
    if (!v) return undefined;
    let t = this.inits.get(v);
    const p = this.node(this.producer.get(v));
    if (!t && isOp(p, 'Constant')) t = ((p.attribute ?? []).find((a) => a.name === 'value')?.t ?? undefined) as TensorProto | undefined;
    if (!t) return undefined;
    try {
      const c = readTensorProto(t);
      return c.data ? c : undefined;
    } catch {
      return undefined;
    }
  }
}

const values = (c: ConstData): number[] => Array.from(c.data as ArrayLike<number | bigint>, Number);

/** For Mul node `m` with one input `known`: the other input. */
function other(m: NodeProto, known: string): string | undefined {
  const [a, b] = m.input ?? [];
  return a === known ? b : b === known ? a : undefined;
}

/** Per-output-channel (or scalar) factors of `c`, for N output channels; undefined when not of that form. */
function perChannel(c: ConstData, n: number, conv: boolean): number[] | undefined {
  const v = values(c);
  if (v.length === 1) return new Array<number>(n).fill(v[0]!);
  if (v.length !== n) return undefined;
  const dims = c.shape.filter((d) => d !== 1);
  if (dims.length !== 1) return undefined;
  // MatMul: the channel is the last axis; Conv (NCHW output): axis 1 of a rank-4 broadcast, i.e. [N,1,1] / [1,N,1,1]
  const ok = conv ? c.shape.length >= 3 && c.shape[c.shape.length - 3] === n : c.shape[c.shape.length - 1] === n;
  return ok ? v : undefined;
}

function match(ix: Index, i: number): Chain | undefined {
  const q = ix.node(i)!;
  const conv = isOp(q, 'ConvInteger');
  if (!conv && !isOp(q, 'MatMulInteger')) return undefined;
  const [a, w, azp, wzpName] = q.input ?? [];
  const dql = ix.node(ix.producer.get(a ?? ''));
  if (!isOp(dql, 'DynamicQuantizeLinear')) return undefined;
  const [xq, xs, xzp] = dql.output ?? [];
  if (a !== xq || (azp && azp !== xzp) || !xs) return undefined;
  const wc = ix.constant(w);
  if (!wc || (wc.dtype !== 'int8' && wc.dtype !== 'uint8')) return undefined;
  // output channels: MatMul B [K, N] → N (last axis); Conv W [M, C/g, kh, kw] → M
  const n = conv ? wc.shape[0]! : wc.shape[wc.shape.length - 1]!;
  if (!conv && wc.shape.length !== 2) return undefined;
  const wzpC = wzpName ? ix.constant(wzpName) : undefined;
  if (wzpName && !wzpC) return undefined;
  const wzp = wzpC ? perChannel(wzpC, n, false) ?? (values(wzpC).length === n ? values(wzpC) : undefined) : new Array<number>(n).fill(0);
  if (!wzp) return undefined;
  const castI = ix.sole(q.output?.[0]);
  const cast = ix.node(castI);
  const to = (cast?.attribute ?? []).find((x) => x.name === 'to')?.i;
  if (!isOp(cast, 'Cast') || num(to as number | LongLike) !== 1) return undefined;
  // Mul chain: absorb constants and exactly one xs (directly or as Mul(xs, K))
  const remove = [i, castI!];
  const scale = new Array<number>(n).fill(1);
  let cur = cast.output![0]!;
  let sawXs = false;
  for (let step = 0; step < 3; step++) {
    const mi = ix.sole(cur);
    const m = ix.node(mi);
    if (!isOp(m, 'Mul')) break;
    const o = other(m, cur);
    if (!o) break;
    let k: number[] | undefined;
    let extra: number | undefined;
    if (o === xs && !sawXs) {
      k = new Array<number>(n).fill(1);
      sawXs = true;
    } else if (ix.constant(o)) {
      k = perChannel(ix.constant(o)!, n, conv);
    } else {
      const si = ix.sole(o);
      const s = ix.node(ix.producer.get(o));
      const kName = s && isOp(s, 'Mul') ? other(s, xs) : undefined;
      if (!sawXs && si === mi && kName && ix.constant(kName)) {
        k = perChannel(ix.constant(kName)!, n, conv);
        extra = ix.producer.get(o);
        sawXs = true;
      }
    }
    if (!k) break;
    k.forEach((f, j) => (scale[j] = scale[j]! * f));
    remove.push(mi!);
    if (extra !== undefined) remove.push(extra);
    cur = m.output![0]!;
  }
  if (!sawXs) return undefined;
  // dequantized weights, float32, in the ONNX layout of the float op
  const wv = values(wc);
  const f = new Float32Array(wv.length);
  const inner = conv ? numElements(wc.shape.slice(1)) : 1;
  for (let e = 0; e < wv.length; e++) {
    const ch = conv ? Math.floor(e / inner) : e % n;
    f[e] = (wv[e]! - wzp[ch]!) * scale[ch]!;
  }
  const wName = `${w}_dequantized_${i}`;
  const weights = onnx.TensorProto.create({ name: wName, dims: wc.shape, dataType: 1, rawData: new Uint8Array(f.buffer) });
  const attrs = conv ? (q.attribute ?? []) : [];
  const replacement = onnx.NodeProto.create({
    name: `${q.name || `${q.opType}_${i}`}_float`,
    opType: conv ? 'Conv' : 'MatMul',
    input: [dql.input![0]!, wName],
    output: [cur],
    attribute: attrs,
  });
  return { remove, replacement, weights };
}

/** Rewrites every dynamic-quantization chain in `graph` (in place); returns how many. */
export function rewriteDynamicQuant(graph: GraphProto): number {
  if (!(graph.node ?? []).some((n) => isOp(n as NodeProto, 'DynamicQuantizeLinear'))) return 0;
  const ix = new Index(graph);
  const used = new Set<number>();
  const placed = new Map<number, NodeProto>();
  const inits: TensorProto[] = [];
  for (let i = 0; i < (graph.node ?? []).length; i++) {
    const c = match(ix, i);
    if (!c || c.remove.some((k) => used.has(k))) continue;
    for (const k of c.remove) used.add(k);
    placed.set(Math.max(...c.remove), c.replacement);
    inits.push(c.weights);
  }
  if (!placed.size) return 0;
  let nodes = (graph.node ?? []).flatMap((n, k) => (placed.has(k) ? [placed.get(k)!] : used.has(k) ? [] : [n as NodeProto]));
  // a DynamicQuantizeLinear whose outputs nothing reads any more goes too
  const read = new Set<string>([...nodes.flatMap((n) => n.input ?? []), ...(graph.output ?? []).map((o) => o.name ?? '')]);
  nodes = nodes.filter((n) => !isOp(n, 'DynamicQuantizeLinear') || (n.output ?? []).some((o) => o && read.has(o)));
  graph.node = nodes;
  graph.initializer = [...(graph.initializer ?? []), ...inits];
  return placed.size;
}
