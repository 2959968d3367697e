/**
 * Bad bytes never escape as RangeError/TypeError: readTflite throws MaiError
 * `tflite-decode-failed` with exit code 2 and the file named. The writer
 * rejects what it cannot express with `unsupported-op` naming the node.
 */
import { describe, expect, it } from 'vitest';
import { MaiError } from '../../src/core/errors.js';
import { seededRandom } from '../../src/core/random.js';
import { readTflite, writeTflite } from '../../src/tflite/index.js';
import { buildOnnxModel } from '../helpers/onnx-builder.js';
import { IrBuilder } from '../helpers/ir-builder.js';

const FILE = 'models/broken.tflite';

function decodeError(bytes: Uint8Array): MaiError {
  try {
    readTflite(bytes, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(MaiError);
    return e as MaiError;
  }
  throw new Error('readTflite accepted bad bytes');
}

function expectDecodeFailure(bytes: Uint8Array, why?: RegExp): void {
  const e = decodeError(bytes);
  expect(e.exit).toBe(2);
  expect(e.code).toBe('tflite-decode-failed');
  expect(e.file).toBe(FILE);
  expect(e.message).toContain(FILE);
  if (why) expect(e.message).toMatch(why);
}

function goodModel(): Uint8Array {
  const b = new IrBuilder(4);
  const x = b.input('x', [1, 8, 8, 3]);
  b.output(b.conv2d(x, { out: 8, k: 3, activation: 'RELU' }));
  return writeTflite(b.graph);
}

describe('readTflite on bad input', () => {
  it('empty file', () => expectDecodeFailure(new Uint8Array(0), /too small/));

  it('wrong identifier', () => {
    const bytes = goodModel().slice();
    bytes.set([0x54, 0x46, 0x4c, 0x32], 4); // "TFL2"
    expectDecodeFailure(bytes, /identifier is 'TFL2'/);
  });

  it('missing identifier (a flatbuffer without one)', () => {
    expectDecodeFailure(new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0, 4, 0, 4, 0, 4, 0, 0, 0]), /not a TFLite flatbuffer/);
  });

  it('truncated at many lengths', () => {
    const bytes = goodModel();
    for (const len of [3, 8, 16, 64, 200, Math.floor(bytes.byteLength / 2), bytes.byteLength - 1]) {
      expectDecodeFailure(bytes.subarray(0, len));
    }
  });

  it('random bytes, also behind a valid-looking header', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = seededRandom(seed);
      const bytes = Uint8Array.from({ length: 64 + Math.floor(r() * 4000) }, () => Math.floor(r() * 256));
      if (seed % 2 === 0) bytes.set([0x54, 0x46, 0x4c, 0x33], 4); // "TFL3"
      expectDecodeFailure(bytes);
    }
  });

  it('an ONNX file', () => {
    const onnx = buildOnnxModel({
      opset: 13,
      inputs: [{ name: 'x', shape: [1, 4] }],
      outputs: [{ name: 'y', shape: [1, 4] }],
      nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
    });
    expectDecodeFailure(onnx, /not a TFLite flatbuffer/);
  });

  it('corrupted bytes inside a valid model: read or MaiError, never a raw error', () => {
    const good = goodModel();
    let rejected = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const r = seededRandom(seed);
      const bytes = good.slice();
      // keep the header so the corruption reaches the tables
      for (let k = 0; k < 4; k++) bytes[8 + Math.floor(r() * (bytes.byteLength - 8))] = Math.floor(r() * 256);
      try {
        readTflite(bytes, FILE);
      } catch (e) {
        expect(e).toBeInstanceOf(MaiError);
        expect((e as MaiError).exit).toBe(2);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });

  it('names a buffer size mismatch', () => {
    const b = new IrBuilder(4);
    const x = b.input('x', [1, 3]);
    const w = b.const('weights', [7, 3]);
    b.output(b.op('FULLY_CONNECTED', [x, w], [1, 7], { activation: 'NONE', keepNumDims: false }));
    const bytes = writeTflite(b.graph).slice();
    // patch the weights' shape vector [7, 3] (length 2) to [7, 4]
    const needle = [2, 0, 0, 0, 7, 0, 0, 0, 3, 0, 0, 0];
    const at = bytes.findIndex((_, i) => needle.every((v, k) => bytes[i + k] === v));
    expect(at).toBeGreaterThan(0);
    bytes[at + 8] = 4;
    expectDecodeFailure(bytes, /tensor 'weights' requires 112 bytes, but its buffer holds 84/);
  });
});

describe('writeTflite on graphs it cannot express', () => {
  it('an op outside the table that carries typed attributes', () => {
    const b = new IrBuilder(4);
    const x = b.input('x', [1, 4]);
    b.output(b.op('REVERSE_SEQUENCE', [x, b.ints([1])], [1, 4], { axis: 1 }, { name: 'running_total' }));
    try {
      writeTflite(b.graph);
      throw new Error('writeTflite accepted it');
    } catch (e) {
      expect(e).toBeInstanceOf(MaiError);
      expect((e as MaiError).code).toBe('unsupported-op');
      expect((e as MaiError).exit).toBe(2);
      expect((e as MaiError).message).toMatch(/node 'running_total'.*REVERSE_SEQUENCE/);
    }
  });

  it('lists every node it cannot write, not only the first', () => {
    const b = new IrBuilder(4);
    const x = b.input('x', [1, 4]);
    const y = b.op('REVERSE_SEQUENCE', [x, b.ints([1])], [1, 4], { axis: 1 }, { name: 'first' });
    b.output(b.op('WHILE', [y], [1, 4], {}, { name: 'second' }));
    try {
      writeTflite(b.graph);
      throw new Error('writeTflite accepted it');
    } catch (e) {
      expect(e).toBeInstanceOf(MaiError);
      const err = e as MaiError;
      expect(err.message).toMatch(/node 'first'.*\(and 1 more node\(s\)\)/);
      expect(err.diagnostics.map((d) => [d.node, d.opType, d.reason])).toEqual([
        ['first', 'REVERSE_SEQUENCE', 'unsupported-op'],
        ['second', 'WHILE', 'unsupported-op'],
      ]);
    }
  });

  it('an op that refers to other subgraphs', () => {
    const b = new IrBuilder(4);
    const x = b.input('x', [1, 4]);
    b.output(b.op('WHILE', [x], [1, 4], {}, { name: 'loop' }));
    expect(() => writeTflite(b.graph)).toThrow(/node 'loop': WHILE refers to other subgraphs/);
  });

  it('an op carrying builtin_options_2', () => {
    const b = new IrBuilder(4);
    const x = b.input('x', [1, 4]);
    b.output(b.op('STABLEHLO_SHIFT_LEFT', [x, x], [1, 4], { rawOptions2: { type: 1, bytes: new Uint8Array([4, 0, 4, 0, 4, 0, 0, 0]) } }, { name: 'shl' }));
    expect(() => writeTflite(b.graph)).toThrow(/node 'shl': STABLEHLO_SHIFT_LEFT carries builtin_options_2/);
  });

  it('non-integer quantization zero points', () => {
    const b = new IrBuilder(4);
    const x = b.input('x', [1, 4]);
    b.output(b.op('RELU', [x], [1, 4]));
    b.graph.tensor(x).quant = { scale: [0.1], zeroPoint: [0.5] };
    expect(() => writeTflite(b.graph)).toThrow(/tensor 'x': quantization zero points must be integers/);
  });

  it('constant data that does not fill its shape', () => {
    const b = new IrBuilder(4);
    const x = b.input('x', [1, 4]);
    const w = b.const('weights', [4, 4]);
    b.graph.tensor(w).data = new Float32Array(15);
    b.output(b.op('FULLY_CONNECTED', [x, w], [1, 4], { activation: 'NONE', keepNumDims: false }));
    expect(() => writeTflite(b.graph)).toThrow(/constant tensor 'weights' \(float32 \[4,4\]\) needs 64 bytes but holds 60/);
  });

  it('a node reading a tensor the graph does not have', () => {
    const b = new IrBuilder(4);
    const x = b.input('x', [1, 4]);
    b.output(b.op('RELU', [x], [1, 4]));
    b.graph.nodes[0]!.inputs = ['ghost'];
    expect(() => writeTflite(b.graph)).toThrow(/refers to tensor 'ghost'/);
  });

  it('an op outside the table without attributes is written (no options) and read back', () => {
    const b = new IrBuilder(4);
    const x = b.input('x', [1, 4]);
    b.output(b.op('FLOOR', [x], [1, 4], {}, { name: 'floor' }));
    const back = readTflite(writeTflite(b.graph));
    expect(back.nodes.map((n) => [n.name, n.op, n.version, n.attrs])).toEqual([['floor', 'FLOOR', 1, {}]]);
  });
});
