/**
 * Parametric activations (LeakyRelu, PRelu, Elu, HardSigmoid, HardSwish, Gelu) against onnxruntime,
 * with NHWC and NCHW (keepIoLayout) I/O, plus the ONNX-level fusions: PyTorch's Erf form of GELU →
 * one GELU (an Erf outside that form is decomposed instead, see erf.test.ts), x·HardSigmoid(x) → one
 * HARD_SWISH, and the rejections (runtime slope).
 */
import { describe, expect, it } from 'vitest';
import { floatToHalf } from '../../../src/ir/dtype.js';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { OnnxGraphBuilder, attr, normalFloat32 } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, opHistogram, LAYOUTS, layoutName, importRejection } from './harness.js';



function oneOp(opset: number, op: string, shape: number[], attrs: Record<string, ReturnType<typeof attr.float>> = {}, extra: (b: OnnxGraphBuilder) => string[] = () => []): Uint8Array {
  const b = new OnnxGraphBuilder({ opset });
  const x = b.input('x', shape);
  b.output(b.node(op, [x, ...extra(b)], attrs, 'y'));
  return b.build();
}

describe('LeakyRelu, Elu, HardSigmoid, HardSwish, Gelu', () => {
  const cases: Array<[string, number, string, Record<string, ReturnType<typeof attr.float>>, string[]]> = [
    ['LeakyRelu default alpha', 13, 'LeakyRelu', {}, ['LEAKY_RELU']],
    ['LeakyRelu alpha 0.3', 16, 'LeakyRelu', { alpha: attr.float(0.3) }, ['LEAKY_RELU']],
    ['Elu alpha 1', 13, 'Elu', {}, ['ELU']],
    ['Elu alpha 0.5 (decomposed)', 13, 'Elu', { alpha: attr.float(0.5) }, ['ELU', 'MINIMUM', 'MUL', 'ADD']],
    ['Elu alpha 2 (decomposed)', 13, 'Elu', { alpha: attr.float(2) }, ['ELU', 'MINIMUM', 'MUL', 'ADD']],
    ['HardSigmoid default', 13, 'HardSigmoid', {}, ['MUL', 'ADD', 'MUL']],
    ['HardSigmoid alpha 0.5 beta 0.6', 13, 'HardSigmoid', { alpha: attr.float(0.5), beta: attr.float(0.6) }, ['MUL', 'ADD', 'MUL']],
    ['HardSwish', 14, 'HardSwish', {}, ['HARD_SWISH']],
    ['Gelu exact', 20, 'Gelu', {}, ['GELU']],
    ['Gelu tanh', 20, 'Gelu', { approximate: attr.string('tanh') }, ['GELU']],
  ];
  for (const [name, opset, op, attrs, ops] of cases) {
    for (const keep of LAYOUTS) {
      it(`${name} (${layoutName(keep)})`, async () => {
        const { graph } = await expectMatchesOrt(oneOp(opset, op, [1, 3, 5, 6], attrs), { range: [-5, 5], keepIoLayout: keep });
        const compute = graph.nodes.map((n) => n.op).filter((o) => o !== 'TRANSPOSE');
        expect(compute).toEqual(ops);
      });
    }
  }
  it('on a 2-D tensor', async () => {
    await expectMatchesOrt(oneOp(13, 'LeakyRelu', [4, 7], { alpha: attr.float(0.2) }), { range: [-3, 3] });
    await expectMatchesOrt(oneOp(13, 'Elu', [4, 7], { alpha: attr.float(0.7) }), { range: [-3, 3] });
  });
});

describe('PRelu (constant slope in the input layout)', () => {
  // ops with NHWC I/O, then with NCHW I/O (an NCHW 4-D input keeps ONNX order, where C is not last)
  const DEC = ['MINIMUM', 'MUL', 'ADD'];
  const cases: Array<[string, number[], number[], string[], string[]]> = [
    ['per-channel [C,1,1]', [1, 4, 5, 6], [4, 1, 1], ['PRELU'], DEC],
    ['[1,C,1,1]', [1, 4, 5, 6], [1, 4, 1, 1], ['PRELU'], DEC],
    ['single slope [1]', [1, 4, 5, 6], [1], ['PRELU'], ['PRELU']],
    ['full [C,H,W] slope', [1, 4, 5, 6], [4, 5, 6], DEC, DEC],
    ['slope over W [W]', [1, 4, 5, 6], [6], DEC, ['PRELU']],
    ['3-D input, per-channel [C,1]', [2, 3, 7], [3, 1], DEC, DEC],
    ['2-D input, per-feature [F]', [3, 8], [8], ['PRELU'], ['PRELU']],
  ];
  for (const [name, xs, ss, nhwcOps, nchwOps] of cases) {
    for (const keep of LAYOUTS) {
      const ops = keep ? nchwOps : nhwcOps;
      it(`${name} → ${ops.join(', ')} (${layoutName(keep)})`, async () => {
        const model = oneOp(13, 'PRelu', xs, {}, (b) => [b.init('slope', ss, normalFloat32(ss.reduce((a, c) => a * c, 1), 3, 0.5))]);
        const { graph } = await expectMatchesOrt(model, { range: [-4, 4], keepIoLayout: keep });
        expect(graph.nodes.map((n) => n.op).filter((o) => o !== 'TRANSPOSE' && o !== 'RESHAPE')).toEqual(ops);
        const prelu = graph.nodes.find((n) => n.op === 'PRELU');
        if (prelu) expect(graph.tensor(prelu.inputs[1]!).shape).toEqual([graph.tensor(prelu.inputs[0]!).shape.at(-1)]);
      });
    }
  }
  it('runtime slope → requires-constant-input naming the node', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 4, 4]);
    const s = b.input('s', [3, 1, 1]);
    b.spec.nodes.push({ op: 'PRelu', inputs: [x, s], outputs: ['y'], name: 'prelu_rt' });
    b.output('y', [1, 3, 4, 4]);
    const e = importRejection(b.build());
    expect(e.diagnostics.map((d) => [d.node, d.reason])).toEqual([['prelu_rt', 'requires-constant-input']]);
    expect(e.diagnostics[0]!.message).toMatch(/slope/);
  });
});

/** x → GELU in PyTorch's Erf form; `variant` picks how √2 and 0.5 appear. */
function erfGelu(variant: 'div-sqrt2, (A·x)·0.5' | 'mul-rsqrt2, A·(x·0.5)' | 'div-sqrt2, (A·0.5)·x, constants as Constant nodes' | 'mul-rsqrt2 swapped, x·A then ·0.5', opset = 17): Uint8Array {
  const b = new OnnxGraphBuilder({ opset });
  const x = b.input('x', [1, 4, 5, 6]);
  const k = (name: string, v: number, asNode: boolean) => (asNode ? b.node('Constant', [], { value: attr.tensor({ shape: [], data: [v] }) }, name) : b.init(name, [], [v]));
  const asNode = variant.includes('Constant nodes');
  let u: string;
  if (variant.startsWith('div')) u = b.node('Div', [x, k('sqrt2', Math.SQRT2, asNode)]);
  else if (variant.includes('swapped')) u = b.node('Mul', [k('rsqrt2', Math.SQRT1_2, asNode), x]);
  else u = b.node('Mul', [x, k('rsqrt2', Math.SQRT1_2, asNode)]);
  const e = b.node('Erf', [u]);
  const a = b.node('Add', [e, k('one', 1, asNode)]);
  let y: string;
  if (variant.includes('(A·x)·0.5')) y = b.node('Mul', [b.node('Mul', [a, x]), k('half', 0.5, asNode)], {}, 'y');
  else if (variant.includes('A·(x·0.5)')) y = b.node('Mul', [a, b.node('Mul', [x, k('half', 0.5, asNode)])], {}, 'y');
  else if (variant.includes('(A·0.5)·x')) y = b.node('Mul', [b.node('Mul', [a, k('half', 0.5, asNode)]), x], {}, 'y');
  else y = b.node('Mul', [b.node('Mul', [x, a]), k('half', 0.5, asNode)], {}, 'y');
  b.output(y);
  return b.build();
}

describe('GELU in Erf form (PyTorch exports before opset 20) → one GELU', () => {
  const variants = ['div-sqrt2, (A·x)·0.5', 'mul-rsqrt2, A·(x·0.5)', 'div-sqrt2, (A·0.5)·x, constants as Constant nodes', 'mul-rsqrt2 swapped, x·A then ·0.5'] as const;
  for (const v of variants) {
    for (const keep of LAYOUTS) {
      it(`${v} (${layoutName(keep)})`, async () => {
        const { graph } = await expectMatchesOrt(erfGelu(v), { range: [-4, 4], keepIoLayout: keep });
        const h = opHistogram(graph);
        expect(h.GELU).toBe(1);
        expect(Object.keys(h).filter((o) => o !== 'TRANSPOSE')).toEqual(['GELU']);
        expect(graph.nodes.find((n) => n.op === 'GELU')!.attrs.approximate).toBe(false);
      });
    }
  }
  it('float16 constants of an fp16 export (√2 rounds to 1.4140625) fuse too; the result matches the float32 GELU in onnxruntime', async () => {
    const gelu = (half: boolean, sqrt2 = Math.SQRT2) => {
      const b = new OnnxGraphBuilder({ opset: 17 });
      const x0 = b.input('x', [1, 4, 5, 6]);
      const dt = half ? 'float16' : 'float32';
      const c = (v: number) => [half ? floatToHalf(v) : v];
      const x = half ? b.node('Cast', [x0], { to: attr.int(10) }) : x0;
      const e = b.node('Erf', [b.node('Div', [x, b.init('s', [], c(sqrt2), dt)])]);
      const y = b.node('Mul', [b.node('Mul', [x, b.node('Add', [e, b.init('one', [], c(1), dt)])]), b.init('h', [], c(0.5), dt)]);
      b.output(half ? b.node('Cast', [y], { to: attr.int(1) }, 'y') : b.node('Identity', [y], {}, 'y'));
      return b.build();
    };
    const { graph } = await expectMatchesOrt(gelu(true), { ortModel: gelu(false), range: [-4, 4] });
    expect(graph.nodes.map((n) => n.op)).toEqual(['GELU']);
    // 1.41 is not √2 even in float16: its nearest half, 1.41015625, is 4 half-ulps below 1.4140625 (the Erf is decomposed)
    expect(opHistogram(importOnnx(gelu(true, 1.41))).GELU).toBeUndefined();
  });
  it('a wrong constant (√3 instead of √2) is not fused: the Erf is decomposed and the graph still matches onnxruntime', async () => {
    const b = new OnnxGraphBuilder({ opset: 17 });
    const x = b.input('x', [1, 4]);
    const e = b.node('Erf', [b.node('Div', [x, b.init('c', [], [Math.sqrt(3)])])]);
    b.output(b.node('Mul', [b.node('Mul', [b.node('Add', [e, b.init('one', [], [1])]), x]), b.init('h', [], [0.5])], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build(), { range: [-4, 4] });
    expect(opHistogram(graph).GELU).toBeUndefined();
  });
  it('an intermediate that is also a graph output blocks the fusion (its value is needed)', async () => {
    const b = new OnnxGraphBuilder({ opset: 17 });
    const x = b.input('x', [1, 4]);
    const e = b.node('Erf', [b.node('Div', [x, b.init('c', [], [Math.SQRT2])])], {}, 'erf_out');
    b.output(b.node('Mul', [b.node('Mul', [b.node('Add', [e, b.init('one', [], [1])]), x]), b.init('h', [], [0.5])], {}, 'y'));
    b.output('erf_out');
    const { graph } = await expectMatchesOrt(b.build(), { range: [-4, 4] });
    expect(opHistogram(graph).GELU).toBeUndefined();
  });
  it('a Gelu node in an opset-17 model (not from the pattern) → unsupported-op: Gelu exists from opset 20', () => {
    const e = importRejection(oneOp(17, 'Gelu', [1, 4]));
    expect(e.diagnostics[0]!.reason).toBe('unsupported-op');
    expect(e.diagnostics[0]!.message).toMatch(/opset 20/);
  });
  it("Gelu approximate='fast' → unsupported-attribute", () => {
    const e = importRejection(oneOp(20, 'Gelu', [1, 4], { approximate: attr.string('fast') }));
    expect(e.diagnostics[0]!.reason).toBe('unsupported-attribute');
  });
});

/** x → GELU in the tanh form (F.gelu(approximate='tanh') before opset 20, HF NewGELU). */
function tanhGelu(variant: 'Pow(x,3), (A·x)·0.5' | 'x·(x·x), A·(0.5·x)' | '(x·x)·x, (A·0.5)·x', kappa = 0.044715): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 17 });
  const x = b.input('x', [1, 4, 5, 6]);
  const k = (name: string, v: number) => b.init(name, [], [v]);
  let cube: string;
  if (variant.startsWith('Pow')) cube = b.node('Pow', [x, k('three', 3)]);
  else if (variant.startsWith('x·(x·x)')) cube = b.node('Mul', [x, b.node('Mul', [x, x])]);
  else cube = b.node('Mul', [b.node('Mul', [x, x]), x]);
  const inner = b.node('Add', [x, b.node('Mul', [k('kappa', kappa), cube])]);
  const t = b.node('Tanh', [b.node('Mul', [inner, k('beta', Math.sqrt(2 / Math.PI))])]);
  const a = b.node('Add', [k('one', 1), t]);
  let y: string;
  if (variant.endsWith('(A·x)·0.5')) y = b.node('Mul', [b.node('Mul', [a, x]), k('half', 0.5)], {}, 'y');
  else if (variant.endsWith('A·(0.5·x)')) y = b.node('Mul', [a, b.node('Mul', [k('half', 0.5), x])], {}, 'y');
  else y = b.node('Mul', [b.node('Mul', [a, k('half', 0.5)]), x], {}, 'y');
  b.output(y);
  return b.build();
}

describe('GELU in tanh form (approximate=tanh before opset 20) → one GELU(approximate)', () => {
  for (const v of ['Pow(x,3), (A·x)·0.5', 'x·(x·x), A·(0.5·x)', '(x·x)·x, (A·0.5)·x'] as const) {
    for (const keep of LAYOUTS) {
      it(`${v} (${layoutName(keep)})`, async () => {
        const { graph } = await expectMatchesOrt(tanhGelu(v), { range: [-4, 4], keepIoLayout: keep });
        expect(graph.nodes.map((n) => n.op).filter((o) => o !== 'TRANSPOSE')).toEqual(['GELU']);
        expect(graph.nodes.find((n) => n.op === 'GELU')!.attrs.approximate).toBe(true);
      });
    }
  }
  it('another κ (0.05) is not fused: the chain converts op by op, still matching onnxruntime', async () => {
    const { graph } = await expectMatchesOrt(tanhGelu('Pow(x,3), (A·x)·0.5', 0.05), { range: [-4, 4] });
    expect(graph.nodes.some((n) => n.op === 'GELU')).toBe(false);
    expect(graph.nodes.some((n) => n.op === 'TANH')).toBe(true);
  });
});

describe('hard-swish written out (x·HardSigmoid(x), x·relu6(x+3)/6) → one HARD_SWISH', () => {
  for (const keep of LAYOUTS) {
    for (const order of ['x·hs', 'hs·x'] as const) {
      it(`${order} at opset 13 (${layoutName(keep)})`, async () => {
        const b = new OnnxGraphBuilder({ opset: 13 });
        const x = b.input('x', [1, 3, 4, 5]);
        const hs = b.node('HardSigmoid', [x], { alpha: attr.float(1 / 6), beta: attr.float(0.5) });
        b.output(b.node('Mul', order === 'x·hs' ? [x, hs] : [hs, x], {}, 'y'));
        const { graph } = await expectMatchesOrt(b.build(), { range: [-5, 5], keepIoLayout: keep });
        expect(graph.nodes.map((n) => n.op).filter((o) => o !== 'TRANSPOSE')).toEqual(['HARD_SWISH']);
      });
    }
  }
  const relu6Forms = ['(x·clip)/6, Clip inputs', 'x·(clip·⅙), Clip inputs', '(clip·x)·⅙, Clip attributes (opset 10)', '3 + x, (clip/6)·x'] as const;
  for (const form of relu6Forms) {
    for (const keep of LAYOUTS) {
      it(`x·relu6(x+3)/6 as ${form} (${layoutName(keep)})`, async () => {
        const opset = form.includes('opset 10') ? 10 : 13;
        const b = new OnnxGraphBuilder({ opset });
        const x = b.input('x', [1, 3, 4, 5]);
        const k = (name: string, v: number) => b.init(name, [], [v]);
        const sum = b.node('Add', form.startsWith('3 + x') ? [k('three', 3), x] : [x, k('three', 3)]);
        const clip = opset < 11 ? b.node('Clip', [sum], { min: attr.float(0), max: attr.float(6) }) : b.node('Clip', [sum, k('lo', 0), k('hi', 6)]);
        let y: string;
        if (form.startsWith('(x·clip)/6')) y = b.node('Div', [b.node('Mul', [x, clip]), k('six', 6)], {}, 'y');
        else if (form.startsWith('x·(clip·⅙)')) y = b.node('Mul', [x, b.node('Mul', [clip, k('sixth', 1 / 6)])], {}, 'y');
        else if (form.startsWith('(clip·x)·⅙')) y = b.node('Mul', [b.node('Mul', [clip, x]), k('sixth', 1 / 6)], {}, 'y');
        else y = b.node('Mul', [b.node('Div', [clip, k('six', 6)]), x], {}, 'y');
        b.output(y);
        const { graph } = await expectMatchesOrt(b.build(), { range: [-6, 6], keepIoLayout: keep });
        expect(graph.nodes.map((n) => n.op).filter((o) => o !== 'TRANSPOSE')).toEqual(['HARD_SWISH']);
      });
    }
  }
  it('Clip to [0, 5] is not hard-swish: converted op by op', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 4, 5]);
    const clip = b.node('Clip', [b.node('Add', [x, b.init('three', [], [3])]), b.init('lo', [], [0]), b.init('hi', [], [5])]);
    b.output(b.node('Div', [b.node('Mul', [x, clip]), b.init('six', [], [6])], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build(), { range: [-6, 6] });
    expect(graph.nodes.some((n) => n.op === 'HARD_SWISH')).toBe(false);
  });
  it('HardSigmoid with other alpha is not fused (MUL, ADD, MUL then MUL)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 4, 5]);
    b.output(b.node('Mul', [x, b.node('HardSigmoid', [x], { alpha: attr.float(0.2) })], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build(), { range: [-5, 5] });
    expect(graph.nodes.map((n) => n.op)).toEqual(['MUL', 'ADD', 'MUL', 'MUL']);
  });
});
