/**
 * The TF node importer's view of the shared ImportContext. A TF value lives in the ONNX frontend's
 * value table under its TF tensor name: a 4-D TF tensor [N,H,W,C] (NHWC, TF's own layout) is the
 * value with logical shape [N,C,H,W] held in NHWC form, so the ONNX lowering (conv, pool, pad,
 * resize, reduce, elementwise…) runs on it with no TRANSPOSE; other ranks are held as they are.
 * TF axes of 4-D values map onto logical axes through TO_NHWC. TF ops either call an ONNX importer
 * (`onnx()`: fold first, then the op table row) or emit TFLite ops on TF-ordered IR tensors.
 */
import { internalError } from '../../core/errors.js';
import type { DType, TypedArray } from '../../ir/dtype.js';
import type { Layout } from '../../ir/tensor.js';
import type { Attrs } from '../../ir/node.js';
import type { BuiltinOpName } from '../../tflite/schema/enums.js';
import { ImportContext, NodeUnsupported } from '../onnx/context.js';
import { foldNode } from '../onnx/fold/index.js';
import { TO_NCHW, TO_NHWC } from '../onnx/layout.js';
import { permuteData, permuteShape } from '../../ir/ndarray.js';
import { OnnxNode } from '../onnx/node.js';
import { ONNX_OPS } from '../onnx/ops/index.js';
import { inRange } from '../onnx/opset.js';
import { dataOnce, type ConstData } from '../onnx/tensor-data.js';
import type { TfNode } from './node.js';

/** The opset the ONNX importers are run at (ONNX semantics TF ops are expressed in). */
export const TF_ONNX_OPSET = 17;

/** An ONNX-frontend lowering function (e.g. `unary('FLOOR')`, `binary('FLOOR_DIV')`) run on a synthesized node. */
export type OnnxLowering = (ctx: ImportContext, node: OnnxNode) => void;

type OnnxAttr = number | number[] | string | { floats: number[] } | { float: number };

export class TfContext {
  readonly ctx: ImportContext;
  node!: TfNode;
  private seq = 0;

  constructor(ctx: ImportContext) {
    this.ctx = ctx;
  }

  fail(reason: NodeUnsupported['reason'], message: string): never {
    throw new NodeUnsupported(reason, message);
  }

  // ------------------------------------------------------------ values in TF order
  has(name: string): boolean {
    return this.ctx.has(name);
  }
  rank(name: string): number {
    return this.ctx.rank(name);
  }
  /** TF shape of a value. */
  shape(name: string): number[] {
    const s = this.ctx.shape(name);
    return s.length === 4 ? permuteShape(s, TO_NHWC) : [...s];
  }
  dtype(name: string): DType {
    return this.ctx.dtype(name);
  }
  isConst(name: string): boolean {
    return this.ctx.isConst(name);
  }
  /** Constant data in TF element order (float16 as stored). */
  constData(name: string): ConstData | undefined {
    const c = this.ctx.constant(name);
    const data = c && dataOnce(c);
    if (!c || !data) return undefined;
    if (c.shape.length !== 4) return { dtype: c.dtype, shape: [...c.shape], data };
    return { dtype: c.dtype, shape: permuteShape(c.shape, TO_NHWC), data: permuteData(c.dtype, data, c.shape, TO_NHWC) };
  }
  /** Constant values (TF order) as numbers. */
  constNumbers(name: string): number[] | undefined {
    const c = this.constData(name);
    if (!c) return undefined;
    return c.dtype === 'float16' ? Array.from(this.ctx.constFloat32(name)!) : Array.from(c.data as ArrayLike<number | bigint>, Number);
  }
  /** A constant input that must be present; otherwise the node is refused with `requires-constant-input`. */
  requireConst(i: number, what: string): number[] {
    const name = this.node.input(i);
    const v = this.constNumbers(name);
    if (!v) this.fail('requires-constant-input', `${what} (input '${name}') must be a constant`);
    return v;
  }
  /** The IR tensor holding `name` in TF order. */
  tensor(name: string): string {
    return this.ctx.rank(name) === 4 ? this.ctx.nhwc(name) : this.ctx.nchw(name);
  }
  /** TF axis → axis of the ONNX value (4-D values are held as logical NCHW). */
  axis(a: number, rank: number): number {
    const n = a < 0 ? a + rank : a;
    return rank === 4 ? TO_NHWC[n]! : n;
  }

  /** Defines constant `name` from TF-ordered data. */
  defineConst(name: string, c: ConstData): void {
    if (c.shape.length === 4 && c.data) {
      this.ctx.defineConst(name, { dtype: c.dtype, shape: permuteShape(c.shape, TO_NCHW), data: permuteData(c.dtype, c.data, c.shape, TO_NCHW) });
    } else this.ctx.defineConst(name, c);
  }
  /** A new IR tensor for TF output `name`, TF-ordered, registered as its value. */
  define(name: string, dtype: DType, shape: number[]): string {
    return shape.length === 4 ? this.ctx.define(name, dtype, permuteShape(shape, TO_NCHW), 'NHWC') : this.ctx.define(name, dtype, shape, 'ONNX');
  }
  /** TF value `name` is the existing TF-ordered IR tensor `tensor`. */
  bind(name: string, tensor: string, dtype: DType, shape: number[]): void {
    if (shape.length === 4) this.ctx.bind(name, tensor, dtype, permuteShape(shape, TO_NCHW), 'NHWC');
    else this.ctx.bind(name, tensor, dtype, shape, 'ONNX');
  }
  alias(name: string, from: string): void {
    this.ctx.alias(name, from);
  }
  /** A fresh value name for an intermediate result of the current node. */
  temp(what: string): string {
    return `${this.node.name}/__${what}_${this.seq++}`;
  }
  /** A constant value (TF order) under a fresh name. */
  constValue(what: string, dtype: DType, shape: number[], data: TypedArray): string {
    const name = this.temp(what);
    this.defineConst(name, { dtype, shape, data });
    return name;
  }
  int64Value(what: string, values: readonly number[]): string {
    return this.constValue(what, 'int64', [values.length], BigInt64Array.from(values.map((v) => BigInt(v))));
  }

  // ------------------------------------------------------------ lowering
  /**
   * Runs ONNX op `op` on values `inputs` (their ONNX view) into `outputs`: the fold rules first (all
   * inputs constant), else the ONNX op table's row — the same lowering the ONNX frontend uses. `op`
   * may also be one of the ONNX frontend's lowering functions, for TFLite ops ONNX has no op for.
   */
  onnx(op: string | OnnxLowering, inputs: string[], outputs: string[], attrs: Record<string, OnnxAttr> = {}): void {
    const attribute = Object.entries(attrs).map(([name, v]) => {
      if (typeof v === 'string') return { name, s: new TextEncoder().encode(v), type: 3 };
      if (Array.isArray(v)) return { name, ints: v, type: 7 };
      if (typeof v === 'number') return { name, i: v, type: 2 };
      if ('floats' in v) return { name, floats: v.floats, type: 6 };
      return { name, f: v.float, type: 1 };
    });
    const opType = typeof op === 'string' ? op : this.node.op;
    const proto = { name: this.node.name, opType, domain: '', input: inputs, output: outputs, attribute };
    const onnxNode = new OnnxNode(proto as unknown as ConstructorParameters<typeof OnnxNode>[0], 0);
    const saved = this.ctx.node;
    this.ctx.node = onnxNode;
    try {
      if (typeof op !== 'string') return op(this.ctx, onnxNode);
      const row = ONNX_OPS.find((r) => r.onnxOp === op && inRange(r.opsets, TF_ONNX_OPSET));
      if (foldNode(this.ctx, onnxNode, row?.axes)) return;
      if (!row) throw internalError(`ONNX op ${op} has no importer at opset ${TF_ONNX_OPSET}`);
      row.check?.(this.ctx, onnxNode);
      row.import(this.ctx, onnxNode);
    } finally {
      this.ctx.node = saved;
    }
  }

  /** Emits TFLite `op` on IR tensors (named after the TF node). */
  emit(op: BuiltinOpName, inputs: string[], outputs: string[], attrs: Attrs = {}): void {
    const saved = this.ctx.node;
    this.ctx.node = { name: this.node.name, opType: this.node.op } as OnnxNode;
    try {
      this.ctx.emit(op, inputs, outputs, attrs);
    } finally {
      this.ctx.node = saved;
    }
  }
  newTensor(what: string, dtype: DType, shape: number[], layout: Layout = 'plain'): string {
    return this.ctx.newTensor(`${this.node.name}/${what}`, dtype, shape, layout);
  }
  int32Const(what: string, values: readonly number[], shape?: number[]): string {
    return this.ctx.int32Const(`${this.node.name}/${what}`, values, shape);
  }
}
