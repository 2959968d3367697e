/** Bad input: every failure is a MaiError with a stable code naming the file / node / input. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { onnx } from '../../../src/convert/onnx/proto.js';
import { parseInputShapes } from '../../../src/cli/options.js';
import { isMaiError, type MaiError } from '../../../src/core/errors.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import { OnnxGraphBuilder, normalFloat32, seededRandom } from '../../helpers/onnx-builder.js';

function error(fn: () => unknown): MaiError {
  try {
    fn();
  } catch (e) {
    if (isMaiError(e)) return e;
    throw new Error(`expected a MaiError, got ${(e as Error).stack}`);
  }
  throw new Error('expected an error');
}

function convModel(): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 13 });
  const x = b.input('x', [1, 3, 8, 8]);
  b.output(b.node('Conv', [x, b.init('w', [4, 3, 3, 3], normalFloat32(108, 1))], { pads: [1, 1, 1, 1] }, 'y'));
  return b.build();
}

describe('undecodable input → onnx-decode-failed naming the file', () => {
  const cases: Array<[string, () => Uint8Array]> = [
    ['empty', () => new Uint8Array(0)],
    ['truncated', () => convModel().subarray(0, 200)],
    [
      'random bytes',
      () => {
        const r = seededRandom(5);
        return Uint8Array.from({ length: 4096 }, () => Math.floor(r() * 256));
      },
    ],
    ['a .tflite file', () => new Uint8Array(readFileSync(createRequire(import.meta.url).resolve('@mediapipe/selfie_segmentation/selfie_segmentation.tflite')))],
    ['a ModelProto without a graph', () => Uint8Array.from([0x08, 0x07])],
  ];
  for (const [name, bytes] of cases) {
    it(name, () => {
      const e = error(() => importOnnx(bytes(), { file: 'bad.onnx' }));
      expect(e.code).toBe('onnx-decode-failed');
      expect(e.exit).toBe(2);
      expect(e.message).toContain('bad.onnx');
    });
  }
  it('the .tflite case says so', () => {
    const bytes = new Uint8Array(readFileSync(createRequire(import.meta.url).resolve('@mediapipe/selfie_segmentation/selfie_segmentation.tflite')));
    expect(error(() => importOnnx(bytes, { file: 'm.onnx' })).message).toMatch(/TFLite/);
  });
});

describe('unsupported nodes are all reported at once', () => {
  it('two unknown ops, a bad attribute and a non-constant weight, one error', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 4, 8, 8]);
    const w = b.input('w_rt', [4, 4, 3, 3]);
    const a = b.node('Relu', [x]);
    const u1 = b.node('GridSample', [a, b.init('grid', [1, 8, 8, 2], normalFloat32(128, 1))]);
    const u2 = b.node('Det', [u1]); // depends on an unsupported node: still listed (unknown op)
    const bad = b.node('MaxPool', [a], { kernel_shape: [3, 3], pads: [2, 2, 2, 2], dilations: [0, 2] });
    const rt = b.node('Conv', [a, w]);
    const fine = b.node('Add', [bad, rt]);
    b.output(u2);
    b.output(fine);
    const e = error(() => importOnnx(b.build(), { file: 'many.onnx' }));
    expect(e.code).toBe('unsupported-model');
    expect(e.exit).toBe(2);
    const byOp = Object.fromEntries(e.diagnostics.map((d) => [d.opType, d.reason]));
    expect(byOp).toEqual({ GridSample: 'unsupported-op', Det: 'unsupported-op', MaxPool: 'unsupported-attribute', Conv: 'requires-constant-input' });
    expect(e.diagnostics.map((d) => d.reason).sort()).toEqual(['requires-constant-input', 'unsupported-attribute', 'unsupported-op', 'unsupported-op']);
    for (const d of e.diagnostics) expect(d.node).toBeTruthy();
  });
  it('nodes downstream of a failed node are still checked: FooBar → Relu → Resize(linear, tf_half_pixel_for_nn) lists FooBar and the Resize', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 4, 8, 8]);
    const foo = b.node('FooBar', [x]);
    const relu = b.node('Relu', [foo]);
    b.output(b.node('Resize', [relu, '', b.init('scales', [4], [1, 1, 2, 2])], { mode: 'linear', coordinate_transformation_mode: 'tf_half_pixel_for_nn' }, 'y'));
    const e = error(() => importOnnx(b.build(), { file: 'down.onnx' }));
    expect(e.code).toBe('unsupported-model');
    expect(e.diagnostics.map((d) => [d.opType, d.reason])).toEqual([
      ['FooBar', 'unsupported-op'],
      ['Resize', 'unsupported-attribute'],
    ]);
    expect(e.diagnostics[1]!.message).toMatch(/tf_half_pixel_for_nn/);
    expect(e.message).toMatch(/^2 node\(s\) cannot be converted in down\.onnx/);
    // the Relu between them could not be checked against its (unknown) input shape: said, not dropped
    expect(e.message).toMatch(/1 more node\(s\) downstream of them \(Relu\w*\) were checked only for op type and attributes/);
  });
  it('downstream checks cover constant inputs and attributes; a node that passes them is in the note', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 4, 8, 8]);
    const wRt = b.input('w_rt', [4, 4, 3, 3]);
    const foo = b.node('FooBar', [x]);
    const conv = b.node('Conv', [foo, wRt]); // runtime weights: known without the input shape
    const pool = b.node('MaxPool', [foo], { kernel_shape: [2, 2], auto_pad: 'SAME_MIDDLE' });
    const lin = b.node('Resize', [foo, '', b.init('s', [4], [1, 1, 2, 2])], { mode: 'linear', coordinate_transformation_mode: 'tf_half_pixel_for_nn' });
    const reshaped = b.node('Reshape', [foo, b.init('shape', [2], [1, -1], 'int64')]); // fine as far as it can be checked
    b.output(b.node('Add', [conv, pool]));
    b.output(lin);
    b.output(reshaped);
    const e = error(() => importOnnx(b.build()));
    expect(Object.fromEntries(e.diagnostics.map((d) => [d.opType, d.reason]))).toEqual({
      FooBar: 'unsupported-op',
      Conv: 'requires-constant-input',
      MaxPool: 'unsupported-attribute',
      Resize: 'unsupported-attribute',
    });
    expect(e.diagnostics.find((d) => d.opType === 'MaxPool')!.message).toContain('SAME_MIDDLE');
    expect(e.diagnostics.find((d) => d.opType === 'Resize')!.message).toContain('tf_half_pixel_for_nn');
    expect(e.message).toMatch(/^4 node\(s\)/);
    expect(e.message).toMatch(/2 more node\(s\) downstream of them \(Reshape\w*, Add\w*\)/);
  });
  it("where value_info declares a failed node's output, downstream nodes are imported in full (shape and dtype checks too)", () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 4, 8, 8]);
    const foo = b.node('FooBar', [x], {}, 'foo_out');
    const big = b.node('Resize', [x, '', b.init('s', [4], [1, 1, 2, 2])], { mode: 'linear', coordinate_transformation_mode: 'tf_half_pixel_for_nn' }, 'big');
    b.spec.valueInfo.push({ name: 'foo_out', shape: [1, 4], dtype: 'int64' }, { name: 'big', shape: [1, 4, 16, 16] });
    b.output(b.node('Relu', [foo], {}, 'r'));
    b.output(b.node('Conv', [big, b.init('w', [2, 3, 1, 1], normalFloat32(6, 1))], {}, 'c'));
    b.output(b.node('Sigmoid', [big], {}, 'fine'));
    const e = error(() => importOnnx(b.build()));
    expect(e.diagnostics.map((d) => [d.opType, d.reason])).toEqual([
      ['FooBar', 'unsupported-op'],
      ['Resize', 'unsupported-attribute'],
      ['Relu', 'unsupported-dtype'], // int64, known only from value_info
      ['Conv', 'shape-mismatch'], // 3 weight channels vs the 4 declared
    ]);
    expect(e.message).not.toMatch(/checked only/);
  });
  it('a downstream node with an input nobody produces is reported as invalid-model', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 4]);
    b.output(b.node('Add', [b.node('FooBar', [x]), 'nowhere'], {}, 'y'));
    const e = error(() => importOnnx(b.build()));
    expect(e.diagnostics.map((d) => d.reason)).toEqual(['unsupported-op', 'invalid-model']);
    expect(e.diagnostics[1]!.message).toContain("'nowhere'");
  });
  it('an op from a non-default domain names the domain', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 4]);
    b.spec.nodes.push({ op: 'FusedGemm', inputs: [x], outputs: ['y'], domain: 'com.microsoft' });
    b.spec.extraOpsets = { 'com.microsoft': 1 };
    b.output('y');
    const e = error(() => importOnnx(b.build()));
    expect(e.diagnostics[0]!.message).toContain('com.microsoft::FusedGemm');
  });
  it('an op outside its supported opset range says which opsets work', () => {
    const b = new OnnxGraphBuilder({ opset: 11 });
    const x = b.input('x', [1, 2, 4, 4]);
    b.output(b.node('Upsample', [x, b.init('s', [4], [1, 1, 2, 2])], {}, 'y'));
    const e = error(() => importOnnx(b.build()));
    expect(e.diagnostics[0]!.message).toMatch(/opsets 7-9.*opset 11/);
  });
});

describe('shapes', () => {
  function dynModel(): Uint8Array {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('image', ['batch', 3, 'height', 'width']);
    b.output(b.node('Relu', [x], {}, 'y'));
    return b.build();
  }
  it('an unresolved dim → dynamic-shape naming the input and its dims', () => {
    const e = error(() => importOnnx(dynModel(), { file: 'dyn.onnx' }));
    expect(e.code).toBe('dynamic-shape');
    expect(e.message).toContain("'image'");
    expect(e.message).toContain('height');
    expect(e.hint).toContain('--input-shape image=');
  });
  function modelWith(inputs: Record<string, Array<number | string>>): Uint8Array {
    const b = new OnnxGraphBuilder({ opset: 13 });
    for (const [name, dims] of Object.entries(inputs)) b.output(b.node('Relu', [b.input(name, dims)], {}, `${name}_y`));
    return b.build();
  }
  it('the suggested --input-shape keeps static dims, sets the batch to 1 and names the other unknown dims', () => {
    const e = error(() => importOnnx(dynModel(), { file: 'dyn.onnx' }));
    expect(e.hint).toContain('--input-shape image=1,3,height,width');
    expect(e.hint).toMatch(/replacing height, width/);
    expect(e.hint).not.toMatch(/=N|,N\b/);
    expect(error(() => importOnnx(modelWith({ image: [1, 3, 'H', 'W'] }))).hint).toContain('--input-shape image=1,3,H,W');
  });
  it('N only for dims without a dim_param', () => {
    const e = error(() => importOnnx(modelWith({ image: [1, 3, '', 'W'] })));
    expect(e.hint).toContain('--input-shape image=1,3,N,W');
    expect(e.message).toContain('2 (unnamed)');
  });
  it('only the batch unknown: the hint is a complete option that the CLI parses and the import accepts', () => {
    const bytes = modelWith({ 'input.1': ['batch_size', 3, 16, 16] });
    const e = error(() => importOnnx(bytes));
    const opt = /--input-shape (\S+)/.exec(e.hint!)![1]!;
    expect(opt).toBe('input.1=1,3,16,16');
    const g = importOnnx(bytes, { inputShapes: parseInputShapes([opt]) });
    expect(g.tensor('input.1').shape).toEqual([1, 16, 16, 3]);
  });
  it('every dynamic input is named in one error', () => {
    const e = error(() => importOnnx(modelWith({ a: ['n', 4], b: [2, 'len'] })));
    expect(e.message).toMatch(/'a'.*'b'/);
    expect(e.hint).toContain('--input-shape a=1,4 --input-shape b=2,len');
  });
  it('--input-shape resolves it; the 4-D input becomes NHWC with the same name', () => {
    const g = importOnnx(dynModel(), { inputShapes: { image: [1, 3, 32, 48] } });
    expect(g.inputs).toEqual(['image']);
    expect(g.tensor('image').shape).toEqual([1, 32, 48, 3]);
    expect(g.tensor('image').layout).toBe('NHWC');
    expect(g.tensor('y').shape).toEqual([1, 32, 48, 3]);
    expect(g.signature?.inputs).toEqual([{ name: 'image', tensor: 'image' }]);
  });
  it('an input name the model does not have → unknown-input listing the real inputs', () => {
    const e = error(() => importOnnx(dynModel(), { inputShapes: { img: [1, 3, 4, 4] } }));
    expect(e.code).toBe('unknown-input');
    expect(e.message).toContain("'img'");
    expect(e.message).toContain('image');
  });
  it('a rank or static-dim conflict is reported', () => {
    expect(error(() => importOnnx(dynModel(), { inputShapes: { image: [1, 3, 4] } })).code).toBe('shape-mismatch');
    expect(error(() => importOnnx(dynModel(), { inputShapes: { image: [1, 4, 8, 8] } })).code).toBe('shape-mismatch');
  });
});

describe('opset_import', () => {
  function withOpsets(opsets: Array<{ domain: string; version: number }>): Uint8Array {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 2, 2]);
    b.output(b.node('Softmax', [x], {}, 'y'));
    const m = onnx.ModelProto.decode(b.build());
    m.opsetImport = opsets.map((o) => onnx.OperatorSetIdProto.create(o));
    return onnx.ModelProto.encode(m).finish();
  }
  it('none at all: onnxruntime refuses the model, and so do we (onnx-no-opset, exit 2, naming the file)', async () => {
    const bytes = withOpsets([]);
    await expect(onnxRuntime.load(bytes)).rejects.toThrow(/Missing opset/);
    const e = error(() => importOnnx(bytes, { file: 'no-opset.onnx' }));
    expect(e.code).toBe('onnx-no-opset');
    expect(e.exit).toBe(2);
    expect(e.message).toContain('no-opset.onnx');
    expect(e.hint).toContain('opset');
  });
  it('only a non-default domain: rejected too (onnxruntime would assume its newest opset, a guess)', () => {
    const e = error(() => importOnnx(withOpsets([{ domain: 'com.microsoft', version: 1 }]), { file: 'ms-only.onnx' }));
    expect(e.code).toBe('onnx-no-opset');
    expect(e.message).toContain('com.microsoft 1');
  });
  it("'ai.onnx' is the default domain", () => {
    const g = importOnnx(withOpsets([{ domain: 'ai.onnx', version: 13 }]));
    expect(g.metadata.get('onnx_opset')).toBe('13');
  });
});
