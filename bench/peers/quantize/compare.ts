/**
 * mai's quantizer side by side with Google's ai-edge-quantizer and, for the Keras models, the TFLite
 * converter's post-training quantization, on the same float .tflite, the same calibration tensors and
 * the same held-out tensors:
 *
 *   npx tsx bench/peers/quantize/compare.ts [--large] [--only NAME-PART] [--out docs/quantize-comparison.md]
 *
 * Needs a Python with ai-edge-quantizer and ai-edge-litert (MAI_PEER_PYTHON, default
 * /work/venv-quant/bin/python) and one with TensorFlow 2.17 + Keras (MAI_PEER_TF_PYTHON, default
 * /work/venv-onnx-real-tf/bin/python; scripts/corpus/requirements-keras.txt). For each model: mai int8 and
 * fp16 (quantizeModel), and ai-edge-quantizer static int8 / dynamic / weight-only (aeq_quantize.py); for a
 * Keras model (keras_models.py: its float .tflite by TFLiteConverter.from_keras_model is what mai and
 * ai-edge-quantizer quantize) also the converter's full-integer int8 (float and int8 I/O) and fp16; every file is
 * run by Google's LiteRT interpreter (run_tflite.py) on the held-out tensors and compared with the float model: output SQNR,
 * the task metric (segmentation: IoU of the 0.5-masks vs the float masks; classifier:
 * top-1 agreement; and the SQNR of the logits, the last SOFTMAX's input), size, op count and GPU delegation
 * under mai's Kirin 9000 rule table.
 * Inputs are crops of the photographs in ../shared/samples (seeded positions, sizes, flips),
 * NHWC in [0, 1]; calibration and held-out crops are disjoint draws.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { seededRandom } from '../../../src/core/random.js';
import { gpuVerdict } from '../../../src/convert/gpu/verdict.js';
import type { Graph } from '../../../src/ir/graph.js';
import { loadFloatModel, quantizeModel } from '../../../src/quantize/pipeline.js';
import { foregroundAgreement, QUALITY_THRESHOLDS } from '../../../src/quantize/quality.js';
import { ErrorAccumulator } from '../../../src/quantize/report.js';
import { parseNpy } from '../../../src/quantize/calib-data/npy.js';
import { foldConstantDequantize } from '../../../src/quantize/fold-dequantize.js';
import { buildEncoderDecoderOnnx } from '../../../src/samples/encoder-decoder.js';
import { buildMobileNetOnnx } from '../../../src/samples/mobilenet.js';
import { buildSegmentationNetOnnx } from '../../../src/samples/segmentation-net.js';
import { readTflite } from '../../../src/tflite/reader.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { npyF32 } from '../../../tests/quantize/npy-writer.js';

const ROOT = join(import.meta.dirname, '../../..');
const PHOTOS = join(ROOT, '../shared/samples');
const PYTHON = process.env.MAI_PEER_PYTHON ?? '/work/venv-quant/bin/python';
const TF_PYTHON = process.env.MAI_PEER_TF_PYTHON ?? '/work/venv-onnx-real-tf/bin/python';
const SELFIE = join(ROOT, 'node_modules/@mediapipe/selfie_segmentation/selfie_segmentation.tflite');

type Task = 'segmentation' | 'classification';
interface ModelCase {
  name: string;
  task: Task;
  /** the float .tflite (`dir`: the case's scratch folder) */
  float(dir: string): Promise<Uint8Array>;
  /** a model of keras_models.py: the TFLite converter's PTQ rows too */
  keras?: string;
  calib: number;
  held: number;
  /** real-size: the default observer only */
  large?: boolean;
}

const args = process.argv.slice(2);
const outDoc = args.includes('--out') ? args[args.indexOf('--out') + 1]! : join(ROOT, 'docs/quantize-comparison.md');
/** Runs keras_models.py with the TensorFlow Python; its last stdout line is JSON. */
function kerasModels(...argv: string[]): Record<string, { file?: string; seconds?: number; error?: string }> {
  const out = execFileSync(TF_PYTHON, [join(import.meta.dirname, 'keras_models.py'), ...argv], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/**
 * Held-out crops of a classifier: a random-weight 1000-way softmax's output SQNR on 8 crops turns on
 * each crop's top few logits (on the Keras MobileNetV2 a range change of 2·10⁻⁶ of its span moved it
 * 0.75 dB), so classifiers are compared on 256 crops (the first 8 are the 8 the table used before).
 */
const CLASSIFIER_HELD = 256;

/**
 * Held-out crops of a segmentation model: on 8 crops selfie_segmentation's int8 output SQNR moved by up
 * to ±2.6 dB per crop when every range moved by at most one histogram bin, so 64 (the first 8 as before).
 */
const SEGMENTATION_HELD = 64;

const kerasCase = (name: string, keras: string, task: Task): ModelCase => ({
  name,
  task,
  calib: 32,
  held: task === 'classification' ? CLASSIFIER_HELD : SEGMENTATION_HELD,
  keras,
  float: async (dir) => new Uint8Array(readFileSync(kerasModels('float', keras, dir).file as string)),
});

let CASES: ModelCase[] = [
  { name: 'demo encoder–decoder 256×256 (mai demo)', task: 'segmentation', calib: 32, held: SEGMENTATION_HELD, float: async () => (await loadFloatModel(buildEncoderDecoderOnnx({ size: 256, width: 16, seed: 1 }), 'encoder-decoder.onnx')).bytes },
  // Google's file with its fp16 weights as float32 (ai-edge-quantizer takes float32 weights), read and written
  // back by mai so both quantizers get a serving_default signature
  { name: 'MediaPipe selfie_segmentation 256×256 (Google)', task: 'segmentation', calib: 32, held: SEGMENTATION_HELD, float: async () => {
    const g = readTflite(new Uint8Array(readFileSync(SELFIE)), SELFIE);
    foldConstantDequantize(g);
    return writeTflite(g);
  } },
  { name: 'MobileNet-v1 0.5 classifier 224×224', task: 'classification', calib: 32, held: CLASSIFIER_HELD, float: async () => (await loadFloatModel(buildMobileNetOnnx(), 'mobilenet.onnx')).bytes },
  kerasCase('Keras MobileNetV2 classifier 224×224 (keras.applications)', 'mobilenetv2', 'classification'),
  kerasCase('Keras U-Net 256×256 (built in keras_models.py)', 'unet', 'segmentation'),
];
if (args.includes('--large')) {
  CASES.push({ name: 'segmentation U-Net 1024×1024 (~130 convs, 170 MB)', task: 'segmentation', calib: 16, held: 2, large: true, float: async () => (await loadFloatModel(buildSegmentationNetOnnx(), 'segmentation.onnx')).bytes });
}

if (args.includes('--only')) {
  const part = (args[args.indexOf('--only') + 1] ?? '').toLowerCase();
  CASES = CASES.filter((c) => part !== '' && c.name.toLowerCase().includes(part));
  if (CASES.length === 0) {
    process.stderr.write(`--only ${part || '(missing)'}: no model case has that in its name\n`);
    process.exit(2);
  }
}

const PHOTO_FILES = ['astronaut.png', 'chelsea.png', 'coffee.png', 'hubble_deep_field.jpg'];

/** `count` seeded crops (side 35–100 % of the short edge, random position, mirrored half the time) as [1,S,S,3] in [0, 1]. */
async function crops(shape: number[], count: number, seed: number): Promise<Float32Array[]> {
  const [, h, w] = shape as [number, number, number, number];
  const rand = seededRandom(seed);
  const out: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    const file = join(PHOTOS, PHOTO_FILES[i % PHOTO_FILES.length]!);
    const m = await sharp(file).metadata();
    const side = Math.floor(Math.min(m.width!, m.height!) * (0.35 + 0.65 * rand()));
    let img = sharp(file)
      .extract({ left: Math.floor((m.width! - side) * rand()), top: Math.floor((m.height! - side) * rand()), width: side, height: side })
      .removeAlpha()
      .resize(w, h, { fit: 'fill' });
    if (rand() < 0.5) img = img.flop();
    const raw = await img.raw().toBuffer();
    out.push(Float32Array.from(raw, (v) => v / 255));
  }
  return out;
}

interface Row {
  variant: string;
  bytes?: number;
  ops?: number;
  gpu?: string;
  sqnrDb?: number;
  /** classifier: SQNR of the logits (the last SOFTMAX's input) */
  logitsSqnrDb?: number;
  task?: number;
  error?: string;
  seconds?: number;
}

/** The .npy tensors of `dir` in name order. */
function readNpyDir(dir: string): Float32Array[] {
  return readdirSync(dir)
    .sort()
    .map((f) => parseNpy(new Uint8Array(readFileSync(join(dir, f))), f).data as Float32Array);
}

/**
 * First output of `bytes` on every held-out input, run by Google's LiteRT interpreter (run_tflite.py);
 * for a classifier also its logits (the last SOFTMAX's input).
 */
async function runAll(bytes: Uint8Array, heldDir: string, work: string, task: Task): Promise<{ outputs: Float32Array[]; logits?: Float32Array[] }> {
  const model = join(work, 'model.tflite');
  const out = join(work, 'out');
  const logits = join(work, 'logits');
  for (const d of [out, logits]) {
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d);
  }
  writeFileSync(model, bytes);
  const argv = [join(import.meta.dirname, 'run_tflite.py'), model, heldDir, out, ...(task === 'classification' ? [logits] : [])];
  execFileSync(PYTHON, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { outputs: readNpyDir(out), ...(task === 'classification' ? { logits: readNpyDir(logits) } : {}) };
}

/** Pooled SQNR (dB) of `cand` against `ref`, sample by sample. */
function pooledSqnr(ref: Float32Array[], cand: Float32Array[]): number {
  const acc = new ErrorAccumulator();
  ref.forEach((r, i) => acc.add(r, cand[i]!));
  return acc.sqnrDb;
}

const argmax = (a: Float32Array) => a.reduce((best, v, i) => (v > a[best]! ? i : best), 0);

/** Every sample's output end to end (pooled metrics over the held-out set). */
function joined(xs: Float32Array[]): Float32Array {
  const out = new Float32Array(xs.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of xs) {
    out.set(x, at);
    at += x.length;
  }
  return out;
}

function taskMetric(task: Task, ref: Float32Array[], cand: Float32Array[]): number {
  if (task === 'classification') return ref.filter((r, i) => argmax(r) === argmax(cand[i]!)).length / ref.length;
  // IoU of the 0.5-masks pooled over every held-out crop (a per-crop mean scores a crop with both masks
  // empty as 1 and one with a single stray pixel as 0, so a near-empty mask turns it into a coin toss)
  return foregroundAgreement(joined(ref), joined(cand))?.iou ?? NaN;
}

/** The float model's foreground (≥ 0.5) share of the held-out pixels, for a segmentation model. */
function floatForeground(task: Task, ref: Float32Array[]): number | undefined {
  return task === 'segmentation' ? foregroundAgreement(joined(ref), joined(ref))?.fraction : undefined;
}

function describe(bytes: Uint8Array, file: string): { ops: number; gpu: string } {
  const g: Graph = readTflite(bytes, file);
  const v = gpuVerdict(g, { target: 'kirin9000' });
  return { ops: g.nodes.length, gpu: v.fullyDelegated ? 'full' : `${v.delegatedOps}/${v.ops.length} ops` };
}

interface CaseResult {
  c: ModelCase;
  rows: Row[];
  floatBytes: number;
  /** segmentation: the float model's foreground share of the held-out pixels */
  foreground?: number;
}

async function compareOne(c: ModelCase, dir: string): Promise<CaseResult> {
  const floatBytes = await c.float(dir);
  const floatFile = join(dir, 'float.tflite');
  writeFileSync(floatFile, floatBytes);
  const g = readTflite(floatBytes, floatFile);
  const input = g.inputs[0]!;
  const shape = [...g.tensor(input).shape];
  const calibDir = join(dir, 'calib');
  mkdirSync(calibDir);
  const calib = await crops(shape, c.calib, 11);
  calib.forEach((d, i) => writeFileSync(join(calibDir, `c${String(i).padStart(3, '0')}.npy`), npyF32(shape, d)));
  const heldDir = join(dir, 'held');
  mkdirSync(heldDir);
  (await crops(shape, c.held, 977)).forEach((d, i) => writeFileSync(join(heldDir, `h${String(i).padStart(3, '0')}.npy`), npyF32(shape, d)));
  const work = join(dir, 'run');
  mkdirSync(work);
  const { outputs: ref, logits: refLogits } = await runAll(floatBytes, heldDir, work, c.task);
  const rows: Row[] = [];
  const measure = async (variant: string, bytes: Uint8Array, seconds?: number) => {
    try {
      const { outputs: out, logits } = await runAll(bytes, heldDir, work, c.task);
      rows.push({
        variant,
        bytes: bytes.byteLength,
        ...describe(bytes, variant),
        sqnrDb: pooledSqnr(ref, out),
        ...(refLogits && logits ? { logitsSqnrDb: pooledSqnr(refLogits, logits) } : {}),
        task: taskMetric(c.task, ref, out),
        ...(seconds !== undefined ? { seconds } : {}),
      });
    } catch (e) {
      rows.push({ variant, bytes: bytes.byteLength, error: (e as Error).message.slice(0, 200) });
    }
  };
  await measure('float', floatBytes);
  // mai int8 with its default observer (percentile 99.99) and, to see what the observer costs or buys, min-max
  // (what ai-edge-quantizer's static recipe uses) and MSE; then fp16
  // (ai-edge-quantizer's static int8 has int8 model I/O: 'int8 I/O' is the like-for-like size and op count)
  type Opts = Parameters<typeof quantizeModel>[0];
  const variants: Array<[string, Partial<Opts>, 'int8' | 'fp16']> = [
    ['mai int8', {}, 'int8'],
    ['mai int8 (int8 I/O)', { io: 'int8' }, 'int8'],
    ['mai int8 (min-max observer)', { observer: { kind: 'minmax' } }, 'int8'],
    ['mai int8 (MSE observer)', { observer: { kind: 'mse' } }, 'int8'],
    ['mai fp16', {}, 'fp16'],
  ];
  for (const [label, extra, mode] of c.large ? variants.filter((v) => Object.keys(v[1]).length === 0) : variants) {
    const t = performance.now();
    let r: Awaited<ReturnType<typeof quantizeModel>>;
    try {
      r = await quantizeModel({ file: floatFile, bytes: floatBytes, mode, ...(mode === 'int8' ? { calib: calibDir, evalSamples: 0, ...extra } : {}) });
    } catch (e) {
      // a failure is a row of the table, as ai-edge-quantizer's are
      rows.push({ variant: label, error: (e as Error).message.slice(0, 200) });
      continue;
    }
    await measure(label, r.bytes, (performance.now() - t) / 1000);
  }
  const py = execFileSync(PYTHON, [join(import.meta.dirname, 'aeq_quantize.py'), floatFile, calibDir, dir], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'pipe'] });
  const peers = JSON.parse(py.trim().split('\n').pop()!) as Record<string, { file?: string; seconds?: number; error?: string }>;
  // the TFLite converter quantizes the Keras model itself (not the .tflite), calibrated on the same .npy files
  if (c.keras) Object.assign(peers, kerasModels('ptq', c.keras, dir, calibDir));
  for (const [name, r] of Object.entries(peers)) {
    if (r.error || !r.file) rows.push({ variant: name, error: r.error ?? 'no file' });
    else await measure(name, new Uint8Array(readFileSync(r.file)), r.seconds);
  }
  const foreground = floatForeground(c.task, ref);
  return { c, rows, floatBytes: floatBytes.byteLength, ...(foreground !== undefined ? { foreground } : {}) };
}

const fmt = (v: number | undefined, d = 2) => (v === undefined ? '–' : Number.isFinite(v) ? v.toFixed(d) : v > 0 ? '∞' : String(v));

function markdown(results: CaseResult[]): string {
  const lines = [
    '# mai quantize vs Google\'s quantizers (ai-edge-quantizer, TFLite converter)',
    '',
    'Generated by `npx tsx bench/peers/quantize/compare.ts` (ai-edge-quantizer ' + aeqVersion() + ', TensorFlow ' + tfVersion() + '). Same float `.tflite`, same',
    'calibration tensors (crops of the photographs in `../shared/samples`, NHWC [0, 1]), same held-out crops. Every',
    'file runs in Google\'s LiteRT interpreter (ai-edge-litert, CPU; int8 I/O quantized / dequantized with its own parameters) and is compared with the float model on the held-out crops: output SQNR (dB, pooled),',
    'task metric (segmentation: IoU of the 0.5-masks against the float model\'s, pooled over the held-out crops; classifier: top-1 agreement),',
    'for a classifier also the SQNR of its logits (the last SOFTMAX\'s input, dequantized; a 1000-way softmax\'s output SQNR turns on each crop\'s top few logits, so classifiers get 256 held-out crops; segmentation models get 64, the 1024×1024 net 2),',
    'size, op count, and GPU delegation under mai\'s Kirin 9000 rule table (`full` = every op delegated).',
    'mai int8 uses its defaults (percentile 99.99 observer, per-channel weights, activations fused first).',
    'The Keras models are also quantized by the TFLite converter (`tflite-converter-*` rows: full-integer post-training int8',
    'with `optimizations=[DEFAULT]` and the same calibration crops as `representative_dataset`, float or int8 I/O; fp16 with',
    '`supported_types=[tf.float16]`); their float `.tflite` (`TFLiteConverter.from_keras_model`) is what mai and ai-edge-quantizer',
    'quantize. Their weights are seeded random (`weights=None`: the machines reach PyPI only, not Keras\'s weight downloads),',
    'with BatchNorm statistics set on seeded noise images (bench/peers/quantize/keras_models.py; see Findings).',
    '',
  ];
  for (const { c, rows, floatBytes, foreground } of results) {
    const fg =
      foreground === undefined
        ? ''
        : ` The float model's mask (≥ 0.5) covers ${(foreground * 100).toPrecision(2)} % of the held-out pixels` +
          (foreground < QUALITY_THRESHOLDS.minForegroundFraction ? ` (below ${QUALITY_THRESHOLDS.minForegroundFraction * 100} %: the IoU is decided by a few pixels).` : '.');
    lines.push(`## ${c.name}`, '', `${c.calib} calibration crops, ${c.held} held-out crops; float ${(floatBytes / 1024).toFixed(1)} KiB.${fg}`, '');
    const classifier = c.task === 'classification';
    lines.push(
      `| variant | size KiB | ops | GPU | SQNR dB |${classifier ? ' logits SQNR dB |' : ''} ${classifier ? 'top-1 agreement' : 'mask IoU vs float'} | time s |`,
      `|---|---:|---:|---|---:|${classifier ? '---:|' : ''}---:|---:|`,
    );
    for (const r of rows) {
      const logits = classifier ? ` ${r.error ? '–' : fmt(r.logitsSqnrDb)} |` : '';
      if (r.error) lines.push(`| ${r.variant} | ${r.bytes ? (r.bytes / 1024).toFixed(1) : '–'} | – | – | failed: ${r.error.replace(/\|/g, '/').replace(/\n/g, ' ')} |${logits} – | – |`);
      else lines.push(`| ${r.variant} | ${(r.bytes! / 1024).toFixed(1)} | ${r.ops} | ${r.gpu} | ${fmt(r.sqnrDb)} |${logits} ${fmt(r.task, 3)} | ${fmt(r.seconds, 1)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** A package's version in a Python environment, for the doc's header. */
function pyVersion(python: string, pkg: string): string {
  try {
    return execFileSync(python, ['-c', `import importlib.metadata as m; print(m.version("${pkg}"))`], { encoding: 'utf8' }).trim();
  } catch {
    return '(version unknown)';
  }
}
const aeqVersion = () => pyVersion(PYTHON, 'ai-edge-quantizer');
const tfVersion = () => pyVersion(TF_PYTHON, 'tensorflow');

const RESULT_MARK = 'compare-case-result ';
const caseArg = args.indexOf('--case');
if (caseArg >= 0) {
  // child: one model case, its rows as one marked JSON line on stdout
  const c = CASES[Number(args[caseArg + 1])]!;
  const dir = mkdtempSync(join(tmpdir(), 'mai-peer-quant-'));
  try {
    process.stderr.write(`${c.name} …\n`);
    const { rows, floatBytes, foreground } = await compareOne(c, dir);
    for (const row of rows) process.stderr.write(`  ${JSON.stringify(row)}\n`);
    // ±Infinity / NaN (the float row's SQNR) as strings: JSON has no such numbers
    const nonFinite = (_: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);
    process.stdout.write(RESULT_MARK + JSON.stringify({ rows, floatBytes, foreground }, nonFinite) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  // each case in a process of its own: LiteRT.js's wasm heap never shrinks, so a 1024×1024 model
  // after the others could fail to allocate its tensors
  const results: CaseResult[] = [];
  for (let i = 0; i < CASES.length; i++) {
    let out: string;
    try {
      out = execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, ...args, '--case', String(i)], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
    } catch (e) {
      // the case's process crashed (its stderr above says why): the table says so
      results.push({ c: CASES[i]!, rows: [{ variant: 'all', error: `its comparison process failed (exit status ${(e as { status?: number }).status ?? '?'})` }], floatBytes: 0 });
      continue;
    }
    const line = out.split('\n').find((l) => l.startsWith(RESULT_MARK));
    if (!line) throw new Error(`compare.ts --case ${i} printed no result`);
    const revive = (_: string, v: unknown) => (v === 'Infinity' || v === '-Infinity' || v === 'NaN' ? Number(v) : v);
    results.push({ c: CASES[i]!, ...(JSON.parse(line.slice(RESULT_MARK.length), revive) as Omit<CaseResult, 'c'>) });
  }
  // the analysis of the numbers (bench/peers/quantize/findings.md, written from a run of this script) follows the tables
  writeFileSync(outDoc, markdown(results) + '\n' + readFileSync(join(import.meta.dirname, 'findings.md'), 'utf8'));
  process.stderr.write(`wrote ${outDoc}\n`);
}
