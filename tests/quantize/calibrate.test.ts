/**
 * exposeTensors and calibrate against LiteRT: the exposed copy returns each
 * activation exactly as a run of a model cut at that tensor would, graph
 * inputs and repeated names included; calibration statistics match the values.
 */
import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../helpers/ir-builder.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { activationTensors, calibrate, exposedPrefix, exposedActivations } from '../../src/quantize/calibrate.js';
import { exposeTensors } from '../../src/quantize/expose.js';
import { exposedBytes, exposeGroups } from '../../src/quantize/expose-groups.js';
import { quantizeInt8 } from '../../src/quantize/int8.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { writeTflite } from '../../src/tflite/index.js';
import type { HostTensor } from '../../src/runtime/types.js';
import { verify } from '../../src/ir/verify.js';

function build() {
  const b = new IrBuilder(3);
  const x = b.input('x', [1, 6, 6, 2]);
  const c = b.conv2d(x, { out: 4, k: 3, name: 'conv' });
  const r = b.unary('RELU', c, { name: 'relu' });
  const s = b.unary('LOGISTIC', r, { name: 'sigmoid' });
  b.output(s);
  return { g: b.graph, conv: c, relu: r, out: s };
}
const sample = (seed: number): HostTensor[] => [{ name: 'x', dtype: 'float32', shape: [1, 6, 6, 2], data: uniformFloat32(72, seed, -2, 3) }];

async function runAll(bytes: Uint8Array, x: HostTensor[]): Promise<HostTensor[]> {
  const m = await liteRtRuntime.load(bytes);
  try {
    return await m.run(x);
  } finally {
    await m.dispose();
  }
}

describe('exposeTensors', () => {
  it('outputs = g.outputs then one per name (input, repeated and output names included), values exact', async () => {
    const { g, conv, relu, out } = build();
    const names = ['x', conv, relu, out, relu];
    const e = exposeTensors(g, names);
    expect(verify(e)).toEqual([]);
    expect(e.outputs).toHaveLength(1 + names.length);
    expect(g.outputs).toEqual([out]); // input graph untouched
    const x = sample(1);
    const got = await runAll(writeTflite(e), x);
    expect(got[1]!.data).toEqual(x[0]!.data);
    // reference: the plain model cut at each tensor
    for (const [k, name] of names.entries()) {
      const cut = exposeTensors(g, []);
      cut.outputs = name === 'x' ? cut.outputs : [name];
      if (name === 'x') continue;
      const ref = await runAll(writeTflite(cut), x);
      expect(got[1 + k]!.data, name).toEqual(ref[0]!.data);
    }
  });

  it('returns int8 tensors of a quantized graph through a DEQUANTIZE as their real values', async () => {
    const { g, relu } = build();
    const stats = await calibrate(g, [1, 2, 3].map(sample), { kind: 'minmax' });
    const q = quantizeInt8(g, stats).graph;
    const e = exposeTensors(q, [relu]);
    expect(e.producerOf(e.outputs[1]!)!.op).toBe('DEQUANTIZE');
    const got = await runAll(writeTflite(e), sample(1));
    const ref = await runAll(writeTflite(exposeTensors(g, [relu])), sample(1));
    const scale = q.tensor(relu).quant!.scale[0]!;
    const a = ref[1]!.data as Float32Array;
    const b = got[1]!.data as Float32Array;
    expect(b.length).toBe(a.length);
    // output rounding (½ step) plus the input and weight rounding carried through the conv: within 3 steps
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(scale * 3);
    // real values, not int8 codes: the same extremes as the float model within a step
    expect(Math.abs(Math.max(...b) - Math.max(...a))).toBeLessThan(3 * scale);
  });
});

describe('calibrate', () => {
  it('min-max statistics equal the exact extremes of every activation over all samples; progress per sample', async () => {
    const { g } = build();
    const samples = [1, 2, 3, 4].map(sample);
    const progress: number[] = [];
    const stats = await calibrate(g, samples, { kind: 'minmax', onProgress: (d) => progress.push(d) });
    expect(progress).toEqual([1, 2, 3, 4]);
    const names = activationTensors(g);
    expect([...stats.keys()]).toEqual(names);
    const e = writeTflite(exposeTensors(g, names));
    const mins = names.map(() => Infinity);
    const maxs = names.map(() => -Infinity);
    for (const s of samples) {
      const outs = await runAll(e, s);
      names.forEach((_, k) => {
        for (const v of outs[1 + k]!.data as Float32Array) {
          mins[k] = Math.min(mins[k]!, v);
          maxs[k] = Math.max(maxs[k]!, v);
        }
      });
    }
    names.forEach((n, k) => {
      const s = stats.get(n)!;
      expect([s.min, s.max, s.lo, s.hi, s.clipRate], n).toEqual([mins[k], maxs[k], mins[k], maxs[k], 0]);
      expect(s.count).toBe(4 * (n === 'x' ? 72 : 144));
    });
  });

  it('accepts an async iterable and rejects an empty one with a readable error', async () => {
    const { g } = build();
    async function* two() {
      yield sample(1);
      yield sample(2);
    }
    const stats = await calibrate(g, two(), { kind: 'percentile' });
    expect(stats.get('x')!.count).toBe(144);
    await expect(calibrate(g, [], { kind: 'minmax' })).rejects.toMatchObject({ code: 'calib-required', exit: 2, message: expect.stringMatching(/at least one sample/) });
  });

  it('rejects a sample with the wrong number of tensors as calib-shape-mismatch, naming the model inputs', async () => {
    const { g } = build();
    const extra = [...sample(1), ...sample(2)];
    await expect(calibrate(g, [extra], { kind: 'minmax' })).rejects.toMatchObject({ code: 'calib-shape-mismatch', exit: 2, message: expect.stringMatching(/2 tensors, the model takes 1 \(x\)/) });
  });
});

describe('calibrate in exposure groups (memory budget)', () => {
  it('a budget that splits the activations into one group each gives the same statistics as one group; progress counts every run', async () => {
    const { g } = build();
    const samples = [1, 2, 3].map(sample);
    // nothing derived: 3 exposed activations of 576 bytes (the input is observed from the
    // samples), and a budget of 600 bytes gives one group per tensor
    const observed = exposedActivations(g, activationTensors(g), new Map());
    expect(observed).toHaveLength(3);
    expect(exposeGroups(g, observed, 600 / 2 ** 20)).toHaveLength(observed.length);
    const progress: Array<[number, number | undefined]> = [];
    const split = await calibrate(g, samples, { kind: 'percentile', derive: false, exposeBudgetMB: 600 / 2 ** 20, onProgress: (d, t) => progress.push([d, t]) });
    const whole = await calibrate(g, samples, { kind: 'percentile', derive: false });
    expect(progress).toEqual(Array.from({ length: 3 * observed.length }, (_, i) => [i + 1, 3 * observed.length]));
    for (const n of activationTensors(g)) {
      const { histogram: _a, ...a } = split.get(n)!;
      const { histogram: _b, ...b } = whole.get(n)!;
      expect(a, n).toEqual(b);
    }
  });

  it('a one-shot async iterable is read once and replayed for the later groups', async () => {
    const { g } = build();
    let reads = 0;
    async function* three() {
      for (const s of [1, 2, 3]) {
        reads++;
        yield sample(s);
      }
    }
    const stats = await calibrate(g, three(), { kind: 'minmax', derive: false, exposeBudgetMB: 600 / 2 ** 20 });
    expect(reads).toBe(3);
    expect(stats.get('x')!.count).toBe(3 * 72);
  });
});

describe('exposeGroups', () => {
  it('keeps graph order, fills each group up to the budget from the end, gives an oversized tensor its own group', () => {
    const b = new IrBuilder(1);
    const x = b.input('x', [1, 4, 4, 1]); // 64 bytes
    const big = b.unary('RELU', b.conv2d(x, { out: 16, k: 1, name: 'wide' }), { name: 'r1' }); // 1 KiB each
    const small = b.conv2d(big, { out: 1, k: 1, name: 'narrow' }); // 64 bytes
    b.output(small);
    const g = b.graph;
    const names = activationTensors(g);
    const kb = 1 / 1024; // MiB
    expect(exposeGroups(g, names, 100)).toEqual([names]);
    const groups = exposeGroups(g, names, 0.5 * kb);
    expect(groups.flat()).toEqual(names);
    for (const grp of groups) if (grp.length > 1) expect(grp.reduce((s, n) => s + exposedBytes(g, n), 0)).toBeLessThanOrEqual(512);
    // 2176 bytes under a 2150-byte budget: the last group is the full one, the first holds only x
    expect(exposeGroups(g, names, 2150 / 2 ** 20)).toEqual([names.slice(0, 1), names.slice(1)]);
    expect(() => exposeGroups(g, names, 0)).toThrow(/budget/);
  });
});

describe('exposedPrefix', () => {
  it('returns only the named tensors and runs only what they depend on', async () => {
    const { g, conv } = build();
    const p = exposedPrefix(g, [conv]);
    expect(p.nodes.map((n) => n.op)).toEqual(['CONV_2D']);
    expect(p.outputs).toHaveLength(1);
    const full = await runAll(writeTflite(exposeTensors(g, [conv])), sample(4));
    const cut = await runAll(writeTflite(p), sample(4));
    expect([...(cut[0]!.data as Float32Array)]).toEqual([...(full[1]!.data as Float32Array)]);
  });
});
