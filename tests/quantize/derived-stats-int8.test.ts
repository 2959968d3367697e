/**
 * Derived statistics leave int8 quality as it was. Each model is calibrated
 * with derivations (the default) and with every activation observed
 * (`derive: false`); the statistics without this file's subject — the
 * element-wise maps and merged concatenations — are the derived ones with each
 * mapped or merged tensor (and what derives from it) taken from the observed
 * run. Google's selfie_segmentation maps its HARD_SWISH and LOGISTIC outputs,
 * the demo encoder–decoder merges its CONCATENATIONs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/ir/graph.js';
import { activationTensors, calibrate, exposedActivations, type CalibrationStats } from '../../src/quantize/calibrate.js';
import { derivedActivations } from '../../src/quantize/derived-stats.js';
import { quantizeInt8 } from '../../src/quantize/int8.js';
import { loadFloatModel } from '../../src/quantize/pipeline.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import type { HostTensor } from '../../src/runtime/types.js';
import { buildEncoderDecoderOnnx } from '../../src/samples/encoder-decoder.js';
import { readTflite, writeTflite } from '../../src/tflite/index.js';
import { selfiePath } from '../helpers/selfie.js';
import { CALIBRATION_PHOTOS, hasSamples, photoSamples, photoTensor } from './photos.js';
import { sqnrDb } from './sqnr.js';

const selfie = selfiePath();
if (!selfie) console.warn('selfie_segmentation.tflite not installed: its derived-statistics int8 test skipped');
if (!hasSamples) console.warn('../shared/samples photographs absent: derived-statistics int8 tests skipped');

const HELD_CROPS = [undefined, { left: 0.3, top: 0, side: 0.7 }, { left: 0, top: 0, side: 0.6 }, { left: 1, top: 1, side: 0.6 }, { left: 0.5, top: 0.5, side: 0.5 }, { left: 1, top: 0, side: 0.7 }, { left: 0.2, top: 0.8, side: 0.8 }, { left: 0.6, top: 0.3, side: 0.9 }];

/** Mean held-out SQNR (dB) of `g` quantized to int8 from `stats`. */
async function meanSqnr(g: Graph, stats: CalibrationStats, held: HostTensor[]): Promise<number> {
  const f = await liteRtRuntime.load(writeTflite(g));
  const m = await liteRtRuntime.load(writeTflite(quantizeInt8(g, stats).graph));
  try {
    let sum = 0;
    for (const x of held) sum += sqnrDb((await f.run([x]))[0]!.data as Float32Array, (await m.run([x]))[0]!.data as Float32Array);
    return sum / held.length;
  } finally {
    await f.dispose();
    await m.dispose();
  }
}

interface Compared {
  /** the mapped or merged tensors and their derived and observed percentile ranges, in bins of the coarser histogram */
  offsets: Array<{ name: string; lo: number; hi: number }>;
  sqnrWith: number;
  sqnrWithout: number;
}

/** `g` calibrated (percentile) on crops of the calibration photos with and without maps and merges. */
async function compare(g: Graph, derivedOps: string[]): Promise<Compared> {
  const size = g.tensor(g.inputs[0]!).shape[1]!;
  const named = (t: HostTensor): HostTensor => ({ ...t, name: g.inputs[0]! });
  const calib = (await photoSamples(CALIBRATION_PHOTOS, size)).map((s) => s.map(named));
  const held = await Promise.all(HELD_CROPS.map(async (c) => named(await photoTensor('astronaut.png', size, c))));
  // the derivations under test are in effect: those ops' outputs are not exposed
  const opOf = (n: string) => g.producerOf(n)?.op ?? 'input';
  const exposedOps = new Set<string>(exposedActivations(g).map(opOf));
  const present = new Set<string>(activationTensors(g).map(opOf));
  for (const op of derivedOps) expect([present.has(op), exposedOps.has(op)], op).toEqual([true, false]);

  const opts = { kind: 'percentile' as const };
  const derived = await calibrate(g, calib, opts);
  const observed = await calibrate(g, calib, { ...opts, derive: false });
  const mappedOrMerged: string[] = [];
  const viaNew = new Set<string>();
  for (const [name, d] of derivedActivations(g, activationTensors(g))) {
    if (d.map || d.from.length > 1) mappedOrMerged.push(name);
    if (d.map || d.from.length > 1 || d.from.some((f) => viaNew.has(f))) viaNew.add(name);
  }
  const without: CalibrationStats = new Map([...derived].map(([n, s]) => [n, viaNew.has(n) ? observed.get(n)! : s]));
  const offsets = mappedOrMerged.map((name) => {
    const a = derived.get(name)!;
    const b = observed.get(name)!;
    const bin = Math.max(a.histogram!.binWidth, b.histogram!.binWidth);
    return { name, lo: Math.abs(a.lo - b.lo) / bin, hi: Math.abs(a.hi - b.hi) / bin };
  });
  return { offsets, sqnrWith: await meanSqnr(g, derived, held), sqnrWithout: await meanSqnr(g, without, held) };
}

describe.skipIf(!hasSamples)('int8 from mapped and merged statistics vs observed ones', () => {
  it.skipIf(!selfie)('selfie_segmentation (HARD_SWISH, LOGISTIC mapped): every range within two bins of the observed one', async () => {
    const r = await compare(readTflite(new Uint8Array(readFileSync(selfie!)), selfie), ['HARD_SWISH', 'LOGISTIC']);
    expect(r.offsets).toHaveLength(22);
    for (const o of r.offsets) expect(Math.max(o.lo, o.hi), o.name).toBeLessThanOrEqual(2);
    // the mean held-out SQNR is not compared here: on this model a one-bin jitter of every range
    // moves it by ±0.3 dB (measured 19.93 dB with, 19.84 without; jittered 19.64–20.16)
    expect(Number.isFinite(r.sqnrWith) && Number.isFinite(r.sqnrWithout)).toBe(true);
  }, 300_000);

  it('demo encoder–decoder 256×256 (CONCATENATION merged, LOGISTIC mapped): ranges within two bins, mean held-out SQNR within 0.05 dB', async () => {
    const { graph } = await loadFloatModel(buildEncoderDecoderOnnx({ size: 256, width: 16, seed: 1 }), 'encoder-decoder.onnx');
    const r = await compare(graph, ['CONCATENATION', 'LOGISTIC']);
    expect(r.offsets).toHaveLength(3);
    for (const o of r.offsets) expect(Math.max(o.lo, o.hi), o.name).toBeLessThanOrEqual(2);
    expect(Math.abs(r.sqnrWith - r.sqnrWithout), `${r.sqnrWith} vs ${r.sqnrWithout} dB`).toBeLessThanOrEqual(0.05);
  }, 300_000);
});
