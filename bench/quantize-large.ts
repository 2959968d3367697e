/**
 * Quantization of a real-size model: the 1024×1024 segmentation net
 * (src/samples/segmentation-net.ts, ~130 convolutions, ~170 MB float32),
 * converted from ONNX, then `quantizeModel` int8 (calibrated on crops of the
 * sample photographs) and fp16, each in its own child process. Prints wall time,
 * peak RSS (aim ≤ 4 GiB), the output SQNR and, for int8, calibration samples/s ÷
 * plain inference samples/s of the same model in the same process (aim ≥ 0.8).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadFloatModel } from '../src/quantize/pipeline.js';
import { buildSegmentationNetOnnx } from '../src/samples/segmentation-net.js';

const PHOTOS = join(import.meta.dirname, '../../shared/samples');
const CROPS: Array<[number, number, number]> = [
  [0, 0, 1],
  [0, 0, 0.6],
  [1, 1, 0.6],
  [0.5, 0.5, 0.5],
  [1, 0, 0.7],
];

interface ChildResult {
  mode: string;
  ms: number;
  calibrateMs?: number;
  quantizeMs: number;
  reportMs: number;
  calibSamples: number;
  calibSamplesPerSec?: number;
  inferencePerSec?: number;
  peakRss: number;
  floatBytes: number;
  quantizedBytes: number;
  outputSqnrDb: number;
  layers: number;
  notes: string[];
}

/** Crops of every photo in ../shared/samples as PNGs in `dir` (calibration images). */
async function writeCrops(dir: string): Promise<number> {
  mkdirSync(dir);
  let k = 0;
  for (const p of ['astronaut.png', 'chelsea.png', 'coffee.png', 'hubble_deep_field.jpg']) {
    const src = join(PHOTOS, p);
    if (!existsSync(src)) continue;
    const m = await sharp(src).metadata();
    for (const [l, t, s] of CROPS) {
      const side = Math.floor(Math.min(m.width!, m.height!) * s);
      await sharp(src)
        .extract({ left: Math.floor((m.width! - side) * l), top: Math.floor((m.height! - side) * t), width: side, height: side })
        .removeAlpha()
        .png()
        .toFile(join(dir, `${String(k++).padStart(2, '0')}.png`));
    }
  }
  return k;
}

function child(args: string[]): ChildResult {
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const out = execFileSync(process.execPath, [tsx, join(import.meta.dirname, 'quantize-large-child.ts'), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

export async function runQuantizeLargeBench(size = 1024) {
  const dir = mkdtempSync(join(tmpdir(), 'mai-bench-quant-'));
  try {
    const file = join(dir, `segmentation-${size}.tflite`);
    const float = await loadFloatModel(buildSegmentationNetOnnx({ size }), 'segmentation.onnx');
    writeFileSync(file, float.bytes);
    const convs = float.graph.nodes.filter((n) => n.op === 'CONV_2D' || n.op === 'DEPTHWISE_CONV_2D').length;
    const calib = join(dir, 'calib');
    const images = await writeCrops(calib);
    if (images === 0) throw new Error(`quantize-large bench: no photographs in ${PHOTOS}`);
    const fp16 = child([file, 'fp16']);
    const int8 = child([file, 'int8', calib]);
    const mb = (b: number) => +(b / 2 ** 20).toFixed(1);
    const ratio = int8.calibSamplesPerSec! / int8.inferencePerSec!;
    const result = {
      name: 'quantize-large-model',
      model: `segmentation ${size}×${size}, ${convs} convolutions`,
      floatMB: mb(int8.floatBytes),
      fp16: { seconds: +(fp16.ms / 1000).toFixed(1), quantizeSeconds: +(fp16.quantizeMs / 1000).toFixed(1), reportSeconds: +(fp16.reportMs / 1000).toFixed(1), peakRssMB: mb(fp16.peakRss), outputSqnrDb: +fp16.outputSqnrDb.toFixed(1), MB: mb(fp16.quantizedBytes) },
      int8: {
        seconds: +(int8.ms / 1000).toFixed(1),
        calibrateSeconds: +(int8.calibrateMs! / 1000).toFixed(1),
        reportSeconds: +(int8.reportMs / 1000).toFixed(1),
        peakRssMB: mb(int8.peakRss),
        outputSqnrDb: +int8.outputSqnrDb.toFixed(1),
        MB: mb(int8.quantizedBytes),
        layersReported: int8.layers,
        calibSamples: int8.calibSamples,
        calibrationPerSec: +int8.calibSamplesPerSec!.toFixed(3),
        inferencePerSec: +int8.inferencePerSec!.toFixed(3),
        calibrationOverInference: +ratio.toFixed(3),
      },
      aim: { peakRssMB: 4096, calibrationOverInference: 0.8 },
    };
    process.stderr.write(
      `quantize ${result.model} (${result.floatMB} MB float): fp16 ${result.fp16.seconds} s (${result.fp16.quantizeSeconds} s quantizing, ${result.fp16.reportSeconds} s error report), peak RSS ${result.fp16.peakRssMB} MB, output SQNR ${result.fp16.outputSqnrDb} dB; ` +
        `int8 ${result.int8.seconds} s (${result.int8.calibrateSeconds} s calibrating, ${result.int8.reportSeconds} s error report), peak RSS ${result.int8.peakRssMB} MB (aim ≤ 4096), output SQNR ${result.int8.outputSqnrDb} dB; ` +
        `calibration ${result.int8.calibrationPerSec} vs inference ${result.int8.inferencePerSec} samples/s → ×${result.int8.calibrationOverInference} (aim ≥ 0.8)\n`,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) console.log(JSON.stringify(await runQuantizeLargeBench(Number(process.argv[2] ?? 1024)), null, 2));
