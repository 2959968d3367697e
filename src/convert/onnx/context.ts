/**
 * The importer context: which IR tensor holds each ONNX value and in which
 * layout, plus the small builders op importers use. 4-D activations live in
 * NHWC; `nhwc()` / `nchw()` materialize the other form with one cached
 * TRANSPOSE (or a RESHAPE when only size-1 axes move) only when an op asks.
 */
import { FLOAT16_WEIGHTS_KEY } from '../passes/keep-half-weights.js';
import { CHANNELS_LAST_OUTPUTS_KEY } from '../channels-last-outputs.js';
import type { ReasonCode } from '../../core/errors.js';
import { allocTyped, bytesOf, toFloat32, type DType, type TypedArray } from '../../ir/dtype.js';
import { deferData, hasConstData } from '../../ir/deferred-data.js';
import type { Graph } from '../../ir/graph.js';
import type { Attrs, Node } from '../../ir/node.js';
import type { Layout, QuantParams } from '../../ir/tensor.js';
import type { BuiltinOpName } from '../../tflite/schema/enums.js';
import { missingKernel } from './kernel-dtypes.js';
import { permuteFloat32Bytes, permuteFloat32Into, TO_NCHW, TO_NHWC } from './layout.js';
import type { OnnxNode } from './node.js';
import { dataOnce, hasData, unalignedBytes, type ConstData } from './tensor-data.js';
import { FLOAT64_NOTE, FLOAT64_NOTE_KEY, float64ToFloat32, heldDType } from './float64.js';
import { isIdentityPerm, isReshapeOnly, permuteData, permuteShape } from '../../ir/ndarray.js';

/** 'NHWC' = the ONNX NCHW tensor permuted [0,2,3,1]; 'ONNX' = ONNX axis order (tag NCHW for 4-D, plain otherwise). */
export type Form = 'NHWC' | 'ONNX';

export interface OnnxValue {
  name: string;
  dtype: DType;
  /** Shape in ONNX axis order. */
  shape: number[];
  /** Constant data in ONNX order (initializers, Constant nodes, folded values). */
  constant?: ConstData;
  /** Quantization a constant was stored with (dequantized weights) or an activation carried (Q→DQ pairs). */
  quant?: QuantParams;
  /** IR tensors holding this value, by form. */
  forms: Map<Form, string>;
  /** The form its producer wrote (undefined for constants). */
  primary?: Form;
}

/** Graph metadata key set when float16 runtime values were imported as float32 (value: FLOAT16_NOTE). */
export const FLOAT16_NOTE_KEY = 'mai_float16_as_float32';
export const FLOAT16_NOTE =
  'float16 inputs, outputs and activations were imported as float32 (LiteRT.js and the GPU delegate take float32 I/O; the GPU delegate computes in fp16 anyway); feed float32 inputs';

/** Graph metadata key of the note about ONNX inputs / outputs left out because they have no elements (empty.ts). */
export const EMPTY_IO_NOTE_KEY = 'mai_empty_io_note';
/** Graph metadata key set by the TF importer when an unknown batch dim was set to 1 (tf/import.ts). */
export const TF_BATCH_NOTE_KEY = 'mai_tf_batch_1';

/** Notes on how the import changed the model's types, for the CLI to show (empty when none). */
export function importNotes(g: Graph): string[] {
  return [FLOAT16_NOTE_KEY, FLOAT16_WEIGHTS_KEY, FLOAT64_NOTE_KEY, EMPTY_IO_NOTE_KEY, TF_BATCH_NOTE_KEY, CHANNELS_LAST_OUTPUTS_KEY].map((k) => g.metadata.get(k)).filter((n): n is string => !!n);
}

/** Thrown by an op importer for a node it cannot convert; collected into the final report. */
export class NodeUnsupported extends Error {
  constructor(
    readonly reason: ReasonCode,
    message: string,
  ) {
    super(message);
  }
}

export function layoutTag(form: Form, rank: number): Layout {
  if (rank !== 4) return 'plain';
  return form === 'NHWC' ? 'NHWC' : 'NCHW';
}

export class ImportContext {
  readonly values = new Map<string, OnnxValue>();
  /** The node being imported (for names and diagnostics). */
  node!: OnnxNode;
  /** Op types consuming each ONNX value (after ONNX-level patterns), set by the importer before the node loop. */
  consumers: ReadonlyMap<string, readonly string[]> = new Map();
  /** dtype and static shape the model declares for values (value_info, graph outputs), set by the importer before the node loop. */
  declared: ReadonlyMap<string, { dtype: DType; shape: number[] }> = new Map();
  /** IR tensors holding an empty ONNX value (empty.ts): no op may read them. */
  private readonly emptyValues = new Set<string>();
  /** Permuted copies of quantized constants → their quant params with the axis permuted (float32Const attaches them). */
  private readonly permutedQuant = new WeakMap<Float32Array, QuantParams>();

  constructor(
    readonly g: Graph,
    /** Imported opset of the default domain. */
    readonly opset: number,
  ) {}

  // ---------------------------------------------------------------- lookup
  value(name: string): OnnxValue {
    const v = this.values.get(name);
    if (!v) throw new NodeUnsupported('invalid-model', `input '${name}' is not produced by any node, initializer or graph input`);
    return v;
  }
  has(name: string): boolean {
    return name !== '' && this.values.has(name);
  }
  shape(name: string): number[] {
    return this.value(name).shape;
  }
  rank(name: string): number {
    return this.value(name).shape.length;
  }
  dtype(name: string): DType {
    return this.value(name).dtype;
  }
  isConst(name: string): boolean {
    return this.has(name) && hasData(this.value(name).constant);
  }
  constant(name: string): ConstData | undefined {
    return this.has(name) ? this.value(name).constant : undefined;
  }
  /** Constant values as numbers (int64 included, float16 bits decoded), or undefined when not constant. */
  constNumbers(name: string): number[] | undefined {
    const c = this.constant(name);
    const data = c && dataOnce(c);
    if (data && c.dtype === 'float16') return Array.from(toFloat32('float16', data));
    return data ? Array.from(data as ArrayLike<number | bigint>, Number) : undefined;
  }
  /** Constant values as float32 (float16 bits decoded). Read-only: it may be a view into the model bytes. */
  constFloat32(name: string): Float32Array | undefined {
    const c = this.constant(name);
    const data = c && dataOnce(c);
    if (data && c.dtype === 'float64') return this.float64Const(name, data);
    return data ? toFloat32(c.dtype, data) : undefined;
  }

  /** float64 constant data as float32 (see float64.ts); the node is rejected when a value is beyond float32's range. */
  private float64Const(name: string, data: TypedArray): Float32Array {
    const r = float64ToFloat32(name, data);
    if ('error' in r) this.fail('unsupported-dtype', r.error);
    this.g.metadata.set(FLOAT64_NOTE_KEY, FLOAT64_NOTE);
    return r.data;
  }
  /**
   * Constant values as float32, transposed by `perm` (ONNX shape order) into a new array. Unaligned
   * float32 raw_data is read in place, so the permuted array is the only copy made.
   */
  constFloat32Permuted(name: string, perm: readonly number[]): Float32Array | undefined {
    const c = this.constant(name);
    const raw = c && c.dtype === 'float32' ? unalignedBytes(c) : undefined;
    const data = raw ? undefined : this.constFloat32(name);
    const out = raw ? permuteFloat32Bytes(raw, c!.shape, perm) : data ? (permuteData('float32', data, this.shape(name), perm) as Float32Array) : undefined;
    const q = this.value(name).quant;
    if (out && q) this.permutedQuant.set(out, q.axis === undefined ? q : { ...q, axis: perm.indexOf(q.axis) });
    return out;
  }
  /**
   * A new float32 constant holding constant `name` transposed by `perm` (ONNX shape order), with
   * IR shape `shape`. Plain float32 data is not permuted here: the tensor's data is deferred
   * (ir/deferred-data.ts), so the TFLite writer permutes the source bytes straight into its output
   * buffer and the weights never exist twice. Other dtypes and quantized weights are permuted now.
   */
  permutedFloat32Const(base: string, name: string, perm: readonly number[], shape: number[], layout: Layout = 'plain'): string {
    const c = this.constant(name);
    const src = c && c.dtype === 'float32' && !this.value(name).quant ? (unalignedBytes(c) ?? (c.data && bytesOf(c.data))) : undefined;
    if (!c || !src) return this.float32Const(base, this.constFloat32Permuted(name, perm)!, shape, layout);
    const onnxShape = [...c.shape];
    const tensor = this.g.uniqueName(base);
    deferData(this.g.addTensor({ name: tensor, dtype: 'float32', shape: [...shape], layout }), {
      byteLength: src.byteLength,
      fill: (dst) => permuteFloat32Into(src, onnxShape, perm, new Float32Array(dst.buffer, dst.byteOffset, dst.byteLength / 4)),
    });
    return tensor;
  }
  /** Constant input that must be present; otherwise the node is reported with `requires-constant-input`. */
  requireConst(name: string, what: string): number[] {
    const v = this.constNumbers(name);
    if (!v) throw new NodeUnsupported('requires-constant-input', `${what} (input '${name}') must be a constant`);
    return v;
  }
  /** Known and not constant ('' and inputs left unknown downstream of a failed node are neither). */
  isRuntime(name: string): boolean {
    return this.has(name) && !this.isConst(name);
  }
  isNhwc(name: string): boolean {
    return this.value(name).primary === 'NHWC';
  }

  fail(reason: ReasonCode, message: string): never {
    throw new NodeUnsupported(reason, message);
  }

  // --------------------------------------------------------------- builders
  newTensor(base: string, dtype: DType, shape: number[], layout: Layout): string {
    const name = this.g.uniqueName(base);
    this.g.addTensor({ name, dtype, shape: [...shape], layout });
    return name;
  }

  constTensor(base: string, dtype: DType, shape: number[], data: TypedArray, layout: Layout = 'plain'): string {
    const name = this.g.uniqueName(base);
    this.g.addTensor({ name, dtype, shape: [...shape], layout, data });
    return name;
  }

  /** A rank-0 constant of `dtype` (int32 / int64 / float32) holding `v`. */
  scalarConst(base: string, dtype: 'int32' | 'int64' | 'float32', v: number | bigint): string {
    const data = dtype === 'int64' ? BigInt64Array.of(BigInt(v)) : dtype === 'int32' ? Int32Array.of(Number(v)) : Float32Array.of(Number(v));
    return this.constTensor(base, dtype, [], data);
  }

  int32Const(base: string, values: readonly number[], shape: number[] = [values.length]): string {
    return this.constTensor(base, 'int32', shape, Int32Array.from(values));
  }

  float32Const(base: string, values: Float32Array, shape: number[], layout: Layout = 'plain'): string {
    // a permuted dequantized weight (constFloat32Permuted) keeps its quantization parameters
    return this.withQuant(this.constTensor(base, 'float32', shape, values, layout), this.permutedQuant.get(values));
  }

  /** Adds a node running TFLite `op`; rejects the ONNX node when `op` has no kernel for its runtime tensors' dtypes. */
  emit(op: BuiltinOpName, inputs: string[], outputs: string[], attrs: Attrs = {}): Node {
    // an op whose every output has no elements computes nothing: not emitted, its outputs are empty constants (empty.ts)
    if (outputs.length && outputs.every((t) => this.g.tensor(t).shape.includes(0))) return this.skipEmpty(op, inputs, outputs, attrs);
    const runtime = [...inputs.filter((t) => t && !hasConstData(this.g.tensor(t))), ...outputs.slice(0, 1)];
    const missing = missingKernel(op, runtime.map((t) => this.g.tensor(t).dtype));
    if (missing) {
      const what = this.node ? `${this.node.opType} on ${missing.dtype}` : `${op} on ${missing.dtype}`;
      this.fail('unsupported-dtype', `${what}: TFLite ${op} has no ${missing.dtype} kernel (it takes ${missing.takes.join(', ')}); cast to float32 first`);
    }
    const empty = [...runtime, ...outputs, ...inputs.filter((t) => this.emptyValues.has(t))].find((t) => this.g.tensor(t).shape.includes(0));
    if (empty) this.fail('unsupported-shape', `tensor '${empty}' [${this.g.tensor(empty).shape.join(',')}] has no elements: TFLite kernels and the GPU delegate cannot run empty tensors, and ${op} would give a non-empty result from it`);
    const base = this.node ? `${this.node.name}` : op.toLowerCase();
    const name = this.g.hasNode(base) ? this.g.uniqueName(`${base}_${op.toLowerCase()}`) : base;
    return this.g.addNode({ name, op, inputs, outputs, attrs, sourceNode: this.node?.name });
  }

  /** The node `emit` would add, not added: its outputs (all empty) get empty data, so they are constants. */
  private skipEmpty(op: BuiltinOpName, inputs: string[], outputs: string[], attrs: Attrs): Node {
    for (const o of outputs) {
      const t = this.g.tensor(o);
      t.data = allocTyped(t.dtype, 0);
      this.emptyValues.add(o);
    }
    return { name: this.node?.name ?? op.toLowerCase(), op, inputs, outputs, attrs, sourceNode: this.node?.name };
  }

  /** IR shape of a tensor. */
  irShape(tensor: string): number[] {
    return this.g.tensor(tensor).shape;
  }

  /** RESHAPE `tensor` to `shape` (new tensor). */
  reshape(tensor: string, shape: number[], layout: Layout, base = `${tensor}_reshaped`): string {
    const t = this.g.tensor(tensor);
    const out = this.newTensor(base, t.dtype, shape, layout);
    this.emit('RESHAPE', [tensor, this.int32Const(`${out}_shape`, shape)], [out], { newShape: [...shape] });
    return out;
  }

  /** TRANSPOSE `tensor` by `perm` — a RESHAPE when only size-1 axes move, nothing when perm is the identity. */
  permute(tensor: string, perm: readonly number[], layout: Layout, base: string): string {
    if (isIdentityPerm(perm)) return tensor;
    const t = this.g.tensor(tensor);
    const shape = permuteShape(t.shape, perm);
    if (t.data) {
      const c = this.constTensor(base, t.dtype, shape, permuteData(t.dtype, t.data, t.shape, perm), layout);
      if (this.emptyValues.has(tensor)) this.emptyValues.add(c);
      return c;
    }
    if (isReshapeOnly(t.shape, perm)) return this.reshape(tensor, shape, layout, base);
    const out = this.newTensor(base, t.dtype, shape, layout);
    this.emit('TRANSPOSE', [tensor, this.int32Const(`${out}_perm`, perm)], [out]);
    return out;
  }

  // ---------------------------------------------------------------- forms
  private materializeConst(v: OnnxValue, form: Form): string {
    const c = v.constant!;
    // float16 constants stay float16 in the value table; ops compute in float32, so operands are widened here.
    // float64 ones are rounded to float32 (float64.ts).
    const dtype = c.dtype === 'float16' ? 'float32' : heldDType(c.dtype);
    // ONNX form: the IR tensor shares the value's data; NHWC: a permuted copy is made, so unaligned bytes are read once
    const onnxOrder = form === 'ONNX' ? c.data! : dataOnce(c)!;
    const data = c.dtype === 'float16' ? toFloat32(c.dtype, onnxOrder) : c.dtype === 'float64' ? this.float64Const(v.name, onnxOrder) : onnxOrder;
    if (form === 'ONNX') return this.withQuant(this.constTensor(v.name, dtype, v.shape, data, layoutTag('ONNX', v.shape.length)), v.quant);
    const padded = [...new Array<number>(Math.max(0, 4 - v.shape.length)).fill(1), ...v.shape];
    let shape = permuteShape(padded, TO_NHWC);
    const permuted = permuteData(dtype, data, padded, TO_NHWC);
    // Broadcast constants of rank < 4 drop leading 1s after permutation ([C,1,1] → [C]) so per-channel
    // constants are 1-D, which TFLite broadcasts against NHWC's last axis.
    if (v.shape.length < 4) {
      while (shape.length > 1 && shape[0] === 1) shape = shape.slice(1);
    }
    const t = this.constTensor(`${v.name}_nhwc`, dtype, shape, permuted, shape.length === 4 ? 'NHWC' : 'plain');
    // per-axis params follow their axis through the permutation (per-tensor ones need no axis)
    const q = v.quant;
    if (q && (q.scale.length === 1 || (v.shape.length === 4 && q.axis !== undefined))) {
      this.withQuant(t, q.scale.length === 1 ? q : { ...q, axis: (TO_NHWC as readonly number[]).indexOf(q.axis!) });
    }
    return t;
  }

  /** Records quantization parameters on IR tensor `t` (kept for `mai quantize`; the data stays float). */
  withQuant(t: string, q: QuantParams | undefined): string {
    if (q) this.g.tensor(t).quant = { ...q, scale: [...q.scale], zeroPoint: [...q.zeroPoint] };
    return t;
  }

  /** The IR tensor holding `name` in ONNX axis order. */
  nchw(name: string): string {
    const v = this.value(name);
    const have = v.forms.get('ONNX');
    if (have) return have;
    let t: string;
    if (v.constant) t = this.materializeConst(v, 'ONNX');
    else t = this.permute(v.forms.get('NHWC')!, TO_NCHW, layoutTag('ONNX', 4), `${name}_nchw`);
    if (v.shape.includes(0)) this.emptyValues.add(t);
    v.forms.set('ONNX', t);
    return t;
  }

  /**
   * The IR tensor holding `name` in NHWC. For rank < 4 values (broadcast operands) this is the value
   * right-aligned to 4-D and permuted (constants: leading 1s dropped).
   */
  nhwc(name: string): string {
    const v = this.value(name);
    const have = v.forms.get('NHWC');
    if (have) return have;
    let t: string;
    if (v.constant) t = this.materializeConst(v, 'NHWC');
    else {
      let src = v.forms.get('ONNX')!;
      if (v.shape.length < 4) {
        const padded = [...new Array<number>(4 - v.shape.length).fill(1), ...v.shape];
        src = this.reshape(src, padded, 'NCHW', `${name}_4d`);
      } else if (v.shape.length > 4) {
        this.fail('unsupported-attribute', `rank-${v.shape.length} value '${name}' cannot be broadcast against an NHWC tensor`);
      }
      t = this.permute(src, TO_NHWC, 'NHWC', `${name}_nhwc`);
    }
    if (v.shape.includes(0)) this.emptyValues.add(t);
    v.forms.set('NHWC', t);
    return t;
  }

  /** A tensor whose flat element order equals the ONNX value's (its IR shape may differ): for RESHAPE-like consumers. */
  onnxOrder(name: string): string {
    const v = this.value(name);
    const nhwc = v.forms.get('NHWC');
    if (!v.forms.has('ONNX') && nhwc && v.shape.length === 4 && isReshapeOnly(v.shape, TO_NHWC)) return nhwc;
    return this.nchw(name);
  }

  // ---------------------------------------------------------------- defining values
  private register(name: string, v: Omit<OnnxValue, 'name'>): void {
    if (this.values.has(name)) throw new NodeUnsupported('invalid-model', `value '${name}' is produced twice`);
    this.values.set(name, { name, ...v });
  }

  /** Creates the IR tensor for ONNX output `name` (shape in ONNX order) stored in `form`. */
  define(name: string, dtype: DType, onnxShape: number[], form: Form): string {
    if (dtype === 'float16') dtype = this.float16AsFloat32();
    if (dtype === 'float64') dtype = this.float64AsFloat32();
    const rank = onnxShape.length;
    const f: Form = rank === 4 ? form : 'ONNX';
    const irShape = f === 'NHWC' ? permuteShape(onnxShape, TO_NHWC) : [...onnxShape];
    const tensor = this.g.hasTensor(name) ? this.g.uniqueName(name) : name;
    this.g.addTensor({ name: tensor, dtype, shape: irShape, layout: layoutTag(f, rank) });
    this.register(name, { dtype, shape: [...onnxShape], forms: new Map([[f, tensor]]), primary: f });
    return tensor;
  }

  /**
   * Runtime float16 values (PyTorch `.half()` exports: fp16 inputs, outputs and compute) are imported as
   * float32: LiteRT.js and the GPU delegate take float32 I/O and the GPU computes in fp16 anyway. The
   * graph metadata FLOAT16_NOTE_KEY says so, for the CLI to show.
   */
  private float16AsFloat32(): DType {
    this.g.metadata.set(FLOAT16_NOTE_KEY, FLOAT16_NOTE);
    return 'float32';
  }

  /** Runtime float64 values are held in float32 (float64.ts); the graph metadata FLOAT64_NOTE_KEY says so. */
  private float64AsFloat32(): DType {
    this.g.metadata.set(FLOAT64_NOTE_KEY, FLOAT64_NOTE);
    return 'float32';
  }

  /** ONNX value `name` is held by existing IR tensor `tensor` in `form`. */
  bind(name: string, tensor: string, dtype: DType, onnxShape: number[], form: Form): void {
    const f: Form = onnxShape.length === 4 ? form : 'ONNX';
    this.register(name, { dtype, shape: [...onnxShape], forms: new Map([[f, tensor]]), primary: f });
  }

  /** `name` is the same value as `from` (Identity, Dropout). */
  alias(name: string, from: string): void {
    const v = this.value(from);
    this.values.set(name, v);
  }

  /** A constant value; a float64 one keeps its data (folds stay exact) but reports the float32 it is held in. */
  defineConst(name: string, c: ConstData): void {
    this.register(name, { dtype: heldDType(c.dtype), shape: [...c.shape], constant: c, forms: new Map() });
  }

  /**
   * Operands of an elementwise op with numpy broadcasting. When the output is 4-D and some runtime
   * operand is NHWC, every operand is brought to NHWC (constants permuted once); otherwise ONNX order.
   */
  broadcastOperands(names: string[]): { tensors: string[]; form: Form } {
    const outRank = Math.max(...names.map((n) => this.rank(n)));
    const nhwc = outRank === 4 && names.some((n) => !this.isConst(n) && this.isNhwc(n));
    if (!nhwc) return { tensors: names.map((n) => this.nchw(n)), form: 'ONNX' };
    return { tensors: names.map((n) => this.nhwc(n)), form: 'NHWC' };
  }
}

/** The tensor a layout-agnostic op should read: the value's own form (constants: ONNX order). */
export function primaryOf(ctx: ImportContext, name: string): { tensor: string; form: Form } {
  const v = ctx.value(name);
  if (v.primary === 'NHWC') return { tensor: ctx.nhwc(name), form: 'NHWC' };
  return { tensor: ctx.nchw(name), form: 'ONNX' };
}

/** A 4-D run-time value held NHWC: an op that remaps its axes can work on it in place. */
export function heldNhwc(ctx: ImportContext, name: string): boolean {
  return ctx.rank(name) === 4 && ctx.isNhwc(name) && !ctx.isConst(name);
}
