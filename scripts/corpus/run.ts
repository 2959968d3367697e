/**
 * Runs `mai convert --check --target kirin9000` on every model of a corpus manifest (written by
 * scripts/corpus/generate.py) and writes the results (JSON beside the manifest) and the corpus table.
 *
 *   npx tsx scripts/corpus/run.ts [DIR=corpus] [--doc docs/corpus.md] [--only substring] [--fresh]
 *
 * Results already in DIR/results.json (an interrupted run) are kept and not run again unless --fresh.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { convert } from '../../src/convert/index.js';
import { checkConversion, type CheckReport } from '../../src/convert/check.js';
import { gpuVerdict } from '../../src/convert/gpu/verdict.js';
import { resolveTarget } from '../../src/convert/gpu/targets.js';
import { isMaiError } from '../../src/core/errors.js';
import { writeFileAtomic } from '../../src/core/fs-atomic.js';

export interface ManifestEntry {
  id: string;
  file: string;
  bytes: number;
  arch: string;
  family: string;
  source: string;
  variant: string;
  generator: string;
  opset: number;
  irVersion: number;
  producer: string;
  nodes: number;
  ops: Record<string, number>;
}

export interface Manifest {
  about: string;
  tools: Record<string, string>;
  variants: Record<string, string>;
  models: ManifestEntry[];
  skipped: Array<{ id: string; arch: string; variant: string; reason: string }>;
}

export interface CorpusResult {
  id: string;
  converted: boolean;
  /** Refused: the reason code and message (with the first node diagnostics). */
  error?: { code: string; message: string };
  convertMs?: number;
  tfliteBytes?: number;
  ops?: number;
  transposes?: number;
  gpu?: { fullyDelegated: boolean; delegatedOps: number; cpuOps: string[] };
  check?: {
    pass: boolean;
    /** Worst output: max_abs / range of the judged reference. */
    maxRel: number;
    minCosine: number;
    floatReference?: string[];
    /** Worst output against the source as written, when that is not the judged reference. */
    asWrittenMaxRel?: number;
  };
}

export const KIRIN = resolveTarget('kirin9000');

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

const worstRel = (outs: CheckReport['outputs']) => Math.max(...outs.map((o) => (o.range > 0 ? o.maxAbs / o.range : o.maxAbs)));

/** Converts one model with the GPU verdict and the check against onnxruntime. Refusals are results, not throws. */
export async function runEntry(dir: string, e: ManifestEntry): Promise<CorpusResult> {
  const file = resolve(dir, e.file);
  const bytes = new Uint8Array(readFileSync(file));
  const started = performance.now();
  let result: ReturnType<typeof convert>;
  try {
    result = convert({ bytes, file, verifyPasses: false });
  } catch (err) {
    if (!isMaiError(err)) throw err;
    const first = err.diagnostics.slice(0, 3).map((d) => `${d.node ?? '-'} (${d.opType ?? '?'}): ${d.reason}: ${d.message}`);
    return { id: e.id, converted: false, error: { code: err.code, message: [err.message, ...first].join('; ') } };
  }
  const convertMs = performance.now() - started;
  const g = result.graph;
  const gpu = gpuVerdict(g, { ...KIRIN.options, target: KIRIN.id });
  const check = await checkConversion(bytes, result.tflite, g, { file });
  return {
    id: e.id,
    converted: true,
    convertMs: Math.round(convertMs),
    tfliteBytes: result.tflite.byteLength,
    ops: g.nodes.length,
    transposes: g.nodes.filter((n) => n.op === 'TRANSPOSE').length,
    gpu: { fullyDelegated: gpu.fullyDelegated, delegatedOps: gpu.delegatedOps, cpuOps: [...new Set(gpu.cpuOps.map((o) => `${o.op} (${o.rules[0]?.rule})`))] },
    check: {
      pass: check.pass,
      maxRel: worstRel(check.outputs),
      minCosine: Math.min(...check.outputs.map((o) => o.cosine)),
      ...(check.floatReference ? { floatReference: check.floatReference, asWrittenMaxRel: worstRel(check.asWritten!) } : {}),
    },
  };
}

/** Removes `name VALUE` from `args` and returns VALUE (undefined when absent). */
export function takeFlag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
}

const mb = (b: number) => (b / 1e6).toFixed(2);
/** A table cell: pipes escaped, one line, paths relative to the checkout (the doc is committed). */
const cell = (s: string) => s.split(`${resolve('.')}/`).join('').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/corpus.md from the manifest and the results. */
export function renderCorpusDoc(m: Manifest, results: CorpusResult[], dirLabel: string): string {
  const byId = new Map(results.map((r) => [r.id, r]));
  const rows = m.models.map((e) => ({ e, r: byId.get(e.id) })).filter((x): x is { e: ManifestEntry; r: CorpusResult } => !!x.r);
  const converted = rows.filter((x) => x.r.converted);
  const passed = converted.filter((x) => x.r.check?.pass);
  const cnn = converted.filter((x) => x.e.family !== 'attention');
  const cnnClean = cnn.filter((x) => x.r.transposes === 0);
  const delegated = converted.filter((x) => x.r.gpu?.fullyDelegated);
  const archs = new Set(rows.map((x) => x.e.arch));
  const lines = [
    '# Real-export corpus',
    '',
    `Generated by \`npx tsx scripts/corpus/run.ts ${dirLabel}\` from the manifest that \`scripts/corpus/generate.py\` wrote`,
    '(see scripts/corpus/README.md). Random weights; each file was run once by onnxruntime when it was made.',
    `Tools: ${Object.entries(m.tools).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    '',
    `**${converted.length} of ${rows.length}** models (${archs.size} architectures) convert; **${passed.length}** pass \`--check\``,
    `against onnxruntime; **${cnnClean.length} of ${cnn.length}** converted non-attention models have zero TRANSPOSE;`,
    `**${delegated.length} of ${converted.length}** are fully delegated on \`--target kirin9000\`.`,
    '',
    '`check` is the worst output\'s max |error| / output range against the judged reference (limit 1e-4; float32',
    'computation of fp16 / QDQ sources, see README `--check`); `as written` is the same against the source run in its',
    'own precision (not judged). `GPU` lists the ops that would stay on the CPU with the first failed rule.',
    '',
    '| model | family | variant | opset | ONNX MB | result | check | as written | TRANSPOSE | GPU (kirin9000) | .tflite MB | convert ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { e, r } of rows) {
    const result = r.converted ? (r.check?.pass ? 'PASS' : 'FAIL (check)') : `refused: \`${r.error!.code}\``;
    const check = r.check ? r.check.maxRel.toExponential(1) : '';
    const asWritten = r.check?.asWrittenMaxRel !== undefined ? r.check.asWrittenMaxRel.toExponential(1) : '';
    const gpu = !r.gpu ? '' : r.gpu.fullyDelegated ? 'all delegated' : `CPU: ${r.gpu.cpuOps.join(', ')}`;
    lines.push(`| ${e.arch} | ${e.family} | ${e.variant} | ${e.opset} | ${mb(e.bytes)} | ${result} | ${check} | ${asWritten} | ${r.transposes ?? ''} | ${cell(gpu)} | ${r.tfliteBytes ? mb(r.tfliteBytes) : ''} | ${r.convertMs ?? ''} |`);
  }
  const refused = rows.filter((x) => !x.r.converted);
  if (refused.length) {
    lines.push('', '## Refused', '', '| model | reason |', '|---|---|');
    for (const { e, r } of refused) lines.push(`| ${e.id} | ${cell(r.error!.message).slice(0, 600)} |`);
  }
  if (m.skipped.length) {
    lines.push('', '## Not in the corpus (the exporter or onnxruntime refused)', '', '| model | reason |', '|---|---|');
    for (const s of m.skipped) lines.push(`| ${s.id} | ${cell(s.reason)} |`);
  }
  lines.push('', '## Variants', '', ...Object.entries(m.variants).map(([k, v]) => `- \`${k}\`: ${v}`), '');
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const doc = takeFlag(args, '--doc') ?? 'docs/corpus.md';
  const only = takeFlag(args, '--only');
  const dir = args[0] ?? 'corpus';
  const m = readManifest(dir);
  const fresh = args.includes('--fresh');
  const resultsPath = join(dir, 'results.json');
  // results of an earlier (interrupted) run of the same corpus are kept, and those models not run again
  const earlier = !fresh && existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as CorpusResult[]) : [];
  const ids = new Set(m.models.map((e) => e.id));
  const results: CorpusResult[] = earlier.filter((r) => ids.has(r.id));
  // breadth first: every architecture's plain float export, then its fp16, QDQ, dynamo, … variants
  const first = ['ts-op17', 'fp16', 'qdq', 'dynamo'];
  const rank = (v: string) => (first.includes(v) ? first.indexOf(v) : first.length + Object.keys(m.variants).indexOf(v));
  const entries = m.models
    .filter((x) => (!only || x.id.includes(only)) && !results.some((r) => r.id === x.id))
    .sort((a, b) => rank(a.variant) - rank(b.variant) || a.id.localeCompare(b.id));
  const total = results.length + entries.length;
  for (const e of entries) {
    const r = await runEntry(dir, e);
    results.push(r);
    const what = r.converted ? `${r.check!.pass ? 'PASS' : 'FAIL'} rel ${r.check!.maxRel.toExponential(1)} T${r.transposes} ${r.gpu!.fullyDelegated ? 'GPU' : 'cpu-ops'} ${r.convertMs} ms` : `refused ${r.error!.code}`;
    process.stderr.write(`${e.id}: ${what}\n`);
    // after every model, so a long run keeps what it measured
    await writeFileAtomic(resultsPath, `${JSON.stringify(results, null, 1)}\n`);
    await writeFileAtomic(doc, renderCorpusDoc(m, results, results.length < total ? `${dir} — ${results.length} of ${total} models run so far` : dir));
  }
  await writeFileAtomic(doc, renderCorpusDoc(m, results, dir));
  console.log(`${results.filter((r) => r.converted).length}/${results.length} converted; wrote ${doc} and ${resultsPath}`);
}
