/**
 * Run by calib-lanes.test.ts through tsx (as the CLI's sources run): calibrates a model with every
 * other sample in the calibration worker (alone, then two calibrations at once sharing it) and all
 * in this thread; prints whether the worker ran and whether every statistic and histogram is identical.
 */
import { uniformFloat32 } from '../../src/core/random.js';
import { calibrate } from '../../src/quantize/calibrate.js';
import { stopCalibrationWorker, WorkerLane } from '../../src/quantize/calib-lanes.js';
import { loadFloatModel } from '../../src/quantize/pipeline.js';
import { buildEncoderDecoderOnnx } from '../../src/samples/encoder-decoder.js';

const { graph: g } = await loadFloatModel(buildEncoderDecoderOnnx({ size: 64, width: 8, seed: 3 }), 'e.onnx');
const shape = [...g.tensor(g.inputs[0]!).shape];
const data = Array.from({ length: 5 }, (_, k) => [{ name: g.inputs[0]!, dtype: 'float32' as const, shape, data: uniformFloat32(shape.reduce((a, b) => a * b, 1), 40 + k, 0, 1) }]);
const probe = await WorkerLane.start({ kind: 'mse' });
probe?.close();
const inWorker = await calibrate(g, data, { kind: 'mse', worker: true, exposeBudgetMB: 0.05 });
const inThread = await calibrate(g, data, { kind: 'mse', worker: false, exposeBudgetMB: 0.05 });
const other = data.map(([t]) => [{ ...t!, data: t!.data.map((v) => 1 - v) }]);
const [both, otherInWorker] = await Promise.all([calibrate(g, data, { kind: 'mse', worker: true }), calibrate(g, other, { kind: 'mse', worker: true, exposeBudgetMB: 0.05 })]);
const otherInThread = await calibrate(g, other, { kind: 'mse', worker: false });
// the worker dies mid-calibration: a typed error, no hang; the next calibration starts a new worker
let stopped: unknown;
await calibrate(g, data, { kind: 'mse', worker: true, onProgress: (done) => void (done === 2 && stopCalibrationWorker()) }).catch((e: unknown) => (stopped = e));
// the worker dies as the last sample is handed over: the statistics or a typed error, never a hang
async function settled(p: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise((r) => (timer = setTimeout(() => r('hang'), 10_000)));
  try {
    return await Promise.race([p.then(() => 'resolved', (e: { code?: string }) => e.code), hang]);
  } finally {
    clearTimeout(timer);
  }
}
const lastStop = await settled(calibrate(g, data, { kind: 'mse', worker: true, onProgress: (done) => void (done === data.length && stopCalibrationWorker()) }));
const afterStop = await calibrate(g, data, { kind: 'mse', worker: true, exposeBudgetMB: 0.05 });
// a sample LiteRT refuses (the wrong size) is the same typed error in the worker (sample 1) as in this thread
const bad = [data[0]!, [{ ...data[1]![0]!, shape: [1, 8, 8, 3], data: new Float32Array(192) }]];
const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code?: string; exit?: number }) => `${e.code} (exit ${e.exit})`);
const badInWorker = await codeOf(calibrate(g, bad, { kind: 'mse', worker: true }));
const badInThread = await codeOf(calibrate(g, bad, { kind: 'mse', worker: false }));
const plain = (m: typeof inWorker) => [...m.values()].map(({ histogram, ...r }) => ({ ...r, bins: [...(histogram?.bins ?? [])], lo: histogram?.lo, hi: histogram?.hi }));
process.stdout.write(JSON.stringify({ badInWorker, badInThread, workerStarted: !!probe, tensors: inWorker.size, identical: JSON.stringify(plain(inWorker)) === JSON.stringify(plain(inThread)), stoppedCode: (stopped as { code?: string } | undefined)?.code, lastStop, restartedIdentical: JSON.stringify(plain(afterStop)) === JSON.stringify(plain(inThread)), concurrentIdentical: JSON.stringify(plain(both)) === JSON.stringify(plain(inThread)) && JSON.stringify(plain(otherInWorker)) === JSON.stringify(plain(otherInThread)) && JSON.stringify(plain(otherInThread)) !== JSON.stringify(plain(inThread)) }) + '\n');
