/**
 * uint32 Div from int32 DIVs (div-uint32.ts): every quotient exact — against onnxruntime on every pair
 * of edge values (0, 1, 2^16, 2^31 − 1, 2^31, 2^31 + 1, 2^32 − 1, …) and on seeded random pairs
 * spread over the whole range, with runtime and constant divisors.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/core/random.js';
import { attr, OnnxGraphBuilder } from '../../helpers/onnx-builder.js';
import { runConverted, runOrt, type Feed } from './int64-io.js';

const EDGES = [0, 1, 2, 3, 7, 255, 65535, 65536, 123456789, 2 ** 31 - 2, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 0x9e3779b9, 2 ** 32 - 2, 2 ** 32 - 1];
const DIVISORS = EDGES.filter((v) => v !== 0);

/** A model taking int64 (uint32 values), casting to uint32, dividing, and casting back to int64. */
function model(n: number, constDivisor?: number[]): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 14 });
  const u32 = (v: string) => b.node('Cast', [v], { to: attr.int(12) });
  const a = u32(b.input('a', [n], 'int64'));
  const d = constDivisor ? b.init('d', [n], constDivisor, 'uint32') : u32(b.input('b', [n], 'int64'));
  b.output(b.node('Cast', [b.node('Div', [a, d])], { to: attr.int(7) }, 'q'), [n], 'int64');
  return b.build();
}

async function expectExact(a: number[], d: number[], constDivisor: boolean) {
  const bytes = model(a.length, constDivisor ? d : undefined);
  const feeds: Feed[] = [{ name: 'a', dtype: 'int64', shape: [a.length], values: a.map(BigInt) }];
  if (!constDivisor) feeds.push({ name: 'b', dtype: 'int64', shape: [d.length], values: d.map(BigInt) });
  const want = await runOrt(bytes, feeds, ['int64']);
  expect(want[0]).toEqual(a.map((v, i) => BigInt(Math.floor(v / d[i]!))));
  const { outputs, ops } = await runConverted(bytes, feeds);
  expect(outputs).toEqual(want);
  return ops;
}

describe('uint32 Div → int32 DIVs, exact over the whole range', () => {
  const a = EDGES.flatMap((x) => DIVISORS.map(() => x));
  const d = EDGES.flatMap(() => DIVISORS);
  it('every pair of edge values (runtime divisor)', async () => {
    const ops = await expectExact(a, d, false);
    expect(ops.filter((o) => o === 'DIV').length).toBe(2);
  });
  it('every pair of edge values (constant divisor)', async () => {
    await expectExact(a, d, true);
  });
  it('2000 seeded random pairs: dividends over [0, 2^32), divisors over every magnitude', async () => {
    const r = seededRandom(31);
    const ra = Array.from({ length: 2000 }, () => Math.floor(r() * 2 ** 32));
    const rd = Array.from({ length: 2000 }, () => Math.max(1, Math.floor(2 ** (r() * 32))));
    await expectExact(ra, rd, false);
  });
});
