/**
 * A RELU alone after a conv (as in graphs read from .tflite files) is folded
 * into the conv's fused activation before int8, so the int8 range starts at 0;
 * keepFloat and fuseActivations:false leave the pair alone.
 */
import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../helpers/ir-builder.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { calibrate } from '../../src/quantize/calibrate.js';
import { quantizeInt8 } from '../../src/quantize/int8.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { writeTflite } from '../../src/tflite/index.js';
import type { HostTensor } from '../../src/runtime/types.js';
import { sqnrDb } from './sqnr.js';

function build() {
  const b = new IrBuilder(5);
  const x = b.input('x', [1, 8, 8, 3]);
  const c = b.conv2d(x, { out: 8, k: 3, name: 'conv' });
  const r = b.unary('RELU', c, { name: 'relu' });
  b.output(b.conv2d(r, { out: 4, k: 1, name: 'head' }));
  return b.graph;
}
const sample = (seed: number): HostTensor[] => [{ name: 'x', dtype: 'float32', shape: [1, 8, 8, 3], data: uniformFloat32(192, seed, -1, 1) }];

describe('int8: RELU folded into its producer', async () => {
  const g = build();
  const stats = await calibrate(g, [1, 2, 3, 4].map(sample), { kind: 'minmax' });

  it('the conv writes the RELU output with activation RELU; its range starts at 0 (zero point −128)', async () => {
    const r = quantizeInt8(g, stats);
    const conv = r.graph.nodes.find((n) => n.name === 'conv')!;
    expect(r.graph.nodes.some((n) => n.name === 'relu')).toBe(false);
    expect(conv.attrs.activation).toBe('RELU');
    const reluOut = g.nodes.find((n) => n.name === 'relu')!.outputs[0]!;
    expect(conv.outputs).toEqual([reluOut]);
    expect(r.graph.tensor(reluOut).quant!.zeroPoint).toEqual([-128]);
    expect(g.nodes.some((n) => n.name === 'relu')).toBe(true); // input graph untouched
    const f = await liteRtRuntime.load(writeTflite(g));
    const m = await liteRtRuntime.load(writeTflite(r.graph));
    const a = (await f.run(sample(40)))[0]!.data as Float32Array;
    const b = (await m.run(sample(40)))[0]!.data as Float32Array;
    expect(sqnrDb(a, b)).toBeGreaterThan(30);
  });

  it('not with fuseActivations: false, nor when either node is kept float', () => {
    expect(quantizeInt8(g, stats, { fuseActivations: false }).graph.nodes.some((n) => n.name === 'relu')).toBe(true);
    const kept = quantizeInt8(g, stats, { keepFloat: new Set(['relu']) });
    expect(kept.graph.nodes.find((n) => n.name === 'conv')!.attrs.activation ?? 'NONE').toBe('NONE');
    expect(kept.keptFloat.map((k) => k.node)).toEqual(['relu']);
  });
});
