/** A decoded ONNX node with typed attribute accessors. */
import type { NodeProto, AttributeProto, TensorProto } from './proto.js';
import { num, type LongLike } from './proto.js';

export class OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: string[];
  readonly outputs: string[];
  private readonly attrs = new Map<string, AttributeProto>();

  constructor(p: NodeProto, index: number) {
    this.opType = p.opType ?? '';
    this.name = p.name || `${this.opType}_${index}`;
    this.domain = p.domain === 'ai.onnx' ? '' : (p.domain ?? '');
    this.inputs = [...(p.input ?? [])];
    // trailing empty optional inputs carry no meaning
    while (this.inputs.length && this.inputs[this.inputs.length - 1] === '') this.inputs.pop();
    this.outputs = [...(p.output ?? [])];
    for (const a of p.attribute ?? []) this.attrs.set(a.name ?? '', a as AttributeProto);
  }

  has(name: string): boolean {
    return this.attrs.has(name);
  }

  /** Input i, or '' when absent. */
  input(i: number): string {
    return this.inputs[i] ?? '';
  }

  int(name: string, dflt: number): number;
  int(name: string): number | undefined;
  int(name: string, dflt?: number): number | undefined {
    const a = this.attrs.get(name);
    return a ? num(a.i as number | LongLike) : dflt;
  }

  float(name: string, dflt: number): number;
  float(name: string): number | undefined;
  float(name: string, dflt?: number): number | undefined {
    const a = this.attrs.get(name);
    return a ? (a.f ?? 0) : dflt;
  }

  string(name: string, dflt: string): string;
  string(name: string): string | undefined;
  string(name: string, dflt?: string): string | undefined {
    const a = this.attrs.get(name);
    return a ? new TextDecoder().decode(a.s ?? new Uint8Array()) : dflt;
  }

  ints(name: string): number[] | undefined {
    const a = this.attrs.get(name);
    return a ? (a.ints ?? []).map((v) => num(v as number | LongLike)) : undefined;
  }

  floats(name: string): number[] | undefined {
    const a = this.attrs.get(name);
    return a ? [...(a.floats ?? [])] : undefined;
  }

  tensor(name: string): TensorProto | undefined {
    const a = this.attrs.get(name);
    return (a?.t ?? undefined) as TensorProto | undefined;
  }

  attributeNames(): string[] {
    return [...this.attrs.keys()];
  }
}
