import { describe, expect, it } from 'vitest';
import { FUSES_RELU_FAMILY, fuseActivation, fuseActivations } from '../../../src/convert/passes/fuse-activation.js';
import { IrBuilder, cloneGraph, opCounts } from '../../helpers/ir-builder.js';
import { relativeError, runInLiteRt, seededInputs } from '../../helpers/tflite-oracle.js';
import { ORACLE, oracle, runPass } from './pass-harness.js';

function convRelu(act: 'RELU' | 'RELU6' | 'RELU_N1_TO_1' | 'TANH') {
  const b = new IrBuilder(3);
  const x = b.input('x', [1, 6, 6, 3]);
  const y = b.conv2d(x, { out: 4, k: 3, name: 'conv' });
  b.output(b.unary(act, y, { name: 'act' }));
  return b.graph;
}

function producerThenRelu(op: 'ADD' | 'SUB' | 'MUL' | 'DIV' | 'MAX_POOL_2D' | 'AVERAGE_POOL_2D' | 'DEPTHWISE_CONV_2D' | 'FULLY_CONNECTED') {
  const b = new IrBuilder(5);
  let y: string;
  if (op === 'FULLY_CONNECTED') y = b.fc(b.input('x', [2, 8]), 5);
  else {
    const x = b.input('x', [1, 4, 4, 3]);
    if (op === 'DEPTHWISE_CONV_2D') y = b.depthwise(x);
    else if (op === 'MAX_POOL_2D' || op === 'AVERAGE_POOL_2D')
      y = b.op(op, [x], [1, 2, 2, 3], { padding: 'VALID', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' });
    else y = b.binary(op, x, op === 'DIV' ? b.const(undefined, [3], [2, -4, 0.5]) : b.input('x2', [1, 4, 4, 3]));
  }
  b.output(b.unary('RELU6', y));
  return b.graph;
}

describe('fuse-activation', () => {
  it('fuseActivations (what int8 runs) leaves kept nodes and producers outside its set alone', () => {
    const kept = convRelu('RELU');
    expect(fuseActivations(kept, { keep: new Set(['act']) })).toMatchObject({ status: 'declined', declines: [expect.stringMatching(/RELU 'act' after CONV_2D 'conv': kept as it is/)] });
    expect(opCounts(kept)).toEqual({ CONV_2D: 1, RELU: 1 });
    const noDiv = producerThenRelu('DIV');
    const producers = new Set([...FUSES_RELU_FAMILY].filter((op) => op !== 'DIV'));
    expect(fuseActivations(noDiv, { producers }).status).toBe('skipped');
    expect(fuseActivations(noDiv).status).toBe('applied');
    expect(noDiv.nodes.map((n) => [n.op, n.attrs.activation])).toEqual([['DIV', 'RELU6']]);
  });

  for (const act of ['RELU', 'RELU6', 'RELU_N1_TO_1'] as const) {
    it(`fuses ${act} into CONV_2D`, () => {
      const { before, after, result } = runPass(fuseActivation, convRelu(act));
      expect(result.status).toBe('applied');
      expect(after.outputs).toEqual(before.outputs);
      expect(opCounts(after)).toEqual({ CONV_2D: 1 });
      expect(after.nodes[0]!.attrs.activation).toBe(act);
      expect(after.nodes[0]!.outputs).toEqual(after.outputs);
    });
  }

  for (const op of ['ADD', 'SUB', 'MUL', 'DIV', 'MAX_POOL_2D', 'AVERAGE_POOL_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED'] as const) {
    it(`fuses RELU6 into ${op}`, () => {
      const { after, result } = runPass(fuseActivation, producerThenRelu(op));
      expect(result.status).toBe('applied');
      expect(after.nodes.map((n) => n.op)).toEqual([op]);
      expect(after.nodes[0]!.attrs.activation).toBe('RELU6');
    });
  }

  it('declines TANH (TFLite conv kernels ignore a fused TANH)', () => {
    const { after, result } = runPass(fuseActivation, convRelu('TANH'));
    expect(result.status).toBe('declined');
    expect(result.message).toMatch(/TANH/);
    expect(opCounts(after)).toEqual({ CONV_2D: 1, TANH: 1 });
  });

  it('declines when the conv output has a second consumer', () => {
    const b = new IrBuilder();
    const x = b.input('x', [1, 4, 4, 3]);
    const y = b.conv2d(x, { out: 3 });
    b.output(b.unary('RELU', y));
    b.output(b.binary('ADD', y, x));
    const { after, result } = runPass(fuseActivation, b.graph);
    expect(result.status).toBe('declined');
    expect(result.message).toMatch(/feeds 2 consumers/);
    expect(opCounts(after)).toEqual({ CONV_2D: 1, RELU: 1, ADD: 1 });
  });

  it('declines when the conv output is a graph output', () => {
    const b = new IrBuilder();
    const y = b.conv2d(b.input('x', [1, 4, 4, 3]), { out: 3 });
    b.output(y);
    b.output(b.unary('RELU', y));
    const { result } = runPass(fuseActivation, b.graph);
    expect(result.status).toBe('declined');
    expect(result.message).toMatch(/graph output/);
  });

  it('declines CONCATENATION (its kernel requires NONE) and an already fused producer', () => {
    const b = new IrBuilder();
    const x = b.input('x', [1, 2, 2, 3]);
    const c = b.op('CONCATENATION', [x, x], [1, 2, 2, 6], { axis: 3, activation: 'NONE' });
    b.output(b.unary('RELU', c));
    const y = b.conv2d(x, { out: 3, activation: 'RELU' });
    b.output(b.unary('RELU6', y));
    const { result } = runPass(fuseActivation, b.graph);
    expect(result.status).toBe('declined');
    expect(result.declines).toHaveLength(2);
    expect(result.declines!.join('\n')).toMatch(/CONCATENATION kernel requires fused activation NONE[\s\S]*already fuses RELU/);
  });

  it('skips a graph without activations', () => {
    const b = new IrBuilder();
    b.output(b.conv2d(b.input('x', [1, 4, 4, 3]), { out: 3 }));
    expect(runPass(fuseActivation, b.graph).result.status).toBe('skipped');
  });

  describe(ORACLE, () => {
    it('why TANH is declined: LiteRT applies no fused TANH on CONV_2D', async () => {
      const g = convRelu('TANH');
      const forced = cloneGraph(g);
      forced.nodes[0]!.attrs.activation = 'TANH';
      forced.nodes[0]!.outputs = [...forced.outputs];
      forced.nodes.splice(1, 1);
      forced.pruneTensors();
      const inputs = seededInputs(g);
      const [want] = await runInLiteRt(g, inputs);
      const [got] = await runInLiteRt(forced, inputs);
      expect(relativeError(want!.data as Float32Array, got!.data as Float32Array)).toBeGreaterThan(0.1);
    });

    for (const act of ['RELU', 'RELU6', 'RELU_N1_TO_1'] as const) {
      it(`CONV_2D + ${act}`, async () => {
        expect(await oracle(runPass(fuseActivation, convRelu(act)))).toBeLessThanOrEqual(1e-5);
      });
    }
    for (const op of ['ADD', 'SUB', 'MUL', 'DIV', 'MAX_POOL_2D', 'AVERAGE_POOL_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED'] as const) {
      it(`${op} + RELU6`, async () => {
        await oracle(runPass(fuseActivation, producerThenRelu(op)));
      });
    }
  });
});
