/**
 * uint64 Add / Sub / Mul / comparisons / Min / Max: computed on the int64 bits (BITCAST), exact for
 * every value — checked against onnxruntime with values at 0, 2^32, 2^63 − 1, 2^63, 2^64 − 1 fed and
 * read back bit-exactly (int64-io.ts).
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/core/random.js';
import { attr, OnnxGraphBuilder } from '../../helpers/onnx-builder.js';
import { importRejection } from './harness.js';
import { runConverted, runOrt, type Feed } from './int64-io.js';

const M = 2n ** 64n;
/** Edge values and their neighbours, as uint64. */
const EDGES = [0n, 1n, 2n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 32n + 1n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 63n + 1n, M - 2n, M - 1n, 0xdeadbeefcafef00dn, 12345678901234567n];
/** Every ordered pair of EDGES: a [n], b [n]. */
const A = EDGES.flatMap((a) => EDGES.map(() => a));
const B = EDGES.flatMap(() => EDGES);
const N = A.length;

async function expectSameAsOrt(bytes: Uint8Array, feeds: Feed[], outTypes: Array<'uint64' | 'uint8' | 'int64'>) {
  const want = await runOrt(bytes, feeds, outTypes);
  const { outputs, ops } = await runConverted(bytes, feeds);
  expect(outputs).toEqual(want);
  return ops;
}

describe('uint64 arithmetic and comparisons run on int64 bits', () => {
  for (const [op, f] of [['Add', (a: bigint, b: bigint) => (a + b) % M], ['Sub', (a: bigint, b: bigint) => (a - b + M) % M], ['Mul', (a: bigint, b: bigint) => (a * b) % M]] as const) {
    it(`${op}: every pair of edge values, modulo 2^64 (runtime × runtime and × a constant)`, async () => {
      const b = new OnnxGraphBuilder({ opset: 14 });
      const x = b.input('a', [N], 'uint64');
      const y = b.input('b', [N], 'uint64');
      b.output(b.node(op, [x, y], {}, 'r'), [N], 'uint64');
      b.output(b.node(op, [x, b.init('k', [N], B, 'uint64')], {}, 'rk'), [N], 'uint64');
      b.output(b.node(op, [b.init('k2', [N], A, 'uint64'), y], {}, 'kr'), [N], 'uint64');
      const feeds: Feed[] = [{ name: 'a', dtype: 'uint64', shape: [N], values: A }, { name: 'b', dtype: 'uint64', shape: [N], values: B }];
      const ops = await expectSameAsOrt(b.build(), feeds, ['uint64', 'uint64', 'uint64']);
      // the oracle itself agrees with the arithmetic definition
      const { outputs } = await runConverted(b.build(), feeds);
      expect(outputs[0]).toEqual(A.map((a, i) => f(a, B[i]!)));
      expect(ops.filter((o) => o !== 'BITCAST')).toEqual([op.toUpperCase(), op.toUpperCase(), op.toUpperCase()]);
    });
  }

  for (const op of ['Equal', 'Greater', 'GreaterOrEqual', 'Less', 'LessOrEqual']) {
    it(`${op}: unsigned order of every pair of edge values (runtime, constant and broadcast operands)`, async () => {
      const b = new OnnxGraphBuilder({ opset: 16 });
      const x = b.input('a', [N], 'uint64');
      const y = b.input('b', [N], 'uint64');
      const u8 = (v: string, name: string) => b.output(b.node('Cast', [v], { to: attr.int(2) }, name), [N], 'uint8');
      u8(b.node(op, [x, y]), 'r');
      u8(b.node(op, [x, b.init('k', [N], B, 'uint64')]), 'rk');
      u8(b.node(op, [b.init('s', [], [2n ** 63n], 'uint64'), y]), 'sr');
      const feeds: Feed[] = [{ name: 'a', dtype: 'uint64', shape: [N], values: A }, { name: 'b', dtype: 'uint64', shape: [N], values: B }];
      await expectSameAsOrt(b.build(), feeds, ['uint8', 'uint8', 'uint8']);
    });
  }

  for (const op of ['Max', 'Min']) {
    it(`${op} of three uint64 inputs (one constant, one broadcast scalar) in unsigned order`, async () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      const x = b.input('a', [N], 'uint64');
      const y = b.input('b', [N], 'uint64');
      b.output(b.node(op, [x, y, b.init('s', [], [2n ** 63n], 'uint64')], {}, 'r'), [N], 'uint64');
      b.output(b.node(op, [x, y], {}, 'r2'), [N], 'uint64');
      const feeds: Feed[] = [{ name: 'a', dtype: 'uint64', shape: [N], values: A }, { name: 'b', dtype: 'uint64', shape: [N], values: B }];
      await expectSameAsOrt(b.build(), feeds, ['uint64', 'uint64']);
    });
  }

  it('in an NHWC graph (after a Conv, default layout): comparisons feed Where, Max and Add stay on NHWC tensors, no BITCAST round trips', async () => {
    const b = new OnnxGraphBuilder({ opset: 14 });
    const x = b.input('x', [1, 3, 2, 2]);
    const u = b.input('u', [1, 3, 2, 2], 'uint64');
    const c = b.node('Conv', [x, b.init('w', [3, 3, 1, 1], [1, 0.5, 0, 0, 1, -1, 2, 0, 1])]);
    const less = b.node('Less', [u, b.init('k', [1, 3, 1, 1], [1n, 2n ** 63n, M - 1n], 'uint64')]);
    b.output(b.node('Where', [less, c, b.node('Neg', [c])], {}, 'y'), [1, 3, 2, 2]);
    b.output(b.node('Add', [b.node('Max', [u, b.init('k2', [3, 1, 1], [5n, 2n ** 63n, 7n], 'uint64')]), u], {}, 'z'), [1, 3, 2, 2], 'uint64');
    const feeds: Feed[] = [
      { name: 'x', dtype: 'float32', shape: [1, 3, 2, 2], values: Array.from({ length: 12 }, (_, i) => i - 5.5) },
      { name: 'u', dtype: 'uint64', shape: [1, 3, 2, 2], values: [0n, 1n, 2n, 3n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 63n + 1n, M - 1n, 0n, 6n, M - 2n, M - 1n] },
    ];
    const want = await runOrt(b.build(), feeds, ['float32', 'uint64']);
    const { outputs, ops } = await runConverted(b.build(), feeds, true);
    expect(outputs).toEqual(want);
    expect(ops).not.toContain('TRANSPOSE');
    // u's bits once (shared by Less and Max); Max's result reaches Add as int64 bits (no round trip); Add's result once
    expect(ops.filter((o) => o === 'BITCAST')).toHaveLength(2);
  });

  it('runtime Cast to and from uint64 (LiteRT CAST has no uint64 case) wraps like onnxruntime: int64 / int32 / uint8 / bool in, int64 / int32 / uint32 / uint8 / bool out', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const n = 8;
    const to = (v: string, code: number, name?: string) => b.node('Cast', [v], { to: attr.int(code) }, name);
    const i64 = b.input('i64', [n], 'int64');
    const i32 = b.input('i32', [n], 'int32');
    const u8 = b.input('u8', [n], 'uint8');
    const u64 = b.node('Add', [b.node('Add', [to(i64, 13), to(i32, 13)]), b.node('Mul', [to(u8, 13), to(to(u8, 9), 13)])]);
    b.output(to(u64, 7, 'o_i64'), [n], 'int64');
    b.output(to(u64, 6, 'o_i32'), [n], 'int32');
    b.output(to(to(u64, 12), 7, 'o_u32'), [n], 'int64');
    b.output(to(u64, 2, 'o_u8'), [n], 'uint8');
    b.output(to(to(u64, 9), 2, 'o_bool'), [n], 'uint8');
    const feeds: Feed[] = [
      { name: 'i64', dtype: 'int64', shape: [n], values: [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 32n, -5n, 1n, 0n] },
      { name: 'i32', dtype: 'int32', shape: [n], values: [0, 1, 1, -1, -(2 ** 31), 2 ** 31 - 1, -1, 0] },
      { name: 'u8', dtype: 'uint8', shape: [n], values: [0, 255, 3, 0, 16, 1, 0, 0] },
    ];
    const want = await runOrt(b.build(), feeds, ['int64', 'int32', 'int64', 'uint8', 'uint8']);
    const { outputs, ops } = await runConverted(b.build(), feeds);
    expect(outputs).toEqual(want);
    expect(ops).toContain('BITCAST');
  });

  it('Cast between uint64 and a float type is refused (no correctly rounded route through int64)', () => {
    for (const [from, toCode] of [['float32', 13], ['uint64', 1]] as const) {
      const b = new OnnxGraphBuilder({ opset: 13 });
      b.spec.nodes.push({ op: 'Cast', inputs: [b.input('x', [4], from)], outputs: ['y'], name: 'cast_u64', attrs: { to: attr.int(toCode) } });
      b.output('y', [4], toCode === 13 ? 'uint64' : 'float32');
      const d = importRejection(b.build()).diagnostics;
      expect(d.map((x) => [x.node, x.reason])).toEqual([['cast_u64', 'unsupported-dtype']]);
      expect(d[0]!.message).toMatch(/no exact route/);
    }
  });

  it('integer Div by a constant holding 0 is refused naming the node and the element (uint64 would give garbage, int32 DIV fails every run)', () => {
    for (const dtype of ['uint64', 'uint32', 'int32', 'uint8'] as const) {
      const b = new OnnxGraphBuilder({ opset: 13 });
      const d = b.init('d', [3], dtype === 'uint64' ? [7n, 0n, 1n] : [7, 0, 1], dtype);
      b.spec.nodes.push({ op: 'Div', inputs: [b.input('x', [3], dtype), d], outputs: ['y'], name: 'div' });
      b.output('y', [3], dtype);
      const e = importRejection(b.build());
      expect(e.exit).toBe(2);
      expect(e.diagnostics.map((x) => `${x.node} ${x.reason}: ${x.message}`)).toEqual([
        "div invalid-model: Div 'div': the constant divisor 'd' holds 0 at element 1; integer division by zero is undefined in ONNX (the converted model would fail or give garbage on every run)",
      ]);
    }
  });

  describe('Div: float32 estimates refined on an exact int64 remainder (div-uint64.ts)', () => {
    /** Seeded 64-bit values: random bits, a random bit length (so every magnitude is covered). */
    const rand = seededRandom(64);
    const word = () => BigInt(Math.floor(rand() * 2 ** 32));
    const any = () => BigInt.asUintN(64, (word() << 32n) | word());
    const ofLength = () => BigInt.asUintN(Math.max(1, Math.ceil(rand() * 64)), any()) || 1n;
    const divisors = EDGES.filter((v) => v !== 0n);

    async function expectQuotients(a: bigint[], d: bigint[], constDivisor: boolean) {
      const n = a.length;
      const b = new OnnxGraphBuilder({ opset: 14 });
      const x = b.input('a', [n], 'uint64');
      const y = constDivisor ? b.init('d', [n], d, 'uint64') : b.input('d', [n], 'uint64');
      b.output(b.node('Div', [x, y], {}, 'q'), [n], 'uint64');
      const feeds: Feed[] = [{ name: 'a', dtype: 'uint64', shape: [n], values: a }];
      if (!constDivisor) feeds.push({ name: 'd', dtype: 'uint64', shape: [n], values: d });
      const want = await runOrt(b.build(), feeds, ['uint64']);
      expect(want[0]).toEqual(a.map((v, i) => v / d[i]!));
      const { outputs } = await runConverted(b.build(), feeds);
      expect(outputs).toEqual(want);
    }

    it('every pair of edge values, runtime and constant divisors', async () => {
      const a = EDGES.flatMap((v) => divisors.map(() => v));
      const d = EDGES.flatMap(() => divisors);
      await expectQuotients(a, d, false);
      await expectQuotients(a, d, true);
    });
    it('20000 seeded pairs over every magnitude, and dividends at quotient boundaries (q·b − 1, q·b, q·b + b − 1)', async () => {
      const a: bigint[] = [];
      const d: bigint[] = [];
      for (let i = 0; i < 10000; i++) {
        a.push(i % 2 ? any() : ofLength());
        d.push(ofLength());
      }
      for (let i = 0; i < 10000; i++) {
        const b = ofLength();
        const q = (M - 1n) / b === 0n ? 0n : any() % ((M - 1n) / b + 1n);
        const base = q * b;
        const pick = [base, base - 1n, base + b - 1n][i % 3]!;
        a.push(pick < 0n || pick >= M ? base : pick);
        d.push(b);
      }
      await expectQuotients(a, d, false);
    });
    it('a scalar constant divisor broadcast (1, 3, 2^63 + 5, 2^64 − 1)', async () => {
      for (const k of [1n, 3n, 2n ** 63n + 5n, M - 1n]) {
        const b = new OnnxGraphBuilder({ opset: 14 });
        b.output(b.node('Div', [b.input('a', [N], 'uint64'), b.init('k', [], [k], 'uint64')], {}, 'q'), [N], 'uint64');
        const feeds: Feed[] = [{ name: 'a', dtype: 'uint64', shape: [N], values: A }];
        const { outputs } = await runConverted(b.build(), feeds);
        expect(outputs[0]).toEqual(A.map((v) => v / k));
      }
    });
  });
});
