import { describe, expect, it } from 'vitest';
import { copyPassthroughOutputs } from '../../../src/convert/passes/copy-passthrough-outputs.js';
import { IrBuilder, opCounts } from '../../helpers/ir-builder.js';
import { runInLiteRt, seededInputs } from '../../helpers/tflite-oracle.js';
import { ORACLE, runPass } from './pass-harness.js';

function passthrough() {
  const b = new IrBuilder();
  const x = b.input('x', [1, 3, 4, 4]);
  b.output(x);
  const y = b.unary('RELU', x);
  b.output(y);
  b.output(y);
  b.graph.signature = {
    key: 'serving_default',
    inputs: [{ name: 'x', tensor: 'x' }],
    outputs: [{ name: 'y', tensor: 'x' }, { name: 'r1', tensor: y }, { name: 'r2', tensor: y }],
  };
  return b.graph;
}

describe('copy-passthrough-outputs', () => {
  it('gives an input-as-output and a repeated output their own RESHAPE-copied tensors', () => {
    const { after, result } = runPass(copyPassthroughOutputs, passthrough());
    expect(result.status).toBe('applied');
    expect(result.stats!.copied).toBe(2);
    expect(opCounts(after)).toEqual({ RELU: 1, RESHAPE: 2 });
    expect(new Set(after.outputs).size).toBe(3);
    expect(after.outputs.some((o) => after.inputs.includes(o))).toBe(false);
    expect(after.signature!.outputs.map((s) => s.tensor)).toEqual(after.outputs);
  });

  it('skips ordinary graphs', () => {
    const b = new IrBuilder();
    b.output(b.unary('RELU', b.input('x', [2])));
    expect(runPass(copyPassthroughOutputs, b.graph).result.status).toBe('skipped');
  });

  describe(ORACLE.replace('same outputs before and after', 'outputs equal the input exactly'), () => {
    it('LiteRT returns the input through the copy', async () => {
      const { after } = runPass(copyPassthroughOutputs, passthrough());
      const inputs = seededInputs(after);
      const [y, r1, r2] = await runInLiteRt(after, inputs);
      expect(Array.from(y!.data as Float32Array)).toEqual(Array.from(inputs[0]!.data as Float32Array));
      expect(Array.from(r1!.data as Float32Array)).toEqual(Array.from(r2!.data as Float32Array));
      expect(Math.min(...(r1!.data as Float32Array))).toBe(0);
    });
  });
});
