/**
 * Facts about the bytes writeTflite produces, checked with a minimal
 * flatbuffer walker written here (independent of src/tflite/reader.ts).
 */
import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../helpers/ir-builder.js';
import { writeTflite } from '../../src/tflite/index.js';
import { BINARY_METADATA_PREFIX } from '../../src/tflite/writer.js';

/** Minimal flatbuffer navigation over little-endian bytes. */
class Walk {
  private dv: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u32 = (p: number) => this.dv.getUint32(p, true);
  i32 = (p: number) => this.dv.getInt32(p, true);
  root = () => this.u32(0);
  /** absolute position of field (vtable offset `vt`) of the table at `t`, or 0 */
  field(t: number, vt: number): number {
    const vtable = t - this.i32(t);
    if (vt >= this.dv.getUint16(vtable, true)) return 0;
    const off = this.dv.getUint16(vtable + vt, true);
    return off ? t + off : 0;
  }
  deref = (p: number) => p + this.u32(p);
  /** elements' positions of the vector field */
  vec(t: number, vt: number, elem = 4): number[] {
    const f = this.field(t, vt);
    if (!f) return [];
    const v = this.deref(f);
    return Array.from({ length: this.u32(v) }, (_, i) => v + 4 + i * elem);
  }
  tables = (t: number, vt: number) => this.vec(t, vt).map((p) => this.deref(p));
  str(t: number, vt: number): string | undefined {
    const f = this.field(t, vt);
    if (!f) return undefined;
    const v = this.deref(f);
    return new TextDecoder().decode(this.bytes.subarray(v + 4, v + 4 + this.u32(v)));
  }
  int(t: number, vt: number, def: number, size: 1 | 4 = 4, signed = true): number {
    const f = this.field(t, vt);
    if (!f) return def;
    if (size === 1) return signed ? this.dv.getInt8(f) : this.dv.getUint8(f);
    return this.i32(f);
  }
  /** [start, length] of a [ubyte] field */
  bytesOf(t: number, vt: number): [number, number] | undefined {
    const f = this.field(t, vt);
    if (!f) return undefined;
    const v = this.deref(f);
    return [v + 4, this.u32(v)];
  }
}

function sample() {
  const b = new IrBuilder(9);
  const x = b.input('image', [1, 8, 8, 3]);
  const c1 = b.conv2d(x, { out: 4, k: 3 });
  const c2 = b.conv2d(c1, { out: 4, k: 3, bias: false });
  b.graph.nodes[1]!.inputs = [b.graph.nodes[1]!.inputs[0]!, b.graph.nodes[1]!.inputs[1]!, '']; // absent bias
  const c3 = b.conv2d(c2, { out: 4, k: 1 });
  const c4 = b.conv2d(c3, { out: 4, k: 1 });
  b.graph.nodes[3]!.version = 2;
  const a1 = b.binary('ADD', c3, c4);
  const a2 = b.binary('ADD', a1, c1);
  const ge = b.op('GELU', [a2], [1, 8, 8, 4], { approximate: false });
  b.output(ge);
  // an int8 tensor with quantization to check the int64 zero points
  b.graph.addTensor({ name: 'q', dtype: 'int8', shape: [2], layout: 'plain', data: Int8Array.from([1, -1]), quant: { scale: [0.5, 0.25], zeroPoint: [-3, 7], axis: 0 } });
  // the same shape and zero points as 'q', another scale: written once, referred to twice
  b.graph.addTensor({ name: 'q2', dtype: 'int8', shape: [2], layout: 'plain', data: Int8Array.from([2, -2]), quant: { scale: [0.5, 0.5], zeroPoint: [-3, 7], axis: 0 } });
  b.graph.metadata.set('binary_entry', `${BINARY_METADATA_PREFIX}${Buffer.from([1, 2, 3]).toString('base64')}`);
  b.graph.signature = { key: 'serving_default', inputs: [{ name: 'input_image', tensor: x }], outputs: [{ name: 'features', tensor: ge }] };
  return b.graph;
}

describe('bytes written by writeTflite', () => {
  const g = sample();
  const bytes = writeTflite(g);
  const w = new Walk(bytes);
  const model = w.root();
  const subgraph = w.tables(model, 8)[0]!;
  const tensors = w.tables(subgraph, 4);
  const buffers = w.tables(model, 12);

  it('has identifier TFL3 at offset 4 and schema version 3', () => {
    expect(new TextDecoder().decode(bytes.subarray(4, 8))).toBe('TFL3');
    expect(w.int(model, 4, 0)).toBe(3);
  });

  it('has an empty buffers[0] and one 16-byte-aligned buffer per constant tensor', () => {
    expect(w.bytesOf(buffers[0]!, 4)).toBeUndefined();
    const constants = [...g.tensors.values()].filter((t) => t.data);
    const bufIdx = tensors.map((t) => w.int(t, 8, 0));
    const used = bufIdx.filter((i) => i > 0);
    expect(used.length).toBe(constants.length);
    expect(new Set(used).size).toBe(used.length);
    for (const i of used) {
      const [start, len] = w.bytesOf(buffers[i]!, 4)!;
      expect(start % 16).toBe(0);
      expect(len).toBeGreaterThan(0);
    }
    // the bytes are the tensor's data
    const wName = g.nodes[0]!.inputs[1]!;
    const ti = [...g.tensors.keys()].indexOf(wName);
    const [start, len] = w.bytesOf(buffers[bufIdx[ti]!]!, 4)!;
    const data = g.tensor(wName).data!;
    expect(bytes.subarray(start, start + len)).toEqual(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  });

  it('de-duplicates operator codes by (builtin, version) and writes deprecated_builtin_code = min(code, 127)', () => {
    const codes = w.tables(model, 6).map((t) => ({ deprecated: w.int(t, 4, 0, 1), version: w.int(t, 8, 1), builtin: w.int(t, 10, 0) }));
    expect(codes).toEqual([
      { deprecated: 3, version: 1, builtin: 3 },
      { deprecated: 3, version: 2, builtin: 3 },
      { deprecated: 0, version: 1, builtin: 0 },
      { deprecated: 127, version: 1, builtin: 150 }, // GELU = 150 > 127
    ]);
    const opcodeIndex = w.tables(subgraph, 10).map((o) => w.int(o, 4, 0));
    expect(opcodeIndex).toEqual([0, 0, 0, 1, 2, 2, 3]);
  });

  it('writes an absent optional input as -1', () => {
    const conv2 = w.tables(subgraph, 10)[1]!;
    const ins = w.vec(conv2, 6).map((p) => w.i32(p));
    expect(ins).toHaveLength(3);
    expect(ins[2]).toBe(-1);
  });

  it('writes quantization scale, int64 zero_point and quantized_dimension', () => {
    const qi = [...g.tensors.keys()].indexOf('q');
    const qt = w.deref(w.field(tensors[qi]!, 12));
    const scale = w.vec(qt, 8).map((p) => new DataView(bytes.buffer, bytes.byteOffset).getFloat32(p, true));
    const zp = w.vec(qt, 10, 8).map((p) => Number(new DataView(bytes.buffer, bytes.byteOffset).getBigInt64(p, true)));
    expect(scale).toEqual([0.5, 0.25]);
    expect(zp).toEqual([-3, 7]);
    expect(w.int(qt, 16, 0)).toBe(0);
  });

  it('writes equal shapes and zero points once and shares them; unequal scales stay apart', () => {
    const names = [...g.tensors.keys()];
    const [q, q2] = ['q', 'q2'].map((n) => tensors[names.indexOf(n)]!);
    const quant = (t: number) => w.deref(w.field(t, 12));
    expect(w.deref(w.field(q!, 4))).toBe(w.deref(w.field(q2!, 4)));
    expect(w.deref(w.field(quant(q!), 10))).toBe(w.deref(w.field(quant(q2!), 10)));
    expect(w.deref(w.field(quant(q!), 8))).not.toBe(w.deref(w.field(quant(q2!), 8)));
    const scale2 = w.vec(quant(q2!), 8).map((p) => new DataView(bytes.buffer, bytes.byteOffset).getFloat32(p, true));
    expect(scale2).toEqual([0.5, 0.5]);
  });

  it('keeps binary metadata 16-byte aligned, like the constants', () => {
    const meta = w.tables(model, 16).map((t) => ({ name: w.str(t, 4), buffer: w.int(t, 6, 0) }));
    const [start, len] = w.bytesOf(buffers[meta.find((m) => m.name === 'binary_entry')!.buffer]!, 4)!;
    expect(start % 16).toBe(0);
    expect(Array.from(bytes.subarray(start, start + len))).toEqual([1, 2, 3]);
  });

  it('has min_runtime_version metadata: 16 zero-padded bytes naming the newest runtime an (op, version) needs', () => {
    const meta = w.tables(model, 16).map((t) => ({ name: w.str(t, 4), buffer: w.int(t, 6, 0) }));
    const entry = meta.find((m) => m.name === 'min_runtime_version')!;
    expect(entry).toBeDefined();
    const [start, len] = w.bytesOf(buffers[entry.buffer]!, 4)!;
    expect(len).toBe(16);
    const text = new TextDecoder().decode(bytes.subarray(start, start + len)).replace(/\0+$/, '');
    expect(text).toBe('2.9.0'); // GELU v1 needs 2.9.0; CONV_2D v2 only 1.14.0
  });

  it('has one SignatureDef serving_default with the source input/output names', () => {
    const sigs = w.tables(model, 18);
    expect(sigs).toHaveLength(1);
    const sig = sigs[0]!;
    expect(w.str(sig, 8)).toBe('serving_default');
    const names = (vt: number) => w.tables(sig, vt).map((m) => [w.str(m, 4), w.int(m, 6, 0)]);
    const names2 = [...g.tensors.keys()];
    expect(names(4)).toEqual([['input_image', names2.indexOf('image')]]);
    expect(names(6)).toEqual([['features', names2.indexOf(g.outputs[0]!)]]);
  });

  it('the Builder is sized up front: the returned view covers almost all of its ArrayBuffer', () => {
    expect(bytes.byteOffset % 16).toBe(0);
    expect(bytes.buffer.byteLength).toBeLessThan(bytes.byteLength * 3 + 8192);
  });
});
