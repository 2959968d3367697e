/** A TensorFlow NodeDef with typed attribute accessors and its data inputs (control inputs `^x` dropped). */
import type { DType } from '../../ir/dtype.js';
import type { ConstData } from '../onnx/tensor-data.js';
import type { TfAttr, TfNodeDef } from './model.js';
import { base64Bytes, readTfTensor, tfDType, tfShape } from './tensor.js';

/** `node:0` and `node` name the same tensor; the canonical form drops `:0`. */
export function canonicalTensor(name: string): string {
  const n = name.startsWith('^') ? name.slice(1) : name;
  return n.endsWith(':0') ? n.slice(0, -2) : n;
}

export class TfNode {
  readonly name: string;
  readonly op: string;
  /** Data inputs as canonical tensor names (`x`, `x:1`). */
  readonly inputs: string[];
  readonly controlInputs: string[];
  private readonly attrs: Record<string, TfAttr>;

  constructor(readonly def: TfNodeDef) {
    this.name = def.name ?? '';
    this.op = def.op ?? '';
    const ins = def.input ?? [];
    this.inputs = ins.filter((i) => !i.startsWith('^')).map(canonicalTensor);
    this.controlInputs = ins.filter((i) => i.startsWith('^')).map((i) => i.slice(1));
    this.attrs = def.attr ?? {};
  }

  /** Output k's tensor name. */
  output(k = 0): string {
    return k === 0 ? this.name : `${this.name}:${k}`;
  }
  input(i: number): string {
    return this.inputs[i] ?? '';
  }
  has(name: string): boolean {
    return name in this.attrs;
  }
  attr(name: string): TfAttr | undefined {
    return this.attrs[name];
  }
  attributeNames(): string[] {
    return Object.keys(this.attrs);
  }

  int(name: string, dflt: number): number;
  int(name: string): number | undefined;
  int(name: string, dflt?: number): number | undefined {
    const a = this.attrs[name];
    return a?.i !== undefined ? Number(a.i) : a ? 0 : dflt;
  }
  float(name: string, dflt: number): number {
    const a = this.attrs[name];
    return a?.f !== undefined ? Number(a.f) : a ? 0 : dflt;
  }
  bool(name: string, dflt: boolean): boolean {
    const a = this.attrs[name];
    return a ? Boolean(a.b) : dflt;
  }
  string(name: string, dflt: string): string;
  string(name: string): string | undefined;
  string(name: string, dflt?: string): string | undefined {
    const a = this.attrs[name];
    return a ? Buffer.from(base64Bytes(a.s)).toString('utf8') : dflt;
  }
  ints(name: string): number[] | undefined {
    const a = this.attrs[name];
    return a ? (a.list?.i ?? []).map(Number) : undefined;
  }
  floats(name: string): number[] | undefined {
    const a = this.attrs[name];
    return a ? (a.list?.f ?? []).map(Number) : undefined;
  }
  strings(name: string): string[] | undefined {
    const a = this.attrs[name];
    return a ? (a.list?.s ?? []).map((s) => Buffer.from(base64Bytes(s)).toString('utf8')) : undefined;
  }
  dtype(name: string): DType | undefined {
    return tfDType(this.attrs[name]?.type);
  }
  /** The raw DataType name of a type attribute (for messages about types mai lacks). */
  typeName(name: string): string | undefined {
    return this.attrs[name]?.type;
  }
  shape(name: string): Array<number | null> | undefined {
    return tfShape(this.attrs[name]?.shape);
  }
  tensor(name: string): ConstData | undefined {
    const t = this.attrs[name]?.tensor;
    return t ? readTfTensor(t) : undefined;
  }
}
