/**
 * Builds small IR graphs by hand for pass tests:
 *
 *   const b = new IrBuilder(1);                       // seed for constant data
 *   const x = b.input('x', [1, 8, 8, 3]);
 *   const y = b.conv2d(x, { out: 4, k: 3 });          // OHWI weights + bias, SAME padding
 *   const z = b.op('RELU', [y], [1, 8, 8, 4]);
 *   b.output(z);
 *   const g = b.graph;                                // verify(g) is clean
 */
import { Graph } from '../../src/ir/graph.js';
import type { Attrs, Node } from '../../src/ir/node.js';
import type { DType, TypedArray } from '../../src/ir/dtype.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { numElements } from '../../src/ir/tensor.js';
import { normalFloat32 } from '../../src/core/random.js';
import type { BuiltinOpName } from '../../src/tflite/schema/enums.js';

export class IrBuilder {
  readonly graph = new Graph();
  private seed: number;
  private count = 0;

  constructor(seed = 1) {
    this.seed = seed;
  }

  private fresh(base: string): string {
    return this.graph.uniqueName(`${base}_${this.count++}`);
  }

  input(name: string, shape: number[], dtype: DType = 'float32'): string {
    this.graph.addTensor({ name, dtype, shape, layout: shape.length === 4 ? 'NHWC' : 'plain' });
    this.graph.inputs.push(name);
    return name;
  }

  /** A constant; `data` defaults to seeded N(0, std²) floats. */
  const(name: string | undefined, shape: number[], data?: TypedArray | number[], opts: { dtype?: DType; std?: number } = {}): string {
    const dtype = opts.dtype ?? 'float32';
    const n = name ?? this.fresh('const');
    let arr: TypedArray;
    if (data === undefined) arr = normalFloat32(numElements(shape), this.seed++, opts.std ?? 0.5);
    else if (Array.isArray(data)) {
      arr = dtype === 'int32' ? Int32Array.from(data) : dtype === 'int64' ? BigInt64Array.from(data.map(BigInt)) : Float32Array.from(data);
    } else arr = data;
    this.graph.addTensor({ name: n, dtype, shape, layout: 'plain', data: arr });
    return n;
  }

  /** int32 constant (perms, shapes). */
  ints(values: number[]): string {
    return this.const(undefined, [values.length], values, { dtype: 'int32' });
  }

  /** Adds a node with one output of `outShape`; returns the output tensor name. */
  op(op: BuiltinOpName, inputs: string[], outShape: number[], attrs: Attrs = {}, opts: { name?: string; out?: string; dtype?: DType } = {}): string {
    const out = opts.out ?? this.fresh(op.toLowerCase());
    const tensor: Tensor = { name: out, dtype: opts.dtype ?? 'float32', shape: outShape, layout: outShape.length === 4 ? 'NHWC' : 'plain' };
    this.graph.addTensor(tensor);
    const node: Node = { name: opts.name ?? this.fresh(`${op}_node`), op, inputs, outputs: [out], attrs };
    this.graph.addNode(node);
    return out;
  }

  shape(name: string): number[] {
    return this.graph.tensor(name).shape;
  }

  /** CONV_2D (OHWI weights, bias unless bias=false), SAME padding by default. */
  conv2d(x: string, o: { out: number; k?: number; stride?: number; padding?: 'SAME' | 'VALID'; bias?: boolean; activation?: Attrs['activation']; name?: string }): string {
    const [n, h, w, c] = this.shape(x) as [number, number, number, number];
    const k = o.k ?? 1;
    const s = o.stride ?? 1;
    const pad = o.padding ?? 'SAME';
    const oh = pad === 'SAME' ? Math.ceil(h / s) : Math.floor((h - k) / s) + 1;
    const ow = pad === 'SAME' ? Math.ceil(w / s) : Math.floor((w - k) / s) + 1;
    const wt = this.const(undefined, [o.out, k, k, c], undefined, { std: Math.sqrt(2 / (k * k * c)) });
    // TFLite's CONV_2D kernel rejects an absent (-1) third input, and its float path needs a bias
    // at all ("has_bias was not true"): bias=false builds IR LiteRT will not run.
    const inputs = o.bias === false ? [x, wt] : [x, wt, this.const(undefined, [o.out], undefined, { std: 0.1 })];
    return this.op('CONV_2D', inputs, [n, oh, ow, o.out], { padding: pad, strideH: s, strideW: s, dilationH: 1, dilationW: 1, activation: o.activation ?? 'NONE' }, { name: o.name });
  }

  /** DEPTHWISE_CONV_2D (1×k×k×C weights, multiplier 1). */
  depthwise(x: string, o: { k?: number; stride?: number; bias?: boolean; activation?: Attrs['activation']; name?: string } = {}): string {
    const [n, h, w, c] = this.shape(x) as [number, number, number, number];
    const k = o.k ?? 3;
    const s = o.stride ?? 1;
    const wt = this.const(undefined, [1, k, k, c], undefined, { std: Math.sqrt(2 / (k * k)) });
    const inputs = o.bias === false ? [x, wt] : [x, wt, this.const(undefined, [c], undefined, { std: 0.1 })];
    return this.op('DEPTHWISE_CONV_2D', inputs, [n, Math.ceil(h / s), Math.ceil(w / s), c], {
      padding: 'SAME', strideH: s, strideW: s, dilationH: 1, dilationW: 1, depthMultiplier: 1, activation: o.activation ?? 'NONE',
    }, { name: o.name });
  }

  /** FULLY_CONNECTED on a [N, I] input with [O, I] weights. */
  fc(x: string, out: number, o: { bias?: boolean; name?: string } = {}): string {
    const [n, i] = this.shape(x) as [number, number];
    const wt = this.const(undefined, [out, i], undefined, { std: Math.sqrt(2 / i) });
    const inputs = [x, wt, o.bias === false ? '' : this.const(undefined, [out], undefined, { std: 0.1 })];
    return this.op('FULLY_CONNECTED', inputs, [n, out], { activation: 'NONE', keepNumDims: false }, { name: o.name });
  }

  /** Elementwise binary op with numpy broadcasting of the two operand shapes. */
  binary(op: 'ADD' | 'SUB' | 'MUL' | 'DIV' | 'MINIMUM' | 'MAXIMUM', a: string, b: string, attrs: Attrs = {}, opts: { name?: string } = {}): string {
    const sa = this.shape(a);
    const sb = this.shape(b);
    const r = Math.max(sa.length, sb.length);
    const out: number[] = [];
    for (let i = 0; i < r; i++) out.push(Math.max(sa[sa.length - r + i] ?? 1, sb[sb.length - r + i] ?? 1));
    return this.op(op, [a, b], out, { activation: 'NONE', ...attrs }, { ...opts, dtype: this.graph.tensor(a).dtype });
  }

  unary(op: 'RELU' | 'RELU6' | 'RELU_N1_TO_1' | 'TANH' | 'LOGISTIC', x: string, opts: { name?: string } = {}): string {
    return this.op(op, [x], this.shape(x), {}, opts);
  }

  transpose(x: string, perm: number[], opts: { name?: string } = {}): string {
    const s = this.shape(x);
    return this.op('TRANSPOSE', [x, this.ints(perm)], perm.map((p) => s[p]!), {}, { ...opts, dtype: this.graph.tensor(x).dtype });
  }

  reshape(x: string, shape: number[], opts: { name?: string } = {}): string {
    return this.op('RESHAPE', [x, this.ints(shape)], shape, { newShape: shape }, { ...opts, dtype: this.graph.tensor(x).dtype });
  }

  output(name: string): void {
    this.graph.outputs.push(name);
  }
}

/** A deep copy (constant data copied too), so a graph can be compared before and after a pass. */
export function cloneGraph(g: Graph): Graph {
  return g.clone({ copyData: true });
}

/** Op histogram of a graph, e.g. { CONV_2D: 2, RELU: 1 }. */
export function opCounts(g: Graph): Record<string, number> {
  const h: Record<string, number> = {};
  for (const n of g.nodes) h[n.op] = (h[n.op] ?? 0) + 1;
  return h;
}
