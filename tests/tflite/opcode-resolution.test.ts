/**
 * The reader resolves an operator code as max(builtin_code, deprecated_builtin_code):
 * files from before schema 3a carry only the deprecated byte, newer ones put
 * 127 (PLACEHOLDER_FOR_GREATER_OP_CODES) there and the real code in builtin_code.
 * The model here is assembled field by field with the flatbuffers Builder.
 */
import { Builder } from 'flatbuffers';
import { describe, expect, it } from 'vitest';
import { readTflite } from '../../src/tflite/index.js';

/** fields by vtable offset: slot index = (vt - 4) / 2 */
const s = (vt: number) => (vt - 4) / 2;

function intVec(b: Builder, v: number[]): number {
  b.startVector(4, v.length, 4);
  for (let i = v.length - 1; i >= 0; i--) b.addInt32(v[i]!);
  return b.endVector();
}
function offVec(b: Builder, v: number[]): number {
  b.startVector(4, v.length, 4);
  for (let i = v.length - 1; i >= 0; i--) b.addOffset(v[i]!);
  return b.endVector();
}

function handMadeModel(): Uint8Array {
  const b = new Builder(1024);
  const tensor = (name: string) => {
    const n = b.createString(name);
    const shape = intVec(b, [1, 2, 2, 3]);
    b.startObject(s(10) + 1);
    b.addFieldOffset(s(4), shape, 0);
    b.addFieldOffset(s(10), n, 0);
    return b.endObject();
  };
  const tensors = offVec(b, [tensor('a'), tensor('b'), tensor('c')]);
  const op = (opcode: number, i: number, o: number) => {
    const ins = intVec(b, [i]);
    const outs = intVec(b, [o]);
    b.startObject(s(8) + 1);
    b.addFieldInt32(s(4), opcode, 0);
    b.addFieldOffset(s(6), ins, 0);
    b.addFieldOffset(s(8), outs, 0);
    return b.endObject();
  };
  const ops = offVec(b, [op(0, 0, 1), op(1, 1, 2)]);
  const sgIn = intVec(b, [0]);
  const sgOut = intVec(b, [2]);
  b.startObject(s(10) + 1);
  b.addFieldOffset(s(4), tensors, 0);
  b.addFieldOffset(s(6), sgIn, 0);
  b.addFieldOffset(s(8), sgOut, 0);
  b.addFieldOffset(s(10), ops, 0);
  const subgraph = b.endObject();
  // opcode 0: old style, RELU (19) only in deprecated_builtin_code; opcode 1: GELU (150) as 127 + builtin_code, version 2
  b.startObject(s(10) + 1);
  b.addFieldInt8(s(4), 19, 0);
  const relu = b.endObject();
  b.startObject(s(10) + 1);
  b.addFieldInt8(s(4), 127, 0);
  b.addFieldInt32(s(8), 2, 1);
  b.addFieldInt32(s(10), 150, 0);
  const gelu = b.endObject();
  const opcodes = offVec(b, [relu, gelu]);
  const subgraphs = offVec(b, [subgraph]);
  b.startObject(0);
  const emptyBuffer = b.endObject();
  const buffers = offVec(b, [emptyBuffer]);
  b.startObject(s(12) + 1);
  b.addFieldInt32(s(4), 3, 0);
  b.addFieldOffset(s(6), opcodes, 0);
  b.addFieldOffset(s(8), subgraphs, 0);
  b.addFieldOffset(s(12), buffers, 0);
  const model = b.endObject();
  b.finish(model, 'TFL3');
  return b.asUint8Array();
}

describe('operator code resolution', () => {
  it('reads deprecated-only codes and the 127 placeholder with builtin_code', () => {
    const g = readTflite(handMadeModel(), 'hand-made.tflite');
    expect(g.nodes.map((n) => [n.op, n.version, n.attrs])).toEqual([
      ['RELU', 1, {}],
      ['GELU', 2, { approximate: false }], // no options table: schema defaults
    ]);
    expect(g.nodes.map((n) => n.name)).toEqual(['b', 'c']); // no mai_ir metadata: nodes named after their first output
    expect(g.signature).toBeUndefined();
    expect(g.metadata.size).toBe(0);
    expect(g.description).toBe('');
    expect(g.tensor('a').layout).toBe('NHWC');
  });
});
