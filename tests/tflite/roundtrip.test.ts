/**
 * read(write(g)) equals g for a hand-built single-op graph per op of the
 * table and attribute variant (constant data of several dtypes, quantization
 * parameters, signature, metadata), and the op version the writer chose is the
 * minimum the op's rule gives.
 */
import { describe, expect, it } from 'vitest';
import { VARIANTS, build } from './op-variants.js';
import { OPS_TABLE, readTflite, writeTflite } from '../../src/tflite/index.js';
import { IrBuilder } from '../helpers/ir-builder.js';
import { snapshot } from './graph-compare.js';
import { irNodeEntry } from '../../src/tflite/writer.js';

describe('read(write(g)) == g for every op of the table', () => {
  it('has a variant for every op in OPS_TABLE', () => {
    const covered = new Set(VARIANTS.map((v) => v.op));
    expect([...OPS_TABLE.keys()].filter((op) => !covered.has(op))).toEqual([]);
    expect(OPS_TABLE.size).toBeGreaterThanOrEqual(60);
  });

  it.each(VARIANTS.map((v) => [`${v.op} (${v.label})`, v] as const))('%s', (_label, v) => {
    const g = build(v);
    const back = readTflite(writeTflite(g));
    const expected = build(v);
    expected.nodes[0]!.version = v.v;
    expect(snapshot(back)).toEqual(snapshot(expected));
    // '' when runtime_version.cc has no entry for the (op, version), as the converter leaves it
    expect(back.metadata.get('min_runtime_version')).toMatch(/^(\d+\.\d+\.\d+)?$/);
  });

  it('writes an explicit node version as given, the minimum when there is none', () => {
    const g = build(VARIANTS[0]!);
    g.nodes[0]!.version = 2;
    expect(readTflite(writeTflite(g)).nodes[0]!.version).toBe(2);
    const int8 = build(VARIANTS.find((v) => v.op === 'CONV_2D' && v.label.startsWith('int8'))!);
    expect(readTflite(writeTflite(int8)).nodes[0]!.version).toBe(3);
  });
});

describe('read(write(g)) == g for whole graphs', () => {
  it('a conv / depthwise / FC network with metadata, description, source nodes and string constants', () => {
    const b = new IrBuilder(7);
    const x = b.input('image', [1, 16, 16, 3]);
    const c1 = b.conv2d(x, { out: 8, k: 3, stride: 2, activation: 'RELU6', name: 'stem' });
    const d1 = b.depthwise(c1, { k: 3, activation: 'RELU' });
    const c2 = b.conv2d(d1, { out: 16, k: 1, bias: false });
    const p = b.op('MEAN', [c2, b.ints([1, 2])], [1, 16], { keepDims: false });
    const f = b.fc(p, 10);
    const s = b.op('SOFTMAX', [f], [1, 10], { beta: 1 });
    b.output(s);
    const g = b.graph;
    g.nodes[0]!.sourceNode = '/backbone/conv1/Conv';
    // every form of a node's mai_ir entry: [name, source], [name] (its own source), 0 (named after its output), name
    g.nodes[1]!.sourceNode = g.nodes[1]!.name;
    g.nodes[2]!.name = g.nodes[2]!.outputs[0]!;
    expect(g.nodes.slice(0, 4).map(irNodeEntry)).toEqual([['stem', '/backbone/conv1/Conv'], [g.nodes[1]!.name], 0, g.nodes[3]!.name]);
    g.addTensor({ name: 'labels', dtype: 'string', shape: [3], layout: 'plain', strings: ['cat', 'dög', ''] });
    g.addTensor({ name: 'nchw_state', dtype: 'float32', shape: [1, 3, 4, 4], layout: 'NCHW', data: new Float32Array(48).fill(0.5) });
    g.tensor(x).shapeSignature = [-1, 16, 16, 3];
    g.addTensor({ name: 'state', dtype: 'float32', shape: [1, 4], layout: 'plain', isVariable: true });
    g.metadata.set('source', 'onnx: model.onnx');
    g.metadata.set('blob', 'data:application/octet-stream;base64,AAECAwQF/w==');
    g.description = 'mai test network';
    g.signature = { key: 'serving_default', inputs: [{ name: 'input', tensor: 'image' }], outputs: [{ name: 'probs', tensor: s }] };
    const back = readTflite(writeTflite(g));
    for (const n of g.nodes) n.version = back.nodes.find((m) => m.name === n.name)!.version;
    expect(snapshot(back)).toEqual(snapshot(g));
    expect(back.nodes.map((n) => n.version)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('a graph without a signature gets serving_default from its input/output names', () => {
    const b = new IrBuilder(3);
    const x = b.input('in', [1, 4]);
    b.output(b.unary('RELU', x));
    const back = readTflite(writeTflite(b.graph));
    expect(back.signature).toEqual({ key: 'serving_default', inputs: [{ name: 'in', tensor: 'in' }], outputs: [{ name: b.graph.outputs[0], tensor: b.graph.outputs[0] }] });
  });

  it('keeps the options of an op outside the table (UNIQUE)', () => {
    const b = new IrBuilder(6);
    const x = b.input('x', [20]);
    // UniqueOptions { idx_out_type: byte = INT64 (4) } (1-byte field + padding)
    const unique = new Uint8Array([6, 0, 8, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 4]);
    b.graph.addTensor({ name: 'values', dtype: 'float32', shape: [20], layout: 'plain' });
    b.graph.addTensor({ name: 'idx', dtype: 'int64', shape: [20], layout: 'plain' });
    b.graph.addNode({ name: 'unique', op: 'UNIQUE', inputs: [x], outputs: ['values', 'idx'], attrs: { rawOptions: { type: 80, bytes: unique } }, version: 1 });
    b.output('idx');
    const back = readTflite(writeTflite(b.graph));
    expect(back.nodes.map((n) => [n.op, n.attrs.rawOptions?.type])).toEqual([['UNIQUE', 80]]);
    // the 1-byte enum is re-emitted with its padding as a wider integer: the byte at the field offset is the same
    const opts = back.nodes[0]!.attrs.rawOptions!.bytes;
    const vtSize = opts[0]!;
    const off = opts[4]! | (opts[5]! << 8);
    expect(opts[vtSize + off]).toBe(4);
  });

  it('reads constant data as zero-copy views into the file bytes', () => {
    const b = new IrBuilder(5);
    const x = b.input('x', [1, 8, 8, 4]);
    b.output(b.conv2d(x, { out: 32, k: 3 }));
    const bytes = writeTflite(b.graph);
    const back = readTflite(bytes);
    const w = [...back.tensors.values()].find((t) => t.data && t.shape.length === 4)!;
    expect(w.data!.buffer).toBe(bytes.buffer);
  });
});
