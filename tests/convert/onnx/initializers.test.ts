/** Initializers: raw_data (zero-copy when aligned), typed fields, float16, external data; Constant nodes. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { readTensorProto } from '../../../src/convert/onnx/tensor-data.js';
import { isMaiError, type MaiError } from '../../../src/core/errors.js';
import { floatToHalf } from '../../../src/ir/dtype.js';
import { OnnxGraphBuilder, attr, buildOnnxModelFiles, normalFloat32, tensorProto } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt } from './harness.js';
import onnxPkg from 'onnx-proto';

const dir = mkdtempSync(join(tmpdir(), 'mai-onnx-ext-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function convSpec(storage: 'raw' | 'typed', ext?: string) {
  const b = new OnnxGraphBuilder({ opset: 13 });
  const x = b.input('x', [1, 3, 6, 6]);
  const extra = ext ? { externalLocation: ext } : { storage };
  const w = b.init('w', [4, 3, 3, 3], normalFloat32(108, 1), 'float32', extra);
  const bias = b.init('bias', [4], normalFloat32(4, 2), 'float32', extra);
  const c = b.node('Conv', [x, w, bias], { pads: [1, 1, 1, 1] });
  const shape = b.init('shape', [2], [1, -1], 'int64', ext ? { externalLocation: ext } : { storage });
  b.output(b.node('Reshape', [c, shape], {}, 'y'));
  return b.spec;
}

function err(fn: () => unknown): MaiError {
  try {
    fn();
  } catch (e) {
    if (isMaiError(e)) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('initializer storage', () => {
  it('typed fields (float_data, int64_data as Long) give the same result as raw_data', async () => {
    const raw = buildOnnxModelFiles(convSpec('raw')).model;
    const typed = buildOnnxModelFiles(convSpec('typed')).model;
    const a = await expectMatchesOrt(raw);
    const b = await expectMatchesOrt(typed);
    expect(Array.from(b.actual[0]!.data as Float32Array)).toEqual(Array.from(a.actual[0]!.data as Float32Array));
  });
  it('typed int32_data holds int8 / uint8 / bool / float16 bits; double_data float64', () => {
    const cases = [
      { dtype: 'int8' as const, data: [-3, 0, 7], want: [-3, 0, 7], ctor: Int8Array },
      { dtype: 'uint8' as const, data: [0, 200, 255], want: [0, 200, 255], ctor: Uint8Array },
      { dtype: 'bool' as const, data: [1, 0, 1], want: [1, 0, 1], ctor: Uint8Array },
      { dtype: 'float16' as const, data: [floatToHalf(1.5), floatToHalf(-2), 0], want: [floatToHalf(1.5), floatToHalf(-2), 0], ctor: Uint16Array },
      { dtype: 'float64' as const, data: [0.1, -1e300, 3], want: [0.1, -1e300, 3], ctor: Float64Array },
    ];
    for (const c of cases) {
      for (const storage of ['typed', 'raw'] as const) {
        const t = readTensorProto(tensorProto({ name: 't', dtype: c.dtype, shape: [3], data: c.data, storage }));
        expect(t.dtype).toBe(c.dtype);
        expect(t.data).toBeInstanceOf(c.ctor);
        expect(Array.from(t.data as ArrayLike<number>)).toEqual(c.want);
      }
    }
  });
  it('raw_data is a zero-copy view into the model bytes when aligned', () => {
    // a 1-D constant passes through to the IR unchanged (no permutation)
    for (let pad = 0; pad < 4; pad++) {
      const b = new OnnxGraphBuilder({ opset: 13, graphName: 'g'.repeat(pad + 1) });
      const x = b.input('x', [2, 8]);
      b.output(b.node('Add', [x, b.init('c', [8], normalFloat32(8, 3))], {}, 'y'));
      const bytes = b.build();
      const g = importOnnx(bytes);
      const data = g.nodes[0]!.inputs.map((n) => g.tensor(n).data).find((d) => d)!;
      const offsetInFile = data.byteOffset;
      if (data.buffer === bytes.buffer) {
        expect(offsetInFile % 4).toBe(0);
        expect(Array.from(new Float32Array(bytes.buffer, data.byteOffset, 8))).toEqual(Array.from(data as Float32Array));
      } else {
        // copied only because the raw_data field started at an unaligned offset
        const idx = Buffer.from(bytes).indexOf(Buffer.from(new Uint8Array(data.buffer, data.byteOffset, 32)));
        expect(idx % 4).not.toBe(0);
      }
    }
  });
  it('float16 initializers stay float16 bits until an op needs float32 (Cast → Conv)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 6, 6]);
    const wf = normalFloat32(108, 4);
    const w16 = b.init('w16', [4, 3, 3, 3], Uint16Array.from(wf, (v) => floatToHalf(v)), 'float16');
    const w = b.node('Cast', [w16], { to: 1 });
    b.output(b.node('Conv', [x, w], { pads: [1, 1, 1, 1] }, 'y'));
    const bytes = b.build();
    await expectMatchesOrt(bytes);
  });
});

describe('external data', () => {
  it('round trip: tensors read from the data file next to the model', async () => {
    const { model, externalFiles } = buildOnnxModelFiles(convSpec('raw', 'weights.bin'));
    const file = join(dir, 'ext.onnx');
    writeFileSync(file, model);
    for (const [name, data] of externalFiles) writeFileSync(join(dir, name), data);
    const inline = await expectMatchesOrt(buildOnnxModelFiles(convSpec('raw')).model);
    const g = importOnnx(model, { file });
    const conv = g.nodes.find((n) => n.op === 'CONV_2D')!;
    const inlineConv = inline.graph.nodes.find((n) => n.op === 'CONV_2D')!;
    expect(Array.from(g.tensor(conv.inputs[1]!).data as Float32Array)).toEqual(Array.from(inline.graph.tensor(inlineConv.inputs[1]!).data as Float32Array));
    expect(g.tensor('y').shape).toEqual([1, 144]);
  });
  it('a missing data file → external-data-missing naming the tensor and the path', () => {
    const { model } = buildOnnxModelFiles(convSpec('raw', 'gone.bin'));
    const file = join(dir, 'missing.onnx');
    const e = err(() => importOnnx(model, { file }));
    expect(e.code).toBe('external-data-missing');
    expect(e.exit).toBe(2);
    expect(e.message).toContain(join(dir, 'gone.bin'));
    expect(e.message).toContain("'w'");
  });
  it('a short data file → external-data-missing', () => {
    const { model } = buildOnnxModelFiles(convSpec('raw', 'short.bin'));
    writeFileSync(join(dir, 'short.bin'), new Uint8Array(40));
    const e = err(() => importOnnx(model, { file: join(dir, 'short.onnx') }));
    expect(e.code).toBe('external-data-missing');
    expect(e.message).toMatch(/short/);
  });
});

describe('Constant / Identity / Dropout', () => {
  it('Constant value tensor, value_float, value_ints feed ops; Identity and Dropout vanish', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 2, 3, 4]);
    const k = b.node('Constant', [], { value: attr.tensor({ shape: [2, 1, 1], data: [0.5, 2] }) });
    const f = b.node('Constant', [], { value_float: attr.float(0.25) });
    const s = b.node('Constant', [], { value_ints: attr.ints([1, 24]) });
    const i = b.node('Identity', [x]);
    const m = b.node('Mul', [i, k]);
    const d = b.node('Dropout', [m]);
    const a = b.node('Add', [d, f]);
    b.output(b.node('Reshape', [a, s], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    // the Reshape crosses the channel axis of the NHWC input, so one TRANSPOSE to ONNX order precedes it
    expect(graph.nodes.map((n) => n.op)).toEqual(['MUL', 'ADD', 'TRANSPOSE', 'RESHAPE']);
  });
  it('Identity as the last node keeps the output name', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const r = b.node('Relu', [b.input('x', [1, 2, 3, 4])]);
    b.output(b.node('Identity', [r], {}, 'out'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(graph.outputs).toEqual(['out']);
  });
});

describe('unreadable initializers', () => {
  it('an unused bfloat16 initializer is ignored; a used one is reported on its node as unsupported-dtype', () => {
    const build = (use: boolean) => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      const x = b.input('x', [1, 4]);
      b.spec.initializers.push({ name: 'bf', shape: [4], data: [0, 0, 0, 0], dtype: 'uint16' });
      b.output(b.node('Relu', [use ? 'bf' : x], {}, 'y'));
      const bytes = b.build();
      // re-tag the uint16 initializer as BFLOAT16 (16)
      const m = onnxPkg.onnx.ModelProto.decode(bytes);
      m.graph!.initializer![0]!.dataType = 16;
      return onnxPkg.onnx.ModelProto.encode(m).finish();
    };
    expect(importOnnx(build(false)).nodes.map((n) => n.op)).toEqual(['RELU']);
    const e = err(() => importOnnx(build(true)));
    expect(e.diagnostics[0]!.reason).toBe('unsupported-dtype');
    expect(e.diagnostics[0]!.message).toContain("'bf'");
  });
});
