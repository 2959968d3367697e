/**
 * ConvInteger / MatMulInteger outside the dynamic-quantization chain → float ops between CASTs, against
 * onnxruntime's integers (identical int32 results): uint8 and int8 operands, scalar / per-channel /
 * per-column zero points, pads / strides / groups / dilations / 1-D, runtime zero points, reductions at
 * the 2^24 exactness bound with extreme values, and the refusal just past it.
 */
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { seededRandom } from '../../../src/core/random.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import type { HostTensor } from '../../../src/runtime/types.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { OnnxGraphBuilder, attr, type AttrValue } from '../../helpers/onnx-builder.js';
import { importRejection } from './harness.js';

/**
 * onnxruntime on `ortBytes` (default: the model itself) and our .tflite of `bytes` in LiteRT.js, NCHW I/O,
 * on the same feeds: identical integers.
 */
async function expectSameIntegers(bytes: Uint8Array, feeds: HostTensor[], ortBytes = bytes): Promise<void> {
  const ort = await onnxRuntime.load(ortBytes);
  const want = await ort.run(feeds);
  await ort.dispose();
  const lrt = await liteRtRuntime.load(writeTflite(importOnnx(bytes, { keepIoLayout: true })));
  const got = await lrt.run(feeds);
  await lrt.dispose();
  expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
  expect(got.map((t) => Array.from(t.data as Int32Array))).toEqual(want.map((t) => Array.from(t.data as Int32Array)));
}

type I8 = 'uint8' | 'int8';
const LO = { uint8: 0, int8: -128 };

/** Seeded integers of `type`; `extreme` draws only the two ends of the range. */
function ints(n: number, type: I8, seed: number, extreme = false): number[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => LO[type] + (extreme ? (r() < 0.5 ? 0 : 255) : Math.floor(r() * 256)));
}

/**
 * The runtime 8-bit input `name`: uint8 is fed as is; int8 (which LiteRT.js cannot feed) enters as int32
 * and is Cast to int8 inside the model, for both runtimes.
 */
function int8Input(b: OnnxGraphBuilder, name: string, shape: number[], type: I8): string {
  if (type === 'uint8') return b.input(name, shape, 'uint8');
  return b.node('Cast', [b.input(name, shape, 'int32')], { to: attr.int(3) });
}

function feed(name: string, shape: number[], type: I8, values: number[]): HostTensor {
  return { name, dtype: type === 'uint8' ? 'uint8' : 'int32', shape, data: type === 'uint8' ? Uint8Array.from(values) : Int32Array.from(values) };
}

interface ConvCase {
  name: string;
  x: [number, number, ...number[]];
  w: number[];
  tx?: I8;
  tw?: I8;
  xzp?: number;
  wzp?: number[];
  attrs?: Record<string, AttrValue>;
  extreme?: boolean;
  /** Weights all at this value (the bound tests). */
  wFill?: number;
  /** Input all at this value. */
  xFill?: number;
}

function weights(c: ConvCase): number[] {
  const n = c.w.reduce((p, d) => p * d, 1);
  return c.wFill !== undefined ? new Array<number>(n).fill(c.wFill) : ints(n, c.tw ?? 'uint8', 5, c.extreme);
}

/**
 * The same arithmetic in float ops — Cast(x) − x_zero_point, Conv with weights w − w_zero_point, Cast to
 * int32 — for onnxruntime, whose ConvInteger takes only per-tensor zero points (its float conv is exact here).
 */
function convReference(c: ConvCase): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 13 });
  const x = b.node('Cast', [int8Input(b, 'x', c.x, c.tx ?? 'uint8')], { to: attr.int(1) });
  const xs = b.node('Sub', [x, b.init('xzp', [], [c.xzp ?? 0])]);
  const zp = c.wzp ?? [0];
  const inner = c.w.slice(1).reduce((p, d) => p * d, 1);
  const w = b.init('w', c.w, weights(c).map((v, e) => v - zp[zp.length === 1 ? 0 : Math.floor(e / inner)]!));
  b.output(b.node('Cast', [b.node('Conv', [xs, w], c.attrs ?? {})], { to: attr.int(6) }, 'y'), undefined, 'int32');
  return b.build();
}

function convModel(c: ConvCase): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 13 });
  const tx = c.tx ?? 'uint8';
  const tw = c.tw ?? 'uint8';
  const x = int8Input(b, 'x', c.x, tx);
  const w = b.init('w', c.w, weights(c), tw);
  const inputs = [x, w];
  if (c.xzp !== undefined || c.wzp) inputs.push(c.xzp !== undefined ? b.init('xzp', [], [c.xzp], tx) : '');
  if (c.wzp) inputs.push(b.init('wzp', c.wzp.length === 1 ? [] : [c.wzp.length], c.wzp, tw));
  b.spec.nodes.push({ op: 'ConvInteger', inputs, outputs: ['y'], name: 'conv_integer', attrs: c.attrs ?? {} });
  b.output('y', undefined, 'int32');
  return b.build();
}

describe('ConvInteger → CAST, SUB, float conv, CAST: the same int32 as onnxruntime', () => {
  const cases: ConvCase[] = [
    { name: 'uint8, scalar zero points, pads 1', x: [1, 3, 6, 6], w: [4, 3, 3, 3], xzp: 128, wzp: [120], attrs: { pads: attr.ints([1, 1, 1, 1]) } },
    { name: 'uint8 x, int8 w, per-channel w zero points, stride 2', x: [2, 4, 7, 7], w: [5, 4, 3, 3], tw: 'int8', xzp: 3, wzp: [0, -5, 7, 100, -128], attrs: { strides: attr.ints([2, 2]), pads: attr.ints([0, 1, 1, 0]) } },
    { name: 'int8 x, group 2, dilation 2', x: [1, 4, 9, 9], w: [6, 2, 3, 3], tx: 'int8', tw: 'int8', xzp: -7, wzp: [1], attrs: { group: attr.int(2), dilations: attr.ints([2, 2]) } },
    { name: 'depthwise, auto_pad SAME_UPPER', x: [1, 3, 5, 5], w: [3, 1, 3, 3], xzp: 10, attrs: { group: attr.int(3), auto_pad: attr.string('SAME_UPPER') } },
    { name: 'no zero points', x: [1, 2, 4, 4], w: [3, 2, 2, 2] },
    { name: '1-D input [N, C, L]', x: [1, 3, 11], w: [2, 3, 3], xzp: 9, wzp: [4, 250], attrs: { pads: attr.ints([1, 1]) } },
    { name: 'extreme values (0 / 255 only), K = 288', x: [1, 32, 5, 5], w: [4, 32, 3, 3], xzp: 0, wzp: [0], extreme: true },
    // at the bound: |x − 0| ≤ 255 times Σ|w − 0| = 512·128 per channel = 16 711 680 ≤ 2^24 = 16 777 216
    { name: 'K = 512 at the 2^24 bound (all x 255, all w −128)', x: [1, 32, 4, 4], w: [2, 32, 4, 4], tw: 'int8', wFill: -128, xFill: 255 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const tx = c.tx ?? 'uint8';
      const n = c.x.reduce((p, d) => p * d, 1);
      const feeds = [feed('x', c.x, tx, c.xFill !== undefined ? new Array<number>(n).fill(c.xFill) : ints(n, tx, 9, c.extreme))];
      const model = convModel(c);
      await expectSameIntegers(model, feeds, (c.wzp?.length ?? 1) > 1 ? convReference(c) : model);
      const ops = importOnnx(model).nodes.map((m) => m.op);
      expect(ops).toContain('CAST');
      expect(ops.filter((o) => o === 'CAST').length).toBeGreaterThanOrEqual(2);
      expect(ops.includes('SUB'), 'a SUB exactly when x has a non-zero zero point').toBe(!!c.xzp);
    });
  }
  it('K = 528 past the bound (255 · 528 · 128 > 2^24) → unsupported-shape naming K and the bound', () => {
    const d = importRejection(convModel({ name: '', x: [1, 33, 4, 4], w: [2, 33, 4, 4], tw: 'int8', wFill: -128 })).diagnostics;
    expect(d.map((e) => [e.node, e.reason])).toEqual([['conv_integer', 'unsupported-shape']]);
    expect(d[0]!.message).toMatch(/K = 528 .*17233920.*> 2\^24/);
  });
  it('a zero point of 128 for uint8 x halves the range: K = 1024 of weights ±128 still converts exactly', async () => {
    // |x − 128| ≤ 128, Σ|w| = 1024·128: bound 16 777 216 = 2^24 exactly
    const c: ConvCase = { name: '', x: [1, 64, 4, 4], w: [1, 64, 4, 4], tw: 'int8', wFill: -128, xzp: 128, extreme: true };
    const feeds = [feed('x', c.x, 'uint8', new Array<number>(1024).fill(0))];
    await expectSameIntegers(convModel(c), feeds);
  });
  it('runtime weights → requires-constant-input', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.spec.nodes.push({ op: 'ConvInteger', inputs: [b.input('x', [1, 2, 4, 4], 'uint8'), b.input('w', [2, 2, 3, 3], 'uint8')], outputs: ['y'], name: 'ci' });
    b.output('y', [1, 2, 2, 2], 'int32');
    expect(importRejection(b.build()).diagnostics.map((e) => e.reason)).toEqual(['requires-constant-input']);
  });
  it('a per-channel x zero point (the spec makes it a scalar) → unsupported-attribute', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const w = b.init('w', [2, 2, 3, 3], ints(36, 'uint8', 1), 'uint8');
    b.spec.nodes.push({ op: 'ConvInteger', inputs: [b.input('x', [1, 2, 4, 4], 'uint8'), w, b.init('xzp', [2], [1, 2], 'uint8')], outputs: ['y'], name: 'ci' });
    b.output('y', [1, 2, 2, 2], 'int32');
    const d = importRejection(b.build()).diagnostics;
    expect(d.map((e) => e.reason)).toEqual(['unsupported-attribute']);
    expect(d[0]!.message).toMatch(/zero point 'xzp' \[2\]/);
  });
  it('weights not of the input\'s rank → shape-mismatch naming them (was an internal error, as for Conv)', () => {
    for (const op of ['ConvInteger', 'Conv'] as const) {
      const t = op === 'Conv' ? 'float32' : 'uint8';
      const b = new OnnxGraphBuilder({ opset: 13 });
      b.spec.nodes.push({ op, inputs: [b.input('x', [1, 2, 3, 3], t), b.init('w', [1, 2], [1, 2], t)], outputs: ['y'], name: 'c' });
      b.output('y', undefined, op === 'Conv' ? 'float32' : 'int32');
      const e = importRejection(b.build());
      expect(e.exit).toBe(2);
      const why = op === 'Conv' ? "2-D Conv weights 'w' must be 4-D [M, C/group, kH, kW], got [1,2]" : "ConvInteger 'c' weights 'w' [1,2] must be [M, C/group, k…] of x's rank (x is [1,2,3,3])";
      expect(e.diagnostics.map((x) => `${x.node} ${x.reason}: ${x.message}`)).toEqual([`c shape-mismatch: ${why}`]);
    }
  });
});

interface MmCase {
  name: string;
  a: number[];
  b: number[];
  ta?: I8;
  tb?: I8;
  azp?: number;
  bzp?: number[];
  bConst?: boolean;
  runtimeZp?: boolean;
  extreme?: boolean;
}

function mmModel(c: MmCase): Uint8Array {
  const g = new OnnxGraphBuilder({ opset: 13 });
  const ta = c.ta ?? 'uint8';
  const tb = c.tb ?? 'uint8';
  const a = int8Input(g, 'a', c.a, ta);
  const nb = c.b.reduce((p, d) => p * d, 1);
  const b = c.bConst ? g.init('b', c.b, ints(nb, tb, 21, c.extreme), tb) : int8Input(g, 'b', c.b, tb);
  const inputs = [a, b];
  if (c.azp !== undefined || c.bzp) inputs.push(c.azp === undefined ? '' : c.runtimeZp ? int8Input(g, 'azp', [], ta) : g.init('azp', [], [c.azp], ta));
  if (c.bzp) inputs.push(c.runtimeZp ? int8Input(g, 'bzp', [], tb) : g.init('bzp', c.bzp.length === 1 ? [] : [c.bzp.length], c.bzp, tb));
  g.spec.nodes.push({ op: 'MatMulInteger', inputs, outputs: ['y'], name: 'mm_integer' });
  g.output('y', undefined, 'int32');
  return g.build();
}

describe('MatMulInteger → CAST, SUB, FULLY_CONNECTED / BATCH_MATMUL, CAST: the same int32 as onnxruntime', () => {
  const cases: MmCase[] = [
    { name: 'uint8, constant B, scalar zero points', a: [4, 16], b: [16, 5], azp: 12, bzp: [200], bConst: true },
    { name: 'int8 A, uint8 B, per-column B zero points', a: [3, 8], b: [8, 4], ta: 'int8', azp: -3, bzp: [0, 1, 128, 255], bConst: true },
    { name: 'runtime A and B (BATCH_MATMUL), batched A [2, 3, 7]', a: [2, 3, 7], b: [7, 6], azp: 100, bzp: [7] },
    { name: 'batched both [2, 3, 10] × [2, 10, 4], int8', a: [2, 3, 10], b: [2, 10, 4], ta: 'int8', tb: 'int8', azp: 5, bzp: [-9] },
    { name: 'runtime scalar zero points (as DynamicQuantizeLinear gives)', a: [5, 6], b: [6, 3], azp: 0, bzp: [0], runtimeZp: true },
    { name: '1-D A [K] × B [K, N]', a: [9], b: [9, 3], azp: 1, bzp: [2], bConst: true },
    { name: 'no zero points', a: [2, 4], b: [4, 2], bConst: true },
    // at the bound with nothing constant: K·255·255 ≤ 2^24 ⇔ K ≤ 258; extreme values 0 / 255
    { name: 'runtime A, B with K = 258, extreme values', a: [3, 258], b: [258, 2], azp: 0, bzp: [255], extreme: true },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const ta = c.ta ?? 'uint8';
      const tb = c.tb ?? 'uint8';
      const na = c.a.reduce((p, d) => p * d, 1);
      const nb = c.b.reduce((p, d) => p * d, 1);
      const feeds = [feed('a', c.a, ta, ints(na, ta, 31, c.extreme))];
      if (!c.bConst) feeds.push(feed('b', c.b, tb, ints(nb, tb, 33, c.extreme)));
      if (c.runtimeZp) feeds.push(feed('azp', [], ta, [c.azp!]), feed('bzp', [], tb, c.bzp!));
      const shaped = mmModel(c);
      await expectSameIntegers(shaped, feeds);
    });
  }
  it('K = 259 with nothing constant → unsupported-shape (259·255·255 > 2^24)', () => {
    const d = importRejection(mmModel({ name: '', a: [3, 259], b: [259, 2], azp: 0, bzp: [0] })).diagnostics;
    expect(d.map((e) => [e.node, e.reason])).toEqual([['mm_integer', 'unsupported-shape']]);
    expect(d[0]!.message).toMatch(/K = 259 .*16841475/);
  });
  it('a constant B lets K grow past 258 when its values are small: K = 1000 of B ∈ {0, 1} (zero point 0) converts exactly', async () => {
    const g = new OnnxGraphBuilder({ opset: 13 });
    const bits = ints(1000 * 3, 'uint8', 4).map((v) => v & 1);
    g.spec.nodes.push({ op: 'MatMulInteger', inputs: [g.input('a', [2, 1000], 'uint8'), g.init('b', [1000, 3], bits, 'uint8')], outputs: ['y'], name: 'mm' });
    g.output('y', [2, 3], 'int32');
    await expectSameIntegers(g.build(), [feed('a', [2, 1000], 'uint8', ints(2000, 'uint8', 8, true))]);
  });
  it('per-row A zero points [M] (which onnxruntime does not implement) equal the float reference A − zp[:, None] run by onnxruntime', async () => {
    const azp = [3, 200, 17];
    const g = new OnnxGraphBuilder({ opset: 13 });
    const bv = ints(12, 'uint8', 2);
    g.spec.nodes.push({ op: 'MatMulInteger', inputs: [g.input('a', [3, 4], 'uint8'), g.init('b', [4, 3], bv, 'uint8'), g.init('azp', [3], azp, 'uint8'), g.init('bzp', [], [9], 'uint8')], outputs: ['y'], name: 'mm' });
    g.output('y', [3, 3], 'int32');
    // the reference: the same arithmetic in float ops (exact for these magnitudes), run by onnxruntime
    const r = new OnnxGraphBuilder({ opset: 13 });
    const af = r.node('Sub', [r.node('Cast', [r.input('a', [3, 4], 'uint8')], { to: attr.int(1) }), r.init('azp', [3, 1], azp)]);
    const bf = r.init('b', [4, 3], bv.map((v) => v - 9));
    r.output(r.node('Cast', [r.node('MatMul', [af, bf])], { to: attr.int(6) }, 'y'), [3, 3], 'int32');
    const feeds = [feed('a', [3, 4], 'uint8', ints(12, 'uint8', 6))];
    const ort = await onnxRuntime.load(r.build());
    const want = await ort.run(feeds);
    await ort.dispose();
    const lrt = await liteRtRuntime.load(writeTflite(importOnnx(g.build())));
    const got = await lrt.run(feeds);
    await lrt.dispose();
    expect(Array.from(got[0]!.data as Int32Array)).toEqual(Array.from(want[0]!.data as Int32Array));
  });
});
