import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { Output } from '../output.js';
import { collect, parseInputShapes, parseNonNegativeInt, parsePositiveInt } from '../options.js';
import { regionOption, unknownKernelOption, type MattingMetricOpts } from '../metric-options.js';
import { inputError, verdictError } from '../../core/errors.js';
import type { PreprocessFlags } from '../../quantize/calib-data/preprocess-config.js';

interface QuantizeOpts extends PreprocessFlags, MattingMetricOpts {
  output: string;
  mode: string;
  calib?: string;
  calibSamples?: number;
  evalSamples?: number;
  preprocess?: string;
  observer: string;
  percentile?: number;
  /** false with --no-calib-worker */
  calibWorker?: boolean;
  io: string;
  maxDrop?: string;
  outputIndex: number;
  report?: string;
  inputShape?: string[];
  layers: number;
  json?: boolean;
}

const MODES = ['int8', 'fp16', 'dynamic'] as const;
const OBSERVERS = ['minmax', 'percentile', 'entropy', 'mse'] as const;
const IOS = ['float', 'int8', 'uint8'] as const;

function oneOf<T extends string>(flag: string, allowed: readonly T[], v: string): T {
  if (!(allowed as readonly string[]).includes(v)) throw inputError('bad-option', `${flag} must be one of ${allowed.join(', ')}, got '${v}'`);
  return v as T;
}

function parsePercentile(v: string): number {
  const n = Number(v);
  if (!(n > 50 && n <= 100)) throw inputError('bad-option', `--percentile expects a number in (50, 100], got '${v}'`);
  return n;
}

const PHASE_LABEL = { calibrate: 'calibrate', sensitivity: 'sensitivity', search: 'budget search', report: 'report' } as const;

export function registerQuantize(program: Command, output: Output): void {
  program
    .command('quantize')
    .description('post-training quantization (int8 calibrated, fp16, dynamic range) with a per-layer error report and budget-driven mixed precision')
    .argument('<model>', 'float .tflite, or any model mai convert accepts (converted first)')
    .requiredOption('-o, --output <file>', 'where to write the quantized .tflite')
    .option('--mode <mode>', 'int8 | fp16 | dynamic', 'int8')
    .option('--precision <mode>', 'alias of --mode (DESIGN.md spelling)')
    .option('--calib <path>', 'calibration data: CelebAMat (img/), EBB! (original/), a folder of images, a folder of .npy, or one .npy with a batch axis')
    .option('--calib-samples <n>', 'calibration samples, first N in natural order (default 100)', parsePositiveInt('--calib-samples'))
    .option('--eval-samples <n>', 'held-out samples for the report, the last M (default 20 %, at most 16)', parseNonNegativeInt('--eval-samples'))
    .option('--preprocess <file.yaml>', 'preprocessing declared in YAML (resize, crop, channels, mean, std, range, layout, padValue)')
    .option('--resize <policy>', 'stretch | fit (keep aspect, pad) | cover (keep aspect, centre crop)')
    .option('--crop <x,y,w,h>', 'crop the source image (pixels) before resizing')
    .option('--bgr', 'feed BGR instead of RGB')
    .option('--mean <m>', 'normalise (x − mean) / std, x in [0,1]; one value or one per channel')
    .option('--std <s>', 'normalisation std')
    .option('--range <lo,hi>', 'map [0,1] pixels onto [lo,hi] (e.g. -1,1 or 0,255)')
    .option('--layout <l>', 'auto | nhwc | nchw (default: from the model input shape)')
    .option('--observer <kind>', 'activation range observer: minmax | percentile | entropy | mse', 'percentile')
    .option('--percentile <p>', 'percentile observer coverage (default 99.99)', parsePercentile)
    .option('--no-calib-worker', 'calibrate in this thread only: one core and one LiteRT (by default a worker thread runs every other sample where a second LiteRT fits; the statistics are the same)')
    .option('--io <type>', 'int8 model I/O: float (QUANTIZE/DEQUANTIZE inside, default) | int8 | uint8', 'float')
    .option('--max-drop <metric=value>', 'budget vs the float model: sqnr=25 (dB, ≥), cosine=0.999 (≥), rmse / max_abs / mean_abs (≤); or a task metric drop with ground truth in --calib (sad, mse, grad, conn, iou, psnr, ssim); keeps the most sensitive layers float until met')
    .addOption(regionOption('task budget, matting'))
    .addOption(unknownKernelOption('task budget, matting'))
    .option('--output-index <i>', 'task budget: which model output is the alpha / image', parseNonNegativeInt('--output-index'), 0)
    .option('--report <file.json>', 'write the full per-layer report as JSON')
    .option('--layers <n>', 'rows of the per-layer table on stdout', parseNonNegativeInt('--layers'), 15)
    .option('--input-shape <name=dims>', 'static shape for an ONNX input with symbolic dims (repeatable)', collect, [])
    .option('--json', 'machine-readable output')
    .action(async (model: string, opts: QuantizeOpts & { precision?: string }) => {
      const { checkNotSameFile, checkOutputPath, writeFileAtomic } = await import('../../core/fs-atomic.js');
      const { readInputFile } = await import('../../core/read-input.js');
      const { reportJson } = await import('../../validate/json.js');
      const { DEFAULT_PREPROCESS, loadPreprocessFile, preprocessFromFlags } = await import('../../quantize/calib-data/preprocess-config.js');
      const { parseMaxDrop } = await import('../../quantize/mixed-precision.js');
      const { quantizeModel } = await import('../../quantize/pipeline.js');
      const { formatMixedPrecision, formatReport } = await import('../../quantize/report-table.js');

      // every option and output path checked before any work
      const file = resolve(model);
      const outPath = resolve(opts.output);
      checkOutputPath(opts.output, '-o');
      checkNotSameFile(file, outPath, '-o');
      if (opts.report) {
        checkOutputPath(opts.report, '--report');
        checkNotSameFile(outPath, resolve(opts.report), '--report');
      }
      const mode = oneOf('--mode', MODES, opts.precision ?? opts.mode);
      const io = oneOf('--io', IOS, opts.io);
      if (io !== 'float' && mode !== 'int8') throw inputError('bad-option', `--io ${io} applies to --mode int8 only`);
      const observer = oneOf('--observer', OBSERVERS, opts.observer);
      const budget = opts.maxDrop !== undefined ? parseMaxDrop(opts.maxDrop) : undefined;
      if (budget && mode !== 'int8') throw inputError('bad-option', `--max-drop chooses which layers stay float in int8; it does not apply to --mode ${mode}`);
      const base = opts.preprocess ? await loadPreprocessFile(opts.preprocess) : DEFAULT_PREPROCESS;
      const preprocess = preprocessFromFlags(opts, base);
      const inputShapes = parseInputShapes(opts.inputShape);
      const { readModelInput } = await import('../../core/read-model.js');
      const bytes = await readModelInput(file);

      let bar: { start(total: number, v: number, p?: object): void; update(v: number, p?: object): void; stop(): void } | undefined;
      let phase: string | undefined;
      if (output.isTTY && !opts.json) {
        const cliProgress = (await import('cli-progress')).default;
        bar = new cliProgress.SingleBar(
          { format: '{phase} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
      }
      let result;
      try {
        result = await quantizeModel({
          file,
          bytes,
          mode,
          io,
          inputShapes,
          calib: opts.calib ? resolve(opts.calib) : undefined,
          preprocess,
          calibSamples: opts.calibSamples,
          evalSamples: opts.evalSamples,
          observer: { kind: observer, ...(opts.percentile !== undefined ? { percentile: opts.percentile } : {}) },
          ...(opts.calibWorker === false ? { calibWorker: false } : {}),
          maxDrop: budget,
          task: { region: opts.region, unknownKernel: opts.unknownKernel, outputIndex: opts.outputIndex },
          onProgress: (p, done, total) => {
            if (!bar) return;
            if (phase !== p) {
              if (phase) bar.stop();
              phase = p;
              bar.start(total, 0, { phase: PHASE_LABEL[p] });
            }
            bar.update(done, { phase: PHASE_LABEL[p] });
          },
        });
      } finally {
        bar?.stop();
      }
      const { report, mixed } = result;
      await writeFileAtomic(outPath, result.bytes);
      const mixedJson = mixed
        ? {
            budget: mixed.budget,
            met: mixed.met,
            int8Value: mixed.int8Value,
            value: mixed.value,
            keptFloat: mixed.keptFloat,
            sizeCostBytes: result.int8Bytes !== undefined ? result.bytes.byteLength - result.int8Bytes : 0,
            steps: mixed.steps,
            ...(result.taskMetric ? { taskMetric: result.taskMetric } : {}),
            sensitivity: mixed.sensitivity,
            ...(mixed.reason ? { reason: mixed.reason } : {}),
          }
        : undefined;
      const full = {
        model: file,
        ...(result.converted ? { convertedFrom: 'onnx' } : {}),
        output: outPath,
        ...(mode === 'int8' ? { io, observer: { kind: observer, ...(opts.percentile !== undefined ? { percentile: opts.percentile } : {}) } } : {}),
        ...(result.data ? { data: result.data } : {}),
        ...(result.timings.calibSamplesPerSec !== undefined ? { calibration: { samples: report.calibSamples.length, ms: Math.round(result.timings.calibrateMs!), samplesPerSec: result.timings.calibSamplesPerSec } } : {}),
        ...(result.notes.length ? { notes: result.notes } : {}),
        ...(io !== 'float' ? { note: `errors measured on the float-I/O variant of the same quantized model (LiteRT.js takes float32/int32/uint8 tensors only); the file written has ${io} I/O` } : {}),
        ...report,
        ...(mixedJson ? { mixedPrecision: mixedJson } : {}),
      };
      if (opts.report) await writeFileAtomic(resolve(opts.report), reportJson(full) + '\n');
      if (opts.json) output.out(reportJson({ ...full, ...(opts.report ? { report: resolve(opts.report) } : {}) }));
      else {
        output.out(`wrote ${outPath}${result.converted ? ` (converted from ONNX first)` : ''}`);
        if (result.data) output.out(`calibration: ${report.calibSamples.length} of ${result.data.total} samples from ${result.data.root} (${result.data.kind})${result.timings.calibSamplesPerSec ? `, ${result.timings.calibSamplesPerSec.toFixed(1)} samples/s` : ''}`);
        for (const n of result.notes) output.out(`note: ${n}`);
        output.out(formatReport(report, { limit: opts.layers }));
        if (mixed) output.out('\n' + formatMixedPrecision(mixed, result.int8Bytes !== undefined ? { int8Bytes: result.int8Bytes, chosenBytes: result.bytes.byteLength } : undefined));
        const tm = result.taskMetric;
        if (tm) output.out(`  ${tm.task} ${tm.metric} on ${report.evalSamples.length} sample(s) with ground truth: float ${tm.float.toPrecision(4)}, quantized ${tm.quantized.toPrecision(4)} (drop ${tm.drop.toPrecision(3)})`);
        if (opts.report) output.out(`report: ${resolve(opts.report)}`);
      }
      if (mixed && !mixed.met) {
        throw verdictError('budget-failed', `--max-drop ${opts.maxDrop}: ${mixed.reason ?? 'budget not met'}; wrote the plain int8 model to ${outPath}`, { reported: true });
      }
    });
}
