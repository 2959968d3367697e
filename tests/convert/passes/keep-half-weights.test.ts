import { describe, expect, it } from 'vitest';
import { exactHalf, FLOAT16_WEIGHTS_KEY, keepHalfWeights } from '../../../src/convert/passes/keep-half-weights.js';
import { floatToHalf, halfToFloat } from '../../../src/ir/dtype.js';
import { IrBuilder, opCounts } from '../../helpers/ir-builder.js';
import { ORACLE, oracle, runPass } from './pass-harness.js';

/** Conv whose weights are float16 values held as float32 (as the ONNX import widens them) and a bias that is not. */
function halfConv(flag: boolean) {
  const b = new IrBuilder();
  const x = b.input('x', [1, 6, 6, 3]);
  const y = b.conv2d(x, { out: 4, k: 3 });
  const conv = b.graph.nodes.find((n) => n.op === 'CONV_2D')!;
  const w = b.graph.tensor(conv.inputs[1]!);
  w.data = Float32Array.from(w.data as Float32Array, (v) => halfToFloat(floatToHalf(v)));
  const bias = b.graph.tensor(conv.inputs[2]!);
  bias.data = Float32Array.from({ length: 4 }, (_, i) => 0.1 + i * 1e-5); // not float16-exact
  b.output(b.unary('RELU', y));
  if (flag) b.graph.metadata.set(FLOAT16_WEIGHTS_KEY, 'test');
  return { graph: b.graph, weights: w.name, bias: bias.name };
}

describe('keep-half-weights', () => {
  it('exactHalf: bits only when every value round-trips (±0, ±inf, NaN, subnormals included)', () => {
    expect(exactHalf(Float32Array.of(1.5, -0, Infinity, NaN, 2 ** -24, 65504))).toBeDefined();
    expect(exactHalf(Float32Array.of(1.5, 0.1))).toBeUndefined();
    expect(exactHalf(Float32Array.of(65520))).toBeUndefined(); // rounds to inf
  });

  it('a float16 source: exact weights become FLOAT16 + DEQUANTIZE under the same name, the inexact bias stays float32', () => {
    const { graph, weights, bias } = halfConv(true);
    const { after, result } = runPass(keepHalfWeights, graph);
    expect(result.status).toBe('applied');
    expect(result.stats).toMatchObject({ kept: 1, float32: 1 });
    expect(opCounts(after)).toEqual({ DEQUANTIZE: 1, CONV_2D: 1, RELU: 1 });
    const dq = after.nodes[0]!;
    expect(dq.op).toBe('DEQUANTIZE');
    expect(dq.outputs).toEqual([weights]);
    expect(after.tensor(dq.inputs[0]!).dtype).toBe('float16');
    expect(after.tensor(weights).data).toBeUndefined();
    expect(after.tensor(bias).dtype).toBe('float32');
    expect(after.tensor(bias).data).toBeDefined();
  });

  it('skips a source without float16 weights', () => {
    const { result, after } = runPass(keepHalfWeights, halfConv(false).graph);
    expect(result.status).toBe('skipped');
    expect(opCounts(after).DEQUANTIZE).toBeUndefined();
  });

  describe(ORACLE, () => {
    it('same outputs with the weights float16', async () => {
      await oracle(runPass(keepHalfWeights, halfConv(true).graph));
    });
  });
});
