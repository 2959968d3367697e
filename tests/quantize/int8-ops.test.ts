/**
 * int8 on a hand-built graph with the ops the sample CNN lacks: MAX_POOL_2D,
 * TANH, HARD_SWISH, MUL by a constant, RESHAPE, FULLY_CONNECTED (per-channel),
 * SOFTMAX. Fixed and shared params on the file read back; LiteRT runs it.
 */
import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../helpers/ir-builder.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { calibrate } from '../../src/quantize/calibrate.js';
import { quantizeInt8 } from '../../src/quantize/int8.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { readTflite, writeTflite } from '../../src/tflite/index.js';
import type { HostTensor } from '../../src/runtime/types.js';
import { sqnrDb } from './sqnr.js';

function build() {
  const b = new IrBuilder(7);
  const x = b.input('x', [1, 8, 8, 4]);
  const c = b.conv2d(x, { out: 8, k: 3, activation: 'RELU' });
  const p = b.op('MAX_POOL_2D', [c], [1, 4, 4, 8], { padding: 'VALID', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' }, { name: 'pool' });
  const t = b.unary('TANH', p, { name: 'tanh' });
  const hs = b.op('HARD_SWISH', [t], [1, 4, 4, 8], {}, { name: 'hswish' });
  const m = b.binary('MUL', hs, b.const('two', [1], [2]), {}, { name: 'mul' });
  const r = b.reshape(m, [1, 128], { name: 'flatten' });
  const f = b.fc(r, 10, { name: 'fc' });
  const s = b.op('SOFTMAX', [f], [1, 10], { beta: 1 }, { name: 'softmax' });
  b.output(s);
  return b.graph;
}

const sample = (seed: number): HostTensor[] => [{ name: 'x', dtype: 'float32', shape: [1, 8, 8, 4], data: uniformFloat32(256, seed, -1, 1) }];

describe('int8: pooling, TANH, HARD_SWISH, MUL, RESHAPE, FULLY_CONNECTED, SOFTMAX', async () => {
  const g = build();
  const stats = await calibrate(g, [1, 2, 3, 4, 5, 6, 7, 8].map(sample), { kind: 'minmax' });
  const r = quantizeInt8(g, stats);
  const bytes = writeTflite(r.graph);
  const back = readTflite(bytes);
  const node = (name: string) => back.nodes.find((n) => n.name === name)!;
  const q = (name: string) => back.tensor(name).quant!;

  it('quantizes every node', () => {
    expect(r.keptFloat).toEqual([]);
  });

  it('fixed outputs: SOFTMAX (1/256, −128), TANH (1/128, 0)', () => {
    expect(q(node('softmax').outputs[0]!)).toMatchObject({ scale: [1 / 256], zeroPoint: [-128] });
    expect(q(node('tanh').outputs[0]!)).toMatchObject({ scale: [1 / 128], zeroPoint: [0] });
  });

  it('MAX_POOL_2D and RESHAPE share input/output params', () => {
    for (const n of [node('pool'), node('flatten')]) {
      expect(q(n.inputs[0]!).scale).toEqual(q(n.outputs[0]!).scale);
      expect(q(n.inputs[0]!).zeroPoint).toEqual(q(n.outputs[0]!).zeroPoint);
    }
  });

  it('FULLY_CONNECTED: per-channel weights on axis 0 (one scale per output unit), int32 bias, version 4', () => {
    const fc = node('fc');
    const w = back.tensor(fc.inputs[1]!);
    expect(w.dtype).toBe('int8');
    expect(w.quant!.scale).toHaveLength(10);
    expect(w.quant!.axis ?? 0).toBe(0);
    expect(back.tensor(fc.inputs[2]!).dtype).toBe('int32');
    expect(fc.version).toBe(4);
    expect(node('softmax').version).toBe(2);
    expect(node('tanh').version).toBe(2);
    expect(node('pool').version).toBe(2);
    expect(node('hswish').version).toBe(1);
    expect(node('mul').version).toBe(2);
  });

  it('the MUL constant is an int8 operand with its own params', () => {
    const c = back.tensor(node('mul').inputs[1]!);
    expect(c.dtype).toBe('int8');
    expect(c.quant!.scale).toHaveLength(1);
  });

  it('runs in LiteRT: softmax probabilities within 0.03 of float, SQNR ≥ 25 dB', async () => {
    const f = await liteRtRuntime.load(writeTflite(g));
    const m = await liteRtRuntime.load(bytes);
    for (const seed of [50, 51, 52]) {
      const a = (await f.run(sample(seed)))[0]!.data as Float32Array;
      const b = (await m.run(sample(seed)))[0]!.data as Float32Array;
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(0.03);
      expect(sqnrDb(a, b)).toBeGreaterThan(25);
    }
    await f.dispose();
    await m.dispose();
  });
});
