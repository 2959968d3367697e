/**
 * Pow on int64 (TFLite POW has no int64 kernel) with a constant non-negative integer exponent →
 * square-and-multiply in int64 MULs: against onnxruntime where its double-based integer pow is exact
 * (|result| < 2^53), and modulo 2^64 (BigInt arithmetic) where the product wraps.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '../../helpers/onnx-builder.js';
import { importRejection } from './harness.js';
import { runConverted, runOrt, type Feed } from './int64-io.js';

/** |x|^e < 2^53 for the exponents below: onnxruntime's pow (in double) is exact there (31^11 it rounds). */
const X = [0n, 1n, -1n, 2n, -2n, 3n, -3n, 7n, -9n, 10n, 27n, -128n];
const N = X.length;
const feeds: Feed[] = [{ name: 'x', dtype: 'int64', shape: [N], values: X }];
const powMod = (x: bigint, e: number) => BigInt.asIntN(64, x ** BigInt(e));

describe('Pow on int64 with a constant exponent → exact int64 MULs', () => {
  it('per-element exponents 0..13 (int64), a uniform 5 and a float32 4.0 agree with onnxruntime', async () => {
    const b = new OnnxGraphBuilder({ opset: 15 });
    const x = b.input('x', [N], 'int64');
    const e = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 6];
    b.output(b.node('Pow', [x, b.init('e', [N], e, 'int64')], {}, 'p'), [N], 'int64');
    b.output(b.node('Pow', [x, b.init('five', [], [5], 'int64')], {}, 'p5'), [N], 'int64');
    b.output(b.node('Pow', [x, b.init('four', [1], [4], 'float32')], {}, 'p4'), [N], 'int64');
    b.output(b.node('Pow', [x, b.init('zero', [], [0], 'int64')], {}, 'p0'), [N], 'int64');
    const bytes = b.build();
    const want = await runOrt(bytes, feeds, ['int64', 'int64', 'int64', 'int64']);
    const { outputs, ops } = await runConverted(bytes, feeds);
    expect(outputs).toEqual(want);
    expect(outputs[0]).toEqual(X.map((v, i) => powMod(v, e[i]!)));
    expect(new Set(ops)).toEqual(new Set(['MUL', 'SUB', 'ADD']));
  });

  it('an exponent that broadcasts x to [3, N] and products beyond 2^63 wrap modulo 2^64 like int64 Mul', async () => {
    const b = new OnnxGraphBuilder({ opset: 15 });
    const x = b.input('x', [N], 'int64');
    const e = [...new Array<number>(N).fill(63), ...new Array<number>(N).fill(64), ...Array.from({ length: N }, (_, i) => 1000 + i)];
    b.output(b.node('Pow', [x, b.init('e', [3, N], e, 'int64')], {}, 'p'), [3, N], 'int64');
    const { outputs } = await runConverted(b.build(), feeds);
    expect(outputs[0]).toEqual(e.map((v, i) => powMod(X[i % N]!, v)));
  });

  it('a runtime exponent needs a constant; negative and fractional exponents are refused by node', () => {
    const runtime = new OnnxGraphBuilder({ opset: 15 });
    runtime.spec.nodes.push({ op: 'Pow', inputs: [runtime.input('x', [4], 'int64'), runtime.input('y', [4], 'int64')], outputs: ['p'], name: 'pow_rt' });
    runtime.output('p', [4], 'int64');
    expect(importRejection(runtime.build()).diagnostics.map((d) => [d.node, d.reason])).toEqual([['pow_rt', 'requires-constant-input']]);
    for (const [v, dtype] of [[-1, 'int64'], [0.5, 'float32']] as const) {
      const b = new OnnxGraphBuilder({ opset: 15 });
      b.spec.nodes.push({ op: 'Pow', inputs: [b.input('x', [4], 'int64'), b.init('y', [4], [2, 3, v, 1], dtype)], outputs: ['p'], name: 'pow_c' });
      b.output('p', [4], 'int64');
      const d = importRejection(b.build()).diagnostics;
      expect(d.map((x) => [x.node, x.reason])).toEqual([['pow_c', 'unsupported-dtype']]);
      expect(d[0]!.message).toContain(`exponent ${v}`);
    }
  });

  it('int32 base: constant exponents must be non-negative integers (0.5 would truncate to 0 in the int32 POW), a float runtime exponent needs a constant, an int32 one runs', async () => {
    for (const [v, dtype, reason] of [[0.5, 'float32', 'unsupported-dtype'], [-2, 'int32', 'unsupported-dtype']] as const) {
      const b = new OnnxGraphBuilder({ opset: 15 });
      b.spec.nodes.push({ op: 'Pow', inputs: [b.input('x', [4], 'int32'), b.init('y', [], [v], dtype)], outputs: ['p'], name: 'pow_i32' });
      b.output('p', [4], 'int32');
      expect(importRejection(b.build()).diagnostics.map((d) => [d.node, d.reason])).toEqual([['pow_i32', reason]]);
    }
    const rt = new OnnxGraphBuilder({ opset: 15 });
    rt.spec.nodes.push({ op: 'Pow', inputs: [rt.input('x', [4], 'int32'), rt.input('y', [4])], outputs: ['p'], name: 'pow_f' });
    rt.output('p', [4], 'int32');
    expect(importRejection(rt.build()).diagnostics.map((d) => [d.node, d.reason])).toEqual([['pow_f', 'requires-constant-input']]);
    const ok = new OnnxGraphBuilder({ opset: 15 });
    const x = ok.input('x', [4], 'int32');
    ok.output(ok.node('Pow', [x, ok.input('y', [4], 'int32')], {}, 'p'), [4], 'int32');
    ok.output(ok.node('Pow', [x, ok.init('c', [4], [0, 3, 1, 5], 'float32')], {}, 'pc'), [4], 'int32');
    const f: Feed[] = [{ name: 'x', dtype: 'int32', shape: [4], values: [3, -2, 7, -5] }, { name: 'y', dtype: 'int32', shape: [4], values: [4, 3, 0, 2] }];
    const { outputs } = await runConverted(ok.build(), f);
    expect(outputs).toEqual(await runOrt(ok.build(), f, ['int32', 'int32']));
  });

  it('a float base with a uint64 exponent: constant → converted once; runtime → needs a constant (LiteRT CAST has no uint64)', async () => {
    const b = new OnnxGraphBuilder({ opset: 15 });
    const x = b.input('x', [4], 'float32');
    b.output(b.node('Pow', [x, b.init('y', [4], [0n, 1n, 3n, 2n ** 40n], 'uint64')], {}, 'p'), [4], 'float32');
    const f: Feed[] = [{ name: 'x', dtype: 'float32', shape: [4], values: [1.5, -2, 0.5, 1] }];
    // (onnxruntime has no Pow kernel for a uint64 exponent; these powers are exact in float32)
    const { outputs } = await runConverted(b.build(), f);
    expect(outputs).toEqual([[1, -2, 0.125, 1]]);
    const rt = new OnnxGraphBuilder({ opset: 15 });
    rt.spec.nodes.push({ op: 'Pow', inputs: [rt.input('x', [4]), rt.input('y', [4], 'uint64')], outputs: ['p'], name: 'pow_u64' });
    rt.output('p', [4]);
    expect(importRejection(rt.build()).diagnostics.map((d) => [d.node, d.reason])).toEqual([['pow_u64', 'requires-constant-input']]);
  });
});
