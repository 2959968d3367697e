/**
 * mai beside onnx2tf (pip `onnx2tf`, the converter mai's users use) on the real-export corpus:
 * converted or not (and why), TRANSPOSE left in the .tflite, ops on the kirin9000 GPU delegate by
 * mai's rule table, max error against onnxruntime (|error| / output range, same seeded inputs),
 * wall time and peak memory of each converter's CLI process (GNU time). Writes docs/peer-comparison.md.
 *
 *   npx tsx bench/peers/onnx2tf.ts [DIR=data/corpus] [--variants ts-op17,fp16] [--onnx2tf PATH] [--doc PATH]
 *                                  [--reuse-peer DIR/peers-peer-comparison.json]
 *
 * --reuse-peer takes onnx2tf's side of a model from an earlier run's JSON when the model file (sha256) and
 * the onnx2tf version are the same, so only mai is run again; the doc says which rows were reused.
 *
 * onnx2tf downloads 20 sample images from GitHub at start-up; offline, a seeded uniform [0,1) stand-in
 * of the same shape (calibration_image_sample_data_20x128x128x3_float32.npy) is put in its working folder.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gpuVerdict } from '../../src/convert/gpu/verdict.js';
import { nchwToNhwc } from '../../src/core/layout.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { writeFileAtomic } from '../../src/core/fs-atomic.js';
import { numElements } from '../../src/ir/tensor.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { onnxRuntime } from '../../src/runtime/onnxruntime.js';
import type { HostTensor } from '../../src/runtime/types.js';
import { readTflite } from '../../src/tflite/reader.js';
import { tensorAgreement } from '../../src/agreement/index.js';
import { KIRIN, readManifest, takeFlag, type ManifestEntry } from '../../scripts/corpus/run.js';

interface Side {
  converted: boolean;
  why?: string;
  seconds?: number;
  peakMiB?: number;
  transposes?: number;
  ops?: number;
  gpuOps?: number;
  bytes?: number;
  /** Worst output's max |error| / range against onnxruntime; undefined when it could not be compared. */
  maxRel?: number;
  compareNote?: string;
}

export interface PeerRow {
  id: string;
  family: string;
  /** sha256 of the model file, and the onnx2tf version that made its peer side: what a reuse must match. */
  sha256?: string;
  onnx2tfVersion?: string;
  /** The peer side was taken from an earlier run (--reuse-peer). */
  peerReused?: boolean;
  mai: Side;
  onnx2tf: Side;
}

/** An earlier run's rows (--reuse-peer); a missing or malformed file ends the run with exit 2, naming it. */
function readPeerRows(path: string): PeerRow[] {
  try {
    const rows: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (Array.isArray(rows)) return rows as PeerRow[];
    console.error(`--reuse-peer ${path}: not an array of peer rows (a peers-*.json this bench wrote)`);
  } catch (err) {
    console.error(`--reuse-peer ${path}: ${(err as Error).message}`);
  }
  process.exit(2);
}

/** An earlier run's peer side for this model, if the model file and onnx2tf version are unchanged. */
function reusablePeer(earlier: PeerRow[], id: string, sha256: string, version: string | undefined): Side | undefined {
  const r = earlier.find((x) => x.id === id && x.sha256 === sha256 && x.onnx2tfVersion === version);
  return r?.onnx2tf;
}

/** Runs a command under GNU time; wall seconds, peak RSS and its output. */
function timed(cmd: string, args: string[], cwd: string, timeoutMs: number) {
  const r = spawnSync('/usr/bin/time', ['-f', '__TIME__ %e %M', cmd, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 << 20 });
  const m = /__TIME__ ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '').replace(/__TIME__.*\n?/, ''), seconds: m ? Number(m[1]) : undefined, peakMiB: m ? Number(m[2]) / 1024 : undefined, timedOut: r.error !== undefined };
}

/** The last line of a tool's error output that says what went wrong. */
function reason(text: string): string {
  const lines = text.split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim()).filter(Boolean);
  const err = [...lines].reverse().find((l) => /error|exception|not supported|unsupported/i.test(l));
  return (err ?? lines[lines.length - 1] ?? 'no output').slice(0, 240);
}

/** max − min of a reference output (max |value| when constant, 1 when all zero): what errors are relative to. */
function outputRange(v: Float32Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return hi - lo || Math.max(Math.abs(hi), Math.abs(lo)) || 1;
}

/** Worst max|ref − got| / range over outputs, matching each reference output to a result of the same shape (as is, or NHWC). */
async function compareWithOrt(entry: ManifestEntry, dir: string, tflite: Uint8Array): Promise<{ maxRel?: number; note?: string }> {
  const shape = (entry as unknown as { input: { shape: number[] } }).input.shape;
  const data = uniformFloat32(numElements(shape), 1234, 0, 1);
  const ort = await onnxRuntime.load(readFileSync(join(dir, entry.file)), { file: resolve(dir, entry.file) });
  const ref = await ort.run([{ name: ort.inputs()[0]!.name, dtype: 'float32', shape, data }]);
  await ort.dispose();
  const lrt = await liteRtRuntime.load(tflite);
  try {
    const inShape = lrt.inputs()[0]!.shape;
    const nhwcIn = shape.length === 4 && inShape.length === 4 && inShape[3] === shape[1] && inShape[1] === shape[2];
    const feed: HostTensor = nhwcIn
      ? { name: lrt.inputs()[0]!.name, dtype: 'float32', shape: [shape[0]!, shape[2]!, shape[3]!, shape[1]!], data: nchwToNhwc(data, shape) }
      : { name: lrt.inputs()[0]!.name, dtype: 'float32', shape, data };
    const got = await lrt.run([feed]);
    let worst = 0;
    const used = new Set<number>();
    for (const r of ref) {
      const rData = Float32Array.from(r.data as ArrayLike<number>, Number);
      const nhwc = r.shape.length === 4 ? [r.shape[0]!, r.shape[2]!, r.shape[3]!, r.shape[1]!] : undefined;
      const same = (a: number[], b: number[] | undefined) => !!b && a.length === b.length && a.every((d, i) => d === b[i]);
      let k = got.findIndex((g, i) => !used.has(i) && same(g.shape, r.shape));
      let want: Float32Array = rData;
      if (k < 0 && nhwc) {
        k = got.findIndex((g, i) => !used.has(i) && same(g.shape, nhwc));
        want = nchwToNhwc(rData, r.shape);
      }
      if (k < 0) return { note: `output ${r.name} [${r.shape}] has no result of that shape` };
      used.add(k);
      const { maxAbs } = tensorAgreement(want, got[k]!.data as Float32Array);
      worst = Math.max(worst, maxAbs / outputRange(want));
    }
    return { maxRel: worst };
  } finally {
    await lrt.dispose();
  }
}

async function describeTflite(e: ManifestEntry, dir: string, bytes: Uint8Array, side: Side): Promise<Side> {
  const g = readTflite(bytes);
  const v = gpuVerdict(g, { ...KIRIN.options, target: KIRIN.id });
  const cmp = await compareWithOrt(e, dir, bytes).catch((err: unknown) => ({ maxRel: undefined, note: `not compared: ${(err as Error).message.slice(0, 160)}` }));
  return { ...side, converted: true, bytes: bytes.byteLength, transposes: g.nodes.filter((n) => n.op === 'TRANSPOSE').length, ops: g.nodes.length, gpuOps: v.delegatedOps, maxRel: cmp.maxRel, ...('note' in cmp && cmp.note ? { compareNote: cmp.note } : {}) };
}

/** Runs both converters on each entry; `progress` gets the rows so far after every model (a long run keeps what it measured). */
export async function runPeers(
  dir: string,
  entries: ManifestEntry[],
  onnx2tf: string,
  log: (s: string) => void,
  progress: (rows: PeerRow[]) => Promise<void> = async () => {},
  reuse: { rows: PeerRow[]; version?: string } = { rows: [] },
): Promise<PeerRow[]> {
  const rows: PeerRow[] = [];
  const work = mkdtempSync(join(tmpdir(), 'mai-peers-'));
  // onnx2tf's start-up sample data (see the file comment)
  const sample = join(work, 'calibration_image_sample_data_20x128x128x3_float32.npy');
  const n = 20 * 128 * 128 * 3;
  const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (20, 128, 128, 3), }";
  const padded = header.padEnd(118, ' ') + '\n';
  const npy = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0, padded.length & 255, padded.length >> 8]), Buffer.from(padded, 'latin1'), Buffer.from(uniformFloat32(n, 20, 0, 1).buffer)]);
  writeFileSync(sample, npy);
  const root = resolve('.');
  try {
    for (const e of entries) {
      const file = resolve(dir, e.file);
      const out = join(work, `${e.id}.tflite`);
      const m = timed(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'convert', file, '-o', out, '--check', '--json'], root, 900_000);
      let mai: Side = { converted: false, seconds: m.seconds, peakMiB: m.peakMiB };
      try {
        const j = JSON.parse(m.stdout) as { error?: string; message?: string; check?: { outputs: Array<{ maxAbs: number; range: number }> } };
        if (j.error) mai.why = `${j.error}: ${j.message ?? ''}`.slice(0, 240);
        else {
          mai = await describeTflite(e, dir, new Uint8Array(readFileSync(out)), mai);
          const worst = Math.max(...(j.check?.outputs ?? []).map((o) => (o.range > 0 ? o.maxAbs / o.range : o.maxAbs)));
          mai.maxRel = Number.isFinite(worst) ? worst : mai.maxRel;
        }
      } catch {
        mai.why = m.timedOut ? 'timed out' : reason(m.stderr);
      }
      const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
      const kept = reusablePeer(reuse.rows, e.id, sha256, reuse.version);
      if (kept) {
        rows.push({ id: e.id, family: e.family, sha256, onnx2tfVersion: reuse.version, peerReused: true, mai, onnx2tf: kept });
        rmSync(out, { force: true });
        await progress(rows);
        log(`${e.id}: mai ${mai.converted ? `ok T${mai.transposes} ${mai.seconds}s` : `refused (${mai.why})`} | onnx2tf reused`);
        continue;
      }
      const o2tDir = join(work, `${e.id}-onnx2tf`);
      // onnx2tf writes its simplified model over the input file: it gets a copy (and its external data)
      const copyDir = join(work, `${e.id}-input`);
      mkdirSync(copyDir, { recursive: true });
      for (const f of (e as unknown as { files?: string[] }).files ?? [e.file]) copyFileSync(resolve(dir, f), join(copyDir, f));
      const o = timed(onnx2tf, ['-i', join(copyDir, e.file), '-o', o2tDir, '-osd'], work, 900_000);
      rmSync(copyDir, { recursive: true, force: true });
      const produced = existsSync(o2tDir) ? readdirSync(o2tDir).find((f) => f.endsWith('_float32.tflite')) : undefined;
      let peer: Side = { converted: false, seconds: o.seconds, peakMiB: o.peakMiB };
      if (produced && o.status === 0) peer = await describeTflite(e, dir, new Uint8Array(readFileSync(join(o2tDir, produced))), peer);
      else peer.why = o.timedOut ? 'timed out' : reason(`${o.stdout}\n${o.stderr}`);
      rmSync(o2tDir, { recursive: true, force: true });
      rmSync(out, { force: true });
      rows.push({ id: e.id, family: e.family, sha256, onnx2tfVersion: reuse.version, mai, onnx2tf: peer });
      await progress(rows);
      log(`${e.id}: mai ${mai.converted ? `ok T${mai.transposes} ${mai.seconds}s` : `refused (${mai.why})`} | onnx2tf ${peer.converted ? `ok T${peer.transposes} ${peer.seconds}s` : `failed (${peer.why})`}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN;
};
const exp = (v: number | undefined) => (v === undefined ? '' : v.toExponential(1));
const cell = (s: string) => s.replace(/\|/g, '\\|');
const mb = (b: number | undefined) => (b === undefined ? undefined : (b / 1e6).toFixed(2));

export function renderPeerDoc(rows: PeerRow[], dirLabel: string, versions: string): string {
  const both = rows.filter((r) => r.mai.converted && r.onnx2tf.converted);
  const ratio = median(both.map((r) => r.mai.seconds! / r.onnx2tf.seconds!));
  const sum = (f: (s: Side) => number | undefined, k: 'mai' | 'onnx2tf') => both.reduce((a, r) => a + (f(r[k]) ?? 0), 0);
  const onlyMai = rows.filter((r) => r.mai.converted && !r.onnx2tf.converted);
  const onlyPeer = rows.filter((r) => !r.mai.converted && r.onnx2tf.converted);
  const reused = rows.filter((r) => r.peerReused);
  const lines = [
    '# mai beside onnx2tf',
    '',
    `Generated by \`npx tsx bench/peers/onnx2tf.ts ${dirLabel}\` (${versions}). Each model converted by \`mai convert --check --json\``,
    'and by `onnx2tf -i MODEL -o DIR -osd` (its defaults: onnxsim first, float32 .tflite), each as its own CLI process',
    'under GNU time (wall seconds, peak RSS). Both .tflite files are read back by mai: TRANSPOSE count, ops the',
    'kirin9000 GPU delegate takes by mai\'s rule table; both run in LiteRT.js on the same seeded inputs as onnxruntime',
    '(error = worst output\'s max |error| / output range; onnx2tf\'s NHWC outputs are compared in NHWC). mai\'s error is its',
    '`--check` number: for fp16 / QDQ / dynamic-quant sources against their float32 computation, which is what mai',
    'converts them to; onnx2tf\'s is against the source as onnxruntime runs it. mai\'s time includes its `--check`.',
    '',
    `**Converted:** mai ${rows.filter((r) => r.mai.converted).length} / ${rows.length}, onnx2tf ${rows.filter((r) => r.onnx2tf.converted).length} / ${rows.length}.`,
    `**TRANSPOSE left** (models both convert, ${both.length}): mai ${sum((s) => s.transposes, 'mai')}, onnx2tf ${sum((s) => s.transposes, 'onnx2tf')}.`,
    `**Median conversion time ratio** mai / onnx2tf: ${ratio.toFixed(3)} (process wall time, both including their start-up${reused.length ? `; ${reused.length} of ${rows.length} onnx2tf times come from an earlier run under another machine load, so this ratio crosses runs: rerun without --reuse-peer for a same-run ratio` : ''}).`,
    onlyMai.length ? `**mai converts, onnx2tf does not:** ${onlyMai.map((r) => r.id).join(', ')}.` : '',
    onlyPeer.length ? `**onnx2tf converts, mai does not:** ${onlyPeer.map((r) => r.id).join(', ')}.` : '**Everything onnx2tf converts, mai converts.**',
    reused.length
      ? `onnx2tf's side of ${reused.length} of ${rows.length} models (marked †) comes from an earlier run on the same model files and onnx2tf version (\`--reuse-peer\`); their time ratios cross two runs.`
      : '',
    '',
    '| model | family | mai | onnx2tf | TRANSPOSE mai / onnx2tf | GPU ops mai / onnx2tf | error mai / onnx2tf | .tflite MB mai / onnx2tf | seconds mai / onnx2tf | peak MiB mai / onnx2tf |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const side = (s: Side) => (s.converted ? 'converted' : `failed: ${cell(s.why ?? '')}`);
  const pair = (a: number | string | undefined, b: number | string | undefined) => `${a ?? '–'} / ${b ?? '–'}`;
  for (const r of rows) {
    lines.push(
      `| ${r.id}${r.peerReused ? ' †' : ''} | ${r.family} | ${side(r.mai)} | ${side(r.onnx2tf)} | ${pair(r.mai.transposes, r.onnx2tf.transposes)} | ${pair(r.mai.converted ? `${r.mai.gpuOps}/${r.mai.ops}` : undefined, r.onnx2tf.converted ? `${r.onnx2tf.gpuOps}/${r.onnx2tf.ops}` : undefined)} | ${pair(exp(r.mai.maxRel) || r.mai.compareNote, exp(r.onnx2tf.maxRel) || (r.onnx2tf.compareNote ? cell(r.onnx2tf.compareNote) : undefined))} | ${pair(mb(r.mai.bytes), mb(r.onnx2tf.bytes))} | ${pair(r.mai.seconds, r.onnx2tf.seconds)} | ${pair(r.mai.peakMiB?.toFixed(0), r.onnx2tf.peakMiB?.toFixed(0))} |`,
    );
  }
  return `${lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n')}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const onnx2tf = takeFlag(args, '--onnx2tf') ?? '/work/venv-peers/bin/onnx2tf';
  const doc = takeFlag(args, '--doc') ?? 'docs/peer-comparison.md';
  const variants = takeFlag(args, '--variants')?.split(',');
  const reusePath = takeFlag(args, '--reuse-peer');
  const dir = args[0] ?? 'data/corpus';
  const m = readManifest(dir);
  const entries = m.models.filter((e) => !variants || variants.includes(e.variant));
  const v = spawnSync(onnx2tf.replace(/onnx2tf$/, 'pip'), ['show', 'onnx2tf'], { encoding: 'utf8' }).stdout.match(/Version: (\S+)/)?.[1];
  mkdirSync('docs', { recursive: true });
  const write = async (rows: PeerRow[]) => {
    const partial = rows.length < entries.length ? ` — ${rows.length} of ${entries.length} models measured so far` : '';
    await writeFileAtomic(doc, renderPeerDoc(rows, `${dir}${variants ? ` --variants ${variants.join(',')}` : ''}${partial}`, `onnx2tf ${v ?? '?'}`));
    await writeFileAtomic(join(dir, `peers-${basename(doc, '.md')}.json`), `${JSON.stringify(rows, null, 1)}\n`);
  };
  // read before the run: the run rewrites that JSON as it goes
  const earlier = reusePath ? readPeerRows(reusePath) : [];
  await runPeers(dir, entries, onnx2tf, (s) => process.stderr.write(`${s}\n`), write, { rows: earlier, version: v });
  console.log(`wrote ${doc}`);
}
