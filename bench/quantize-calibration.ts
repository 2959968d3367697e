/**
 * Calibration throughput against plain inference, both in LiteRT in this process:
 * the same N pre-decoded samples through (a) `calibrate` as `mai quantize` runs it (the float
 * model with the activations it observes exposed; every other sample run and observed by the
 * process's calibration worker with its own LiteRT while this thread runs the next one; the
 * worker is started by a warm-up, once per process), the same with every sample in this thread,
 * (b) a plain load + run of the float
 * model and (c) the exposed model run with no observer (what one LiteRT alone can reach:
 * LiteRT.js writes every exposed activation out). Each repetition measures all of them back to
 * back (the order alternating), so the ratios of one repetition share the machine's load; prints
 * samples/s and calibration ÷ inference (aim ≥ 0.8) as the median and range over the repetitions
 * (and the median calibration over the fastest inference of any repetition: LiteRT.js's speed on one
 * model moves with its heap layout, which each fresh load changes),
 * by wall time and by the process's CPU time (steadier on a shared machine), and how many
 * activations calibration exposes (the rest are graph inputs or derived) with their floats per sample.
 * Models: the sample encoder–decoder (converted from ONNX) and Google's selfie_segmentation.
 *
 *   npx tsx bench/quantize-calibration.ts [samples] [repetitions]   (alone: JSON on stdout; 100 samples, 5 repetitions by default:
 *   100 is what mai's report asks for, 32 the fewest it accepts without a warning; with fewer the
 *   fixed costs of a calibration — the exposed model's load and first run in both lanes, the
 *   worker's last sample, the statistics at the end — weigh more)
 */
import { existsSync, readFileSync } from 'node:fs';
import { uniformFloat32 } from '../src/core/random.js';
import { numElements } from '../src/ir/tensor.js';
import type { Graph } from '../src/ir/graph.js';
import { activationTensors, calibrate, exposedActivations } from '../src/quantize/calibrate.js';
import { exposeTensors } from '../src/quantize/expose.js';
import { loadFloatModel } from '../src/quantize/pipeline.js';
import { liteRtRuntime } from '../src/runtime/litert.js';
import type { HostTensor } from '../src/runtime/types.js';
import { buildEncoderDecoderOnnx } from '../src/samples/encoder-decoder.js';
import { writeTflite } from '../src/tflite/writer.js';

const SELFIE = 'node_modules/@mediapipe/selfie_segmentation/selfie_segmentation.tflite';

function samples(g: Graph, n: number): HostTensor[][] {
  return Array.from({ length: n }, (_, k) =>
    g.inputs.map((name, j) => {
      const t = g.tensor(name);
      return { name, dtype: 'float32' as const, shape: [...t.shape], data: uniformFloat32(numElements(t.shape), 10 + k * 7 + j, 0, 1) };
    }),
  );
}

/** Samples/s of `fn` over `n` samples, by wall time and by this process's CPU time (user + system, every thread). */
interface Speed {
  wall: number;
  cpu: number;
}

async function timed(n: number, fn: () => Promise<void>): Promise<Speed> {
  const t = performance.now();
  const c = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(c);
  return { wall: n / ((performance.now() - t) / 1000), cpu: n / ((used.user + used.system) / 1e6) };
}

function inferencePerSec(bytes: Uint8Array, data: HostTensor[][]): Promise<Speed> {
  return timed(data.length, async () => {
    const m = await liteRtRuntime.load(bytes);
    for (const s of data) await m.run(s);
    await m.dispose();
  });
}

/** The model with the activations calibration observes exposed, run on every sample, the outputs visited but not observed. */
function exposedRunPerSec(g: Graph, data: HostTensor[][]): Promise<Speed> {
  return timed(data.length, async () => {
    const m = await liteRtRuntime.load(writeTflite(exposeTensors(g, exposedActivations(g))));
    for (const s of data) await m.runVisit!(s, () => {});
    await m.dispose();
  });
}

function calibrationPerSec(g: Graph, data: HostTensor[][], worker?: boolean): Promise<Speed> {
  return timed(data.length, async () => {
    await calibrate(g, data, { kind: 'percentile', ...(worker === undefined ? {} : { worker }) });
  });
}

/** The activations calibration reads out of LiteRT (the rest are graph inputs or derived) and their floats per sample. */
function exposure(g: Graph) {
  const exposed = exposedActivations(g);
  return { activations: activationTensors(g).length, exposed: exposed.length, exposedFloatsPerSample: exposed.reduce((a, t) => a + numElements(g.tensor(t).shape), 0) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const spread = (xs: number[]) => [+Math.min(...xs).toFixed(3), +Math.max(...xs).toFixed(3)];

async function one(name: string, g: Graph, bytes: Uint8Array, n: number, reps: number) {
  const data = samples(g, n);
  await inferencePerSec(bytes, data.slice(0, 2)); // warm-up (wasm compile)
  await calibrationPerSec(g, data.slice(0, 2)); // starts the process's calibration worker
  const runs = {
    inference: () => inferencePerSec(bytes, data),
    calibration: () => calibrationPerSec(g, data),
    inThread: () => calibrationPerSec(g, data, false),
    exposed: () => exposedRunPerSec(g, data),
  };
  const perSec: Record<keyof typeof runs, Speed[]> = { inference: [], calibration: [], inThread: [], exposed: [] };
  for (let r = 0; r < reps; r++) {
    // alternating order, so a drift in the machine's load favours none of them
    const order = (Object.keys(runs) as Array<keyof typeof runs>)[r % 2 ? 'reverse' : 'slice']();
    for (const k of order) perSec[k].push(await runs[k]());
  }
  // per repetition: the ratio to that repetition's inference, by wall time and by CPU time
  const ratios = (k: keyof typeof runs, by: keyof Speed) => perSec[k].map((s, r) => s[by] / perSec.inference[r]![by]);
  const result = {
    model: name,
    samples: n,
    repetitions: reps,
    ...exposure(g),
    inferencePerSec: +median(perSec.inference.map((s) => s.wall)).toFixed(2),
    // LiteRT.js runs the same model at speeds that differ by up to 1.4× with where its heap places the
    // buffers (each repetition loads it afresh): the ratio to the fastest inference seen is the stricter one
    inferenceFastestPerSec: +Math.max(...perSec.inference.map((s) => s.wall)).toFixed(2),
    ratioToFastestInference: +(median(perSec.calibration.map((s) => s.wall)) / Math.max(...perSec.inference.map((s) => s.wall))).toFixed(3),
    calibrationPerSec: +median(perSec.calibration.map((s) => s.wall)).toFixed(2),
    ratio: +median(ratios('calibration', 'wall')).toFixed(3),
    ratioRange: spread(ratios('calibration', 'wall')),
    cpuRatio: +median(ratios('calibration', 'cpu')).toFixed(3),
    cpuRatioRange: spread(ratios('calibration', 'cpu')),
    inThreadPerSec: +median(perSec.inThread.map((s) => s.wall)).toFixed(2),
    inThreadRatio: +median(ratios('inThread', 'wall')).toFixed(3),
    exposedRunPerSec: +median(perSec.exposed.map((s) => s.wall)).toFixed(2),
    exposedRunRatio: +median(ratios('exposed', 'wall')).toFixed(3),
    exposedRunRatioRange: spread(ratios('exposed', 'wall')),
    exposedRunCpuRatio: +median(ratios('exposed', 'cpu')).toFixed(3),
    aim: 0.8,
  };
  process.stderr.write(
    `calibration vs inference (${name}, ${n} samples × ${reps}): ${result.calibrationPerSec} vs ${result.inferencePerSec} samples/s → ×${result.ratio} (${result.ratioRange.join('–')}; aim ≥ 0.8; to the fastest inference of the run ×${result.ratioToFastestInference}), by CPU time ×${result.cpuRatio} (${result.cpuRatioRange.join('–')}); every sample in this thread ×${result.inThreadRatio}; the exposed model alone, unobserved: ×${result.exposedRunRatio} (${result.exposedRunRatioRange.join('–')}), by CPU time ×${result.exposedRunCpuRatio}\n`,
  );
  return result;
}

export async function runQuantizeCalibrationBench(n = 100, reps = 5) {
  const ed = await loadFloatModel(buildEncoderDecoderOnnx({ size: 256, width: 16, seed: 1 }), 'encoder-decoder.onnx');
  const results = [await one('encoder-decoder-256', ed.graph, writeTflite(ed.graph), n, reps)];
  if (existsSync(SELFIE)) {
    const bytes = new Uint8Array(readFileSync(SELFIE));
    const s = await loadFloatModel(bytes, SELFIE);
    results.push(await one('selfie_segmentation', s.graph, bytes, n, reps));
  } else process.stderr.write(`calibration bench: ${SELFIE} not installed, skipped\n`);
  return { name: 'quantize-calibration-throughput', results };
}

if (process.argv[1] === import.meta.filename) console.log(JSON.stringify(await runQuantizeCalibrationBench(Number(process.argv[2] ?? 100), Number(process.argv[3] ?? 5)), null, 2));
