/**
 * `deploy`: one job per (model, device): state check → push model (skipped when
 * the device already has the same sha256) and benchmark_model (when missing or
 * stale) → chmod → health → benchmark_model on the GPU delegate → parse →
 * health → clean up → one row in the results store. Transient adb failures are
 * retried with backoff; everything else is a clear error.
 */
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { PassThrough } from 'node:stream';
import { environmentError, inputError, isMaiError, type MaiError } from '../../core/errors.js';
import { printable } from '../../core/printable.js';
import { readInputFile } from '../../core/read-input.js';
import { readTflite } from '../../tflite/reader.js';
import { latencyBudget, judge, type Budgets, type Verdict } from '../../validate/budgets.js';
import { adbClient, readAll, type Client, type DeviceClient } from '../adb/adbkit.js';
import { adbHandshake, adbProbeError } from '../adb/handshake.js';
import { parseBenchmarkOutput, type BenchmarkParse } from '../benchmark/parse.js';
import { flagProblem } from '../config/flags.js';
import type { DeviceEntry } from '../config/devices.js';
import type { ResultsStore, RunRow } from '../store/results.js';
import { parseExitStatus, type ShellLine } from '../adb/quote.js';
import { benchmarkStep, chmodStep, getpropStep, HEALTH_LINE, mkdirStep, remoteModelPath, removeStep, sha256Step } from './commands.js';
import { isThrottled, parseHealth, type Health } from './health.js';
import { TransientError, withRetry, withTimeout } from './retry.js';

export interface DeployOptions {
  runs?: number;
  warmupRuns?: number;
  /** Extra/override benchmark flags (--name=value). */
  flags?: string[];
  budgets?: Budgets;
  store?: Pick<ResultsStore, 'addRun'>;
  /** Keep the model on the device after the run (the next deploy skips the push). */
  keep?: boolean;
  /** Backoff base, ms (tests use small values). */
  backoffMs?: number;
  /** Per adb step timeout, ms (default 60 s; the benchmark uses the device's timeoutSec). */
  stepTimeoutMs?: number;
  /** Connect + host:version + devices timeout, ms (default: the device's connectTimeoutSec). */
  connectTimeoutMs?: number;
  progress?: (line: string) => void;
}

export interface RunResult {
  model: string;
  device: string;
  serial: string;
  status: 'ok' | 'rejected' | 'failed';
  error?: string;
  /** Things worth reading that did not fail the run (e.g. flags benchmark_model did not use). */
  warnings: string[];
  errorCode?: string;
  /** What to do next about `error`. */
  hint?: string;
  exit?: number;
  simulated: boolean;
  precision: string;
  attempts: number;
  pushed: { model: boolean; benchmark: boolean };
  parse?: BenchmarkParse;
  healthBefore?: Health;
  healthAfter?: Health;
  throttled: boolean;
  budget?: Verdict & { maxMs: number };
  rowId?: number;
  /** the results row of this run (stored when `store` was given; the lab stores it with its own row) */
  row?: RunRow;
  deviceModel?: string;
  platform?: string;
  androidVersion?: string;
}

export interface ModelInfo {
  path: string;
  name: string;
  bytes: Uint8Array;
  sha256: string;
  precision: string;
}

export async function loadModel(path: string, precision?: string): Promise<ModelInfo> {
  const bytes = await readInputFile(path, 'model');
  const g = readTflite(bytes, path);
  let p = 'fp32';
  const dts = new Set([...g.tensors.values()].map((t) => t.dtype));
  if (dts.has('int8') || dts.has('uint8')) p = [...g.tensors.values()].some((t) => (t.dtype === 'int8' || t.dtype === 'uint8') && !t.data) ? 'int8' : 'dynamic';
  else if (dts.has('float16')) p = 'fp16';
  return { path, name: basename(path), bytes, sha256: createHash('sha256').update(bytes).digest('hex'), precision: precision ?? p };
}

async function shell(dev: DeviceClient, cmd: ShellLine, timeoutMs: number): Promise<string> {
  let stream: NodeJS.ReadableStream & { destroy?: () => void } | undefined;
  const p = (async () => {
    stream = (await dev.shell(cmd)) as never;
    return (await readAll(stream!)).toString('utf8');
  })();
  return withTimeout(p, timeoutMs, `adb shell '${cmd.length > 60 ? cmd.slice(0, 60) + '…' : cmd}'`, () => stream?.destroy?.());
}

async function push(dev: DeviceClient, data: Uint8Array, remote: string, mode: number, timeoutMs: number): Promise<void> {
  const src = new PassThrough();
  src.end(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  const p = (async () => {
    const transfer = await dev.push(src, remote, mode);
    await new Promise<void>((resolve, reject) => {
      transfer.on('end', resolve);
      transfer.on('error', (e: Error) => reject(new TransientError(`push to ${remote} failed: ${e.message}`)));
    });
  })();
  await withTimeout(p, timeoutMs, `adb push ${remote}`);
}

async function remoteSha(dev: DeviceClient, path: string, timeoutMs: number): Promise<string | undefined> {
  const out = await shell(dev, sha256Step(path).line, timeoutMs);
  return /^([0-9a-f]{64})\s/.exec(out)?.[1];
}

function flagName(f: string): string {
  return f.replace(/^--/, '').split('=')[0]!;
}

/** Merge flags: later ones override earlier ones with the same name. */
export function mergeFlags(...lists: string[][]): string[] {
  const m = new Map<string, string>();
  for (const l of lists) for (const f of l) m.set(flagName(f), f);
  return [...m.values()];
}

/** Run one model on one device. Never throws for device problems: the result carries status and error. */
export async function deployOne(client: Client, entry: DeviceEntry, model: ModelInfo, opts: DeployOptions): Promise<RunResult> {
  const started = new Date().toISOString();
  const log = (s: string) => opts.progress?.(`[${entry.id}] ${s}`);
  const stepMs = opts.stepTimeoutMs ?? 60_000;
  const connectMs = opts.connectTimeoutMs ?? entry.connectTimeoutSec * 1000;
  const retry = { retries: entry.retries, baseMs: opts.backoffMs ?? 250, onRetry: (a: number, e: unknown, d: number) => log(`attempt ${a} failed (${(e as Error).message}); retrying in ${d} ms`) };
  const runs = opts.runs ?? entry.runs;
  const warmup = opts.warmupRuns ?? entry.warmupRuns;
  // The device sees the content hash, never the model's own (user-chosen) name.
  const remoteModel = remoteModelPath(entry.deviceDir, model.sha256);
  const flags = mergeFlags(entry.flags, opts.flags ?? [], [`--graph=${remoteModel}`, `--num_runs=${runs}`, `--warmup_runs=${warmup}`, '--min_secs=0', '--warmup_min_secs=0']);
  const result: RunResult = {
    model: model.path,
    device: entry.id,
    serial: entry.serial,
    status: 'failed',
    simulated: entry.adb === 'embedded',
    precision: model.precision,
    attempts: 0,
    pushed: { model: false, benchmark: false },
    throttled: false,
    warnings: [],
  };
  let raw: string | undefined;
  try {
    if (!Number.isSafeInteger(runs) || runs < 1) throw inputError('bad-option', `runs (--runs or devices.yaml runs) must be an integer ≥ 1 (got ${runs})`);
    if (!Number.isSafeInteger(warmup) || warmup < 0) throw inputError('bad-option', `warm-up runs (--warmup-runs or devices.yaml warmupRuns) must be an integer ≥ 0 (got ${warmup})`);
    const badFlag = flags.map(flagProblem).find((p) => p !== undefined);
    if (badFlag) throw inputError('bad-option', `benchmark_model flag (--flag or devices.yaml flags) ${badFlag}`);
    // Built (and checked: quoting, length) before the device is touched.
    const cmd = benchmarkStep(entry.benchmarkDevice, flags).line;
    const dev = client.getDevice(entry.serial);
    // State check: a short handshake first, so a dead or silent adb server fails in seconds (and no server is ever started).
    const adbHost = String(client.host);
    const adbPort = Number(client.port);
    const probe = await adbHandshake(adbHost, adbPort, connectMs);
    if (!probe.ok) throw adbProbeError(adbHost, adbPort, probe);
    const { value: list } = await withRetry(`listing devices on the adb server at ${adbHost}:${adbPort}`, () => withTimeout(client.listDevices() as Promise<Array<{ id: string; type: string }>>, connectMs, `adb devices on ${adbHost}:${adbPort}`), retry);
    const found = list.find((d) => d.id === entry.serial);
    if (!found) throw environmentError('device-not-found', `device ${entry.id} (serial ${entry.serial}) is not connected to the adb server`, { hint: 'run `mai devices` to see what the adb server reports' });
    if (found.type !== 'device') throw environmentError('device-not-ready', `device ${entry.id} (serial ${entry.serial}) is ${found.type}`, { hint: found.type === 'unauthorized' ? 'accept the USB debugging prompt on the phone' : 'reconnect the device' });
    const { value: props } = await withRetry('getprop', () => shell(dev, getpropStep().line, stepMs), retry);
    const prop = (k: string) => new RegExp(`^\\[${k.replace(/\./g, '\\.')}\\]: \\[(.*)\\]`, 'm').exec(props)?.[1];
    result.deviceModel = prop('ro.product.model');
    result.platform = prop('ro.board.platform');
    const android = prop('ro.build.version.release');
    result.androidVersion = android;
    if (prop('ro.mai.simulated') === '1') result.simulated = true;
    log(`${result.deviceModel ?? '?'} (${result.platform ?? '?'}, Android ${android ?? '?'})${result.simulated ? ' — SIMULATED' : ''}`);
    await withRetry('mkdir', () => shell(dev, mkdirStep(entry.deviceDir).line, stepMs), retry);
    // Model: skip when the device has the same content.
    await withRetry(`push ${printable(model.name)}`, async () => {
      if ((await remoteSha(dev, remoteModel, stepMs)) === model.sha256) return;
      log(`pushing ${printable(model.name)} (${model.bytes.length} bytes)`);
      await push(dev, model.bytes, remoteModel, 0o644, stepMs);
      result.pushed.model = true;
    }, retry);
    // benchmark_model: push when missing or stale.
    let bin: Uint8Array;
    try {
      bin = new Uint8Array(await fs.readFile(entry.benchmarkHost));
    } catch {
      throw inputError('benchmark-binary-missing', `benchmark_model not found on the host: ${entry.benchmarkHost}`, { file: entry.benchmarkHost, hint: 'set benchmark.host in devices.yaml' });
    }
    const binSha = createHash('sha256').update(bin).digest('hex');
    await withRetry('push benchmark_model', async () => {
      if ((await remoteSha(dev, entry.benchmarkDevice, stepMs)) === binSha) return;
      log('pushing benchmark_model');
      await push(dev, bin, entry.benchmarkDevice, 0o755, stepMs);
      result.pushed.benchmark = true;
    }, retry);
    await withRetry('chmod', () => shell(dev, chmodStep(entry.benchmarkDevice).line, stepMs), retry);
    result.healthBefore = parseHealth((await withRetry('health', () => shell(dev, HEALTH_LINE, stepMs), retry)).value);
    // The run. A crash (signal exit) or a timeout is transient; the parse decides the rest.
    log(`running benchmark_model (${runs} runs, ${warmup} warm-ups)`);
    const { value: out, attempts } = await withRetry('benchmark_model', async () => {
      const { output, status: rc } = parseExitStatus(await shell(dev, cmd, entry.timeoutSec * 1000));
      if (rc === undefined) throw new TransientError('benchmark_model output ended without an exit status (connection lost)');
      if (rc >= 128) throw new TransientError(`benchmark_model crashed (exit ${rc}${rc === 139 ? ', SIGSEGV' : ''})`);
      return output;
    }, retry);
    result.attempts = attempts;
    raw = out;
    const parse = parseBenchmarkOutput(out);
    result.parse = parse;
    if (parse.simulated) result.simulated = true;
    if (parse.unconsumedFlags.length) result.warnings.push(`benchmark_model ignored flag(s) it does not know: ${parse.unconsumedFlags.join(' ')}`);
    result.healthAfter = parseHealth((await withRetry('health', () => shell(dev, HEALTH_LINE, stepMs), retry)).value);
    const nominal = result.platform === 'kirin9000' ? 759 : undefined;
    result.throttled = isThrottled(result.healthBefore, entry.throttleTempC, nominal) || isThrottled(result.healthAfter, entry.throttleTempC, nominal);
    if (parse.fallbackDisallowed) {
      result.status = 'rejected';
      result.error = `the GPU delegate does not take the whole model (${parse.unsupportedOps.map((u) => u.op).join(', ') || 'see output'}); --require_full_delegation refused the run`;
      result.errorCode = 'gpu-fallback';
      result.exit = 1;
    } else if (parse.failed) {
      result.status = 'failed';
      result.error = `benchmark_model failed: ${parse.errors.join(' / ') || 'no timings in its output'}`;
      result.errorCode = parse.noRuns ? 'benchmark-no-runs' : 'benchmark-failed';
      result.exit = 3;
    } else result.status = 'ok';
    if (result.status === 'ok' && opts.budgets && parse.inferenceAvgUs !== undefined) {
      const b = latencyBudget(opts.budgets, model.path, entry.deviceClass);
      if (b) result.budget = { ...judge(parse.inferenceAvgUs / 1000, b.maxMs, 'max', b.warnMargin), maxMs: b.maxMs };
    }
    // Clean up.
    if (!opts.keep) await withRetry('cleanup', () => shell(dev, removeStep(remoteModel).line, stepMs), retry).catch(() => log('cleanup failed (ignored)'));
  } catch (e) {
    if (!isMaiError(e)) throw e;
    const me = e as MaiError;
    result.status = 'failed';
    result.error = me.message;
    result.errorCode = me.code;
    result.hint = me.hint;
    result.exit = me.exit;
  }
  if (result.parse || result.status !== 'failed' || raw !== undefined) {
    result.row = toRow(result, entry, model, flags, started, raw);
    if (opts.store) result.rowId = await opts.store.addRun(result.row);
  }
  return result;
}

function toRow(r: RunResult, e: DeviceEntry, m: ModelInfo, flags: string[], started: string, raw?: string): RunRow {
  const p = r.parse;
  const inf = p?.inference;
  return {
    run_uuid: randomUUID(),
    started_at: started,
    finished_at: new Date().toISOString(),
    host: hostname(),
    model_path: m.path,
    model_name: m.name,
    model_sha256: m.sha256,
    model_bytes: m.bytes.length,
    precision: r.precision,
    device_id: e.id,
    device_serial: e.serial,
    device_class: e.deviceClass,
    device_model: r.deviceModel ?? null,
    platform: r.platform ?? null,
    android_version: r.androidVersion ?? null,
    flags: JSON.stringify(flags),
    status: r.status,
    error: r.error ?? null,
    attempts: r.attempts,
    init_us: p?.initUs ?? null,
    first_us: p?.firstUs ?? null,
    warmup_avg_us: p?.warmupAvgUs ?? null,
    avg_us: p?.noRuns ? null : p?.inferenceAvgUs ?? null,
    min_us: inf?.min ?? null,
    max_us: inf?.max ?? null,
    std_us: inf?.std ?? null,
    p5_us: inf?.p5 ?? null,
    median_us: inf?.median ?? null,
    p95_us: inf?.p95 ?? null,
    num_runs: inf?.count ?? null,
    mem_init_mb: p?.memory?.initMb ?? null,
    mem_overall_mb: p?.memory?.overallMb ?? null,
    mem_peak_mb: p?.memory?.peakMb ?? null,
    delegation: p?.delegation.status ?? 'unknown',
    delegated_nodes: p?.delegation.replacedNodes ?? p?.delegation.gpuOps ?? null,
    total_nodes: p?.delegation.totalNodes ?? null,
    partitions: p?.delegation.partitions ?? null,
    unsupported_ops: p ? JSON.stringify(p.unsupportedOps) : null,
    health_before: r.healthBefore ? JSON.stringify(r.healthBefore) : null,
    health_after: r.healthAfter ? JSON.stringify(r.healthAfter) : null,
    throttled: r.throttled ? 1 : 0,
    simulated: r.simulated ? 1 : 0,
    budget_status: r.budget?.status ?? null,
    budget_limit_ms: r.budget?.maxMs ?? null,
    raw_output: raw ?? null,
  };
}

export { adbClient };
