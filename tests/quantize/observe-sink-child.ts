/**
 * Run by observe-sink.test.ts through tsx (as bin/mai.js runs the CLI): calibrates a model
 * with observation in a worker thread and in this thread; prints whether the worker ran and
 * whether every statistic and histogram is identical.
 */
import { uniformFloat32 } from '../../src/core/random.js';
import { calibrate } from '../../src/quantize/calibrate.js';
import { WorkerSink } from '../../src/quantize/observe-sink.js';
import { loadFloatModel } from '../../src/quantize/pipeline.js';
import { buildEncoderDecoderOnnx } from '../../src/samples/encoder-decoder.js';

const { graph: g } = await loadFloatModel(buildEncoderDecoderOnnx({ size: 64, width: 8, seed: 3 }), 'e.onnx');
const shape = [...g.tensor(g.inputs[0]!).shape];
const data = Array.from({ length: 5 }, (_, k) => [{ name: g.inputs[0]!, dtype: 'float32' as const, shape, data: uniformFloat32(shape.reduce((a, b) => a * b, 1), 40 + k, 0, 1) }]);
const probe = await WorkerSink.start({ kind: 'mse' });
await probe?.close();
const inWorker = await calibrate(g, data, { kind: 'mse', worker: true, exposeBudgetMB: 0.05 });
const inThread = await calibrate(g, data, { kind: 'mse', worker: false, exposeBudgetMB: 0.05 });
const plain = (m: typeof inWorker) => [...m.values()].map(({ histogram, ...r }) => ({ ...r, bins: [...(histogram?.bins ?? [])], lo: histogram?.lo, hi: histogram?.hi }));
process.stdout.write(JSON.stringify({ workerStarted: !!probe, tensors: inWorker.size, identical: JSON.stringify(plain(inWorker)) === JSON.stringify(plain(inThread)) }) + '\n');
