import { describe, expect, it } from 'vitest';
import { foldBatchnormIntoConv } from '../../../src/convert/passes/fold-batchnorm-into-conv.js';
import { exactHalf, FLOAT16_WEIGHTS_KEY } from '../../../src/convert/passes/keep-half-weights.js';
import { floatToHalf, halfToFloat } from '../../../src/ir/dtype.js';
import { IrBuilder, opCounts } from '../../helpers/ir-builder.js';
import { normalFloat32 } from '../../helpers/onnx-builder.js';
import { ORACLE, oracle, runPass } from './pass-harness.js';

type Producer = 'CONV_2D' | 'DEPTHWISE_CONV_2D' | 'FULLY_CONNECTED';

/** producer → MUL by per-channel scale → ADD per-channel shift (what the importer emits for BatchNormalization). */
function bn(producer: Producer, opts: { bias?: boolean; steps?: Array<'MUL' | 'ADD' | 'SUB' | 'DIV'>; constShape?: 'flat' | '4d' | 'scalar'; addAct?: 'RELU6' } = {}) {
  const b = new IrBuilder(7);
  let y: string;
  let c: number;
  if (producer === 'FULLY_CONNECTED') {
    c = 6;
    y = b.fc(b.input('x', [2, 5]), c, { bias: opts.bias });
  } else {
    const x = b.input('x', [1, 5, 5, 4]);
    c = producer === 'CONV_2D' ? 6 : 4;
    y = producer === 'CONV_2D' ? b.conv2d(x, { out: c, k: 3, bias: opts.bias }) : b.depthwise(x, { bias: opts.bias });
  }
  const steps = opts.steps ?? ['MUL', 'ADD'];
  steps.forEach((op, i) => {
    const shape = opts.constShape === 'scalar' ? [] : opts.constShape === '4d' ? [1, 1, 1, c] : [c];
    const n = shape.length ? c : 1;
    const data = op === 'MUL' || op === 'DIV' ? normalFloat32(n, 40 + i, 0.3, 1) : normalFloat32(n, 50 + i, 0.5);
    const k = b.const(undefined, shape, data);
    const last = i === steps.length - 1;
    y = b.binary(op, y, k, last && opts.addAct ? { activation: opts.addAct } : {});
  });
  b.output(y);
  return b.graph;
}

describe('fold-batchnorm-into-conv', () => {
  for (const p of ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED'] as const) {
    it(`folds MUL+ADD into ${p}`, () => {
      const { before, after, result } = runPass(foldBatchnormIntoConv, bn(p));
      expect(result.status).toBe('applied');
      expect(result.stats!.folded).toBe(2);
      expect(opCounts(after)).toEqual({ [p]: 1 });
      expect(after.outputs).toEqual(before.outputs);
    });
  }

  it('creates a bias when the conv has none, and takes over the ADD activation', () => {
    const { after, result } = runPass(foldBatchnormIntoConv, bn('CONV_2D', { bias: false, addAct: 'RELU6' }));
    expect(result.status).toBe('applied');
    const conv = after.nodes[0]!;
    expect(conv.inputs[2]).toBeTruthy();
    expect(after.tensor(conv.inputs[2]!).shape).toEqual([6]);
    expect(conv.attrs.activation).toBe('RELU6');
  });

  it('folds a lone ADD, SUB, MUL or DIV and [1,1,1,C] / scalar constants', () => {
    for (const steps of [['ADD'], ['SUB'], ['MUL'], ['DIV']] as const) {
      const { after, result } = runPass(foldBatchnormIntoConv, bn('CONV_2D', { steps: [...steps] }));
      expect(result.status, steps[0]).toBe('applied');
      expect(opCounts(after)).toEqual({ CONV_2D: 1 });
    }
    expect(runPass(foldBatchnormIntoConv, bn('CONV_2D', { constShape: '4d' })).result.status).toBe('applied');
    expect(runPass(foldBatchnormIntoConv, bn('DEPTHWISE_CONV_2D', { constShape: 'scalar' })).result.status).toBe('applied');
  });

  it('does not touch the source constant data (copies)', () => {
    const g = bn('CONV_2D');
    const conv = g.nodes[0]!;
    const w = g.tensor(conv.inputs[1]!).data!;
    const copy = w.slice();
    foldBatchnormIntoConv.run(g);
    expect(Array.from(w as Float32Array)).toEqual(Array.from(copy as Float32Array));
  });

  it('keeps MUL+ADD when the conv output has another consumer', () => {
    const b = new IrBuilder();
    const x = b.input('x', [1, 4, 4, 3]);
    const y = b.conv2d(x, { out: 3 });
    const m = b.binary('MUL', y, b.const(undefined, [3]));
    b.output(b.binary('ADD', m, b.const(undefined, [3])));
    b.output(b.binary('SUB', y, x));
    const { after, result } = runPass(foldBatchnormIntoConv, b.graph);
    expect(result.status).toBe('declined');
    expect(result.message).toMatch(/feeds 2 consumers/);
    expect(opCounts(after)).toEqual({ CONV_2D: 1, MUL: 1, ADD: 1, SUB: 1 });
  });

  it('ignores a MUL by a non-constant, declines a constant that is not per-channel; a shared weight tensor is copied', () => {
    const b = new IrBuilder();
    const x = b.input('x', [1, 4, 4, 3]);
    b.output(b.binary('MUL', b.conv2d(x, { out: 3 }), x));
    b.output(b.binary('MUL', b.conv2d(x, { out: 3 }), b.const(undefined, [4, 1, 3])));
    const { result } = runPass(foldBatchnormIntoConv, b.graph);
    expect(result.status).toBe('declined');
    expect(result.declines).toHaveLength(1);
    expect(result.declines![0]).toMatch(/not per-channel/);

    const s = new IrBuilder();
    const xi = s.input('x', [1, 4, 4, 3]);
    const y1 = s.conv2d(xi, { out: 3, name: 'c1' });
    const c1 = s.graph.nodes[0]!;
    const y2 = s.op('CONV_2D', [xi, c1.inputs[1]!, c1.inputs[2]!], [1, 4, 4, 3], { ...c1.attrs });
    s.output(s.binary('MUL', y1, s.const(undefined, [3])));
    s.output(y2);
    const r = runPass(foldBatchnormIntoConv, s.graph);
    expect(r.result.status).toBe('applied');
    const [a1, a2] = r.after.nodes.filter((n) => n.op === 'CONV_2D');
    expect(a1!.inputs[1]).not.toBe(a2!.inputs[1]);
    expect(a1!.inputs[2]).not.toBe(a2!.inputs[2]);
  });

  it('skips a graph with no conv followed by an affine op', () => {
    const b = new IrBuilder();
    b.output(b.unary('RELU', b.conv2d(b.input('x', [1, 4, 4, 3]), { out: 3 })));
    expect(runPass(foldBatchnormIntoConv, b.graph).result.status).toBe('skipped');
  });

  it('float16 source: keeps a scale MUL that would make float16 weights float32, folds one that keeps them exact', () => {
    const half = (scale: number) => {
      const g = bn('FULLY_CONNECTED', { steps: ['MUL'] });
      g.metadata.set(FLOAT16_WEIGHTS_KEY, 'fp16 source');
      const w = g.tensor(g.nodes[0]!.inputs[1]!);
      w.data = Float32Array.from(w.data as Float32Array, (v) => halfToFloat(floatToHalf(v)));
      const mul = g.nodes.find((n) => n.op === 'MUL')!;
      const k = g.tensor(mul.inputs[1]!);
      k.data = new Float32Array(k.data!.length).fill(scale);
      return g;
    };
    const kept = runPass(foldBatchnormIntoConv, half(0.3));
    expect(kept.result.status).toBe('declined');
    expect(kept.result.declines?.join()).toContain('would no longer be float16');
    expect(opCounts(kept.after)).toEqual({ FULLY_CONNECTED: 1, MUL: 1 });
    const folded = runPass(foldBatchnormIntoConv, half(0.5));
    expect(opCounts(folded.after)).toEqual({ FULLY_CONNECTED: 1 });
    expect(exactHalf(folded.after.tensor(folded.after.nodes[0]!.inputs[1]!).data as Float32Array)).toBeDefined();
    // a float32 source folds any scale
    const g = half(0.3);
    g.metadata.delete(FLOAT16_WEIGHTS_KEY);
    expect(opCounts(runPass(foldBatchnormIntoConv, g).after)).toEqual({ FULLY_CONNECTED: 1 });
  });

  describe(ORACLE, () => {
    for (const p of ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED'] as const) {
      // LiteRT's float CONV_2D refuses to prepare without a bias (conv.cc: "has_bias was not true"),
      // so a bias-less CONV_2D "before" graph cannot run; DEPTHWISE_CONV_2D and FULLY_CONNECTED can.
      for (const bias of p === 'CONV_2D' ? [true] : [true, false]) {
        it(`${p} (bias ${bias}) + MUL + ADD`, async () => {
          await oracle(runPass(foldBatchnormIntoConv, bn(p, { bias })));
        });
      }
    }
    it('CONV_2D + DIV, SUB and ADD with RELU6', async () => {
      await oracle(runPass(foldBatchnormIntoConv, bn('CONV_2D', { steps: ['DIV', 'SUB', 'ADD'], addAct: 'RELU6' })));
    });
  });
});
