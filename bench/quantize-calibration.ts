/**
 * Calibration throughput against plain inference, both in LiteRT in this process:
 * the same N pre-decoded samples through (a) `calibrate` (the float model with every
 * activation exposed, each fed to a percentile observer, in a worker thread and in-thread),
 * (b) a plain load + run of the float model and (c) the exposed model run with no observer
 * (the ceiling any observer can reach: LiteRT.js writes every exposed activation out).
 * Prints samples/s of each and calibration ÷ inference (aim ≥ 0.8).
 * Models: the sample encoder–decoder (converted from ONNX) and Google's selfie_segmentation.
 *
 *   npx tsx bench/quantize-calibration.ts [samples]   (alone: JSON on stdout, 16 samples by default)
 */
import { existsSync, readFileSync } from 'node:fs';
import { uniformFloat32 } from '../src/core/random.js';
import { numElements } from '../src/ir/tensor.js';
import type { Graph } from '../src/ir/graph.js';
import { calibrate, observedActivations } from '../src/quantize/calibrate.js';
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

async function inferencePerSec(bytes: Uint8Array, data: HostTensor[][]): Promise<number> {
  const t = performance.now();
  const m = await liteRtRuntime.load(bytes);
  for (const s of data) await m.run(s);
  await m.dispose();
  return data.length / ((performance.now() - t) / 1000);
}

/** The model with every activation exposed, run on every sample, the outputs visited but not observed. */
async function exposedRunPerSec(g: Graph, data: HostTensor[][]): Promise<number> {
  const t = performance.now();
  const m = await liteRtRuntime.load(writeTflite(exposeTensors(g, observedActivations(g))));
  for (const s of data) await m.runVisit!(s, () => {});
  await m.dispose();
  return data.length / ((performance.now() - t) / 1000);
}

async function calibrationPerSec(g: Graph, data: HostTensor[][], worker: boolean): Promise<number> {
  const t = performance.now();
  await calibrate(g, data, { kind: 'percentile', worker });
  return data.length / ((performance.now() - t) / 1000);
}

async function one(name: string, g: Graph, bytes: Uint8Array, n: number) {
  const data = samples(g, n);
  await inferencePerSec(bytes, data.slice(0, 2)); // warm-up (wasm compile)
  await calibrationPerSec(g, data.slice(0, 2), false);
  // interleaved, median of 3, so drift on a shared machine hits all alike
  const inf: number[] = [];
  const cal: number[] = [];
  const calThread: number[] = [];
  const exposed: number[] = [];
  for (let r = 0; r < 3; r++) {
    inf.push(await inferencePerSec(bytes, data));
    exposed.push(await exposedRunPerSec(g, data));
    cal.push(await calibrationPerSec(g, data, true));
    calThread.push(await calibrationPerSec(g, data, false));
  }
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
  const result = {
    model: name,
    samples: n,
    inferencePerSec: +med(inf).toFixed(2),
    calibrationPerSec: +med(cal).toFixed(2),
    ratio: +(med(cal) / med(inf)).toFixed(3),
    inThreadPerSec: +med(calThread).toFixed(2),
    inThreadRatio: +(med(calThread) / med(inf)).toFixed(3),
    exposedRunPerSec: +med(exposed).toFixed(2),
    exposedRunRatio: +(med(exposed) / med(inf)).toFixed(3),
    aim: 0.8,
  };
  process.stderr.write(
    `calibration vs inference (${name}, ${n} samples): ${result.calibrationPerSec} (observers in a worker thread) / ${result.inThreadPerSec} (in-thread) vs ${result.inferencePerSec} samples/s → ×${result.ratio} / ×${result.inThreadRatio} (aim ≥ 0.8); the exposed model alone, unobserved: ×${result.exposedRunRatio}\n`,
  );
  return result;
}

export async function runQuantizeCalibrationBench(n = 16) {
  const ed = await loadFloatModel(buildEncoderDecoderOnnx({ size: 256, width: 16, seed: 1 }), 'encoder-decoder.onnx');
  const results = [await one('encoder-decoder-256', ed.graph, writeTflite(ed.graph), n)];
  if (existsSync(SELFIE)) {
    const bytes = new Uint8Array(readFileSync(SELFIE));
    const s = await loadFloatModel(bytes, SELFIE);
    results.push(await one('selfie_segmentation', s.graph, bytes, n));
  } else process.stderr.write(`calibration bench: ${SELFIE} not installed, skipped\n`);
  return { name: 'quantize-calibration-throughput', results };
}

if (process.argv[1] === import.meta.filename) console.log(JSON.stringify(await runQuantizeCalibrationBench(Number(process.argv[2] ?? 16)), null, 2));
