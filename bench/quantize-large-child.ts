/**
 * Child process of the large-model quantization benchmark: one `quantizeModel`
 * in isolation so its peak RSS is its own. argv: <float.tflite> <int8|fp16> [calibDir].
 * int8 first times plain inference of the float model on two calibration-sized
 * inputs (same process, same runtime) for the calibration ÷ inference ratio.
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { uniformFloat32 } from '../src/core/random.js';
import { numElements } from '../src/ir/tensor.js';
import { quantizeModel } from '../src/quantize/pipeline.js';
import { readTflite } from '../src/tflite/reader.js';
import { liteRtRuntime } from '../src/runtime/litert.js';

const [file, mode, calib] = process.argv.slice(2) as [string, 'int8' | 'fp16', string | undefined];
const bytes = new Uint8Array(readFileSync(file));
let inferencePerSec: number | undefined;
if (mode === 'int8') {
  const g = readTflite(bytes, file);
  const m = await liteRtRuntime.load(bytes);
  const runs = 3;
  const inputs = g.inputs.map((name) => ({ name, dtype: 'float32' as const, shape: [...g.tensor(name).shape], data: uniformFloat32(numElements(g.tensor(name).shape), 3, 0, 1) }));
  await m.run(inputs); // warm-up
  const t = performance.now();
  for (let i = 0; i < runs; i++) await m.run(inputs);
  inferencePerSec = runs / ((performance.now() - t) / 1000);
  await m.dispose();
}
const t0 = performance.now();
const r = await quantizeModel({ file, bytes, mode, calib, evalSamples: 2 });
const ms = performance.now() - t0;
const out = r.report.outputs[0]!;
process.stdout.write(
  JSON.stringify({
    mode,
    ms,
    calibrateMs: r.timings.calibrateMs,
    quantizeMs: r.timings.quantizeMs,
    reportMs: r.timings.reportMs,
    calibSamples: r.report.calibSamples.length,
    calibSamplesPerSec: r.timings.calibSamplesPerSec,
    inferencePerSec,
    peakRss: process.resourceUsage().maxRSS * 1024,
    floatBytes: bytes.byteLength,
    quantizedBytes: r.bytes.byteLength,
    outputSqnrDb: out.sqnrDb,
    layers: r.report.layers.length,
    notes: r.notes,
  }) + '\n',
);
