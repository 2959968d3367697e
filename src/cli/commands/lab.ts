/**
 * `mai lab nightly` (the whole matrix, history, regression statistics, HTML
 * report) and `mai lab history MODEL` (a cell's series from the results
 * database). Heavy modules load inside the actions.
 */
import type { Command } from 'commander';
import { environmentError, inputError, verdictError } from '../../core/errors.js';
import { redactSecrets } from '../../core/redact.js';
import { onShutdown } from '../../core/shutdown.js';
import { dbOption } from '../db-option.js';
import { printJson, table, type Output } from '../output.js';

interface NightlyCliOptions {
  config: string;
  night?: string;
  out?: string;
  devices: string;
  db: string;
  timeout: string;
  jobExpire: string;
  maintenance: string;
  retries: string;
  buildOn?: string;
  json?: boolean;
}

interface WorkerCliOptions {
  db?: string;
  devices: string;
  host?: string;
  heartbeat: string;
  poll: string;
  maintenance: string;
  stopTimeout: string;
  build?: boolean;
  buildCache: string;
}

/** A number of seconds > 0 (exit 2 naming the option otherwise). */
export function parseSeconds(v: string, option: string): number {
  const n = Number(v);
  if (!(Number.isFinite(n) && n > 0)) throw inputError('bad-option', `${option} expects a number of seconds > 0, got '${v}'`);
  return n;
}

interface HistoryCliOptions {
  precision?: string;
  device?: string;
  db: string;
  json?: boolean;
}

/** YYYY-MM-DD of a real calendar day (exit 2 otherwise). */
export function parseNight(s: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.toISOString().slice(0, 10) !== s) throw inputError('bad-option', `--night expects a date YYYY-MM-DD, got '${s}'`);
  return s;
}

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v.toFixed(3));

export function registerLab(program: Command, output: Output): void {
  const lab = program.command('lab').description('the nightly device lab: every model × precision × device, history, regression statistics, HTML report');
  lab
    .command('nightly')
    .description('build, validate and benchmark the whole matrix of lab.yaml; compare with history; write DIR/index.html')
    .requiredOption('--config <lab.yaml>', 'the lab file')
    .option('--night <YYYY-MM-DD>', 'the night this run is stored as (default: today, UTC); re-run or backfill a night with it')
    .option('--out <dir>', 'report folder (default: out/lab/NIGHT)')
    .option('--devices <file>', 'devices file', 'devices.yaml')
    .option(...dbOption())
    .option('--timeout <sec>', 'with a PostgreSQL --db: how long to wait for the workers; cells still unfinished then are NOT_RUN', '28800')
    .option('--job-expire <sec>', 'with a PostgreSQL --db: a cell job whose worker stopped heartbeating this long runs again', '120')
    .option('--maintenance <sec>', 'with a PostgreSQL --db: how often expired jobs are looked for', '30')
    .option('--retries <n>', 'with a PostgreSQL --db: attempts of a cell job after its first (backoff between)', '5')
    .option('--build-on <where>', "where the variants are built: host (this one) or workers (`mai lab worker --build`, PostgreSQL only); default: lab.yaml `build`, else host")
    .option('--json', 'one JSON document on stdout')
    .action(async (o: NightlyCliOptions, cmd: Command) => {
      const night = o.night === undefined ? new Date().toISOString().slice(0, 10) : parseNight(o.night);
      const { loadLabConfig } = await import('../../devicelab/lab/config.js');
      const { runNightly } = await import('../../devicelab/lab/run.js');
      const { isPostgresUrl } = await import('../../devicelab/store/sql.js');
      const queued = isPostgresUrl(o.db);
      const timeoutSec = parseSeconds(o.timeout, '--timeout');
      const jobExpireSec = parseSeconds(o.jobExpire, '--job-expire');
      const maintenanceSec = parseSeconds(o.maintenance, '--maintenance');
      const retryLimit = Number(o.retries);
      if (!Number.isSafeInteger(retryLimit) || retryLimit < 0) throw inputError('bad-option', `--retries expects an integer ≥ 0, got '${o.retries}'`);
      if (o.buildOn !== undefined && o.buildOn !== 'host' && o.buildOn !== 'workers') throw inputError('bad-option', `--build-on expects host or workers, got '${o.buildOn}'`);
      const buildOn = o.buildOn as 'host' | 'workers' | undefined;
      const config = await loadLabConfig(o.config);
      const outDir = o.out ?? `out/lab/${night}`;
      // the report folder first: a bad --out is a usage error now, not after the whole night has run
      const { mkdirSync } = await import('node:fs');
      try {
        mkdirSync(outDir, { recursive: true });
      } catch (e) {
        throw inputError('output-unwritable', `--out ${outDir}: cannot create the report folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file: outDir });
      }
      let bar: { start(total: number, v: number, p?: object): void; update(v: number, p?: object): void; stop(): void } | undefined;
      if (output.isTTY && !o.json) {
        const cliProgress = (await import('cli-progress')).default;
        bar = new cliProgress.SingleBar({ format: 'lab nightly [{bar}] {value}/{total} {label}', stream: process.stderr, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
      }
      let started = false;
      let r;
      try {
        const nightly = {
          config,
          night,
          outDir,
          db: o.db,
          devicesFile: o.devices,
          devicesFileExplicit: cmd.getOptionValueSource('devices') === 'cli',
          ...(buildOn ? { buildOn } : {}),
          onProgress: (p: { done: number; total: number; label: string }) => {
            if (!bar) return;
            if (!started) bar.start(p.total, p.done, { label: p.label });
            started = true;
            bar.update(p.done, { label: p.label.slice(0, queued ? 120 : 50) });
          },
        };
        if (queued) {
          const { runQueuedNightly } = await import('../../devicelab/lab/queued-night.js');
          r = await runQueuedNightly({ ...nightly, timeoutSec, jobExpireSec, maintenanceSec, retryLimit, log: (l) => (o.json ? undefined : output.err(redactSecrets(l))) });
        } else r = await runNightly(nightly);
      } finally {
        bar?.stop();
      }
      if (o.json) {
        const { trends: _t, variants: _v, ...doc } = r;
        printJson(output, doc);
      } else {
        for (const n of r.notices) output.err(n);
        output.out(
          table(
            r.cells.map((c) => [c.model, c.precision, c.device + (c.simulated ? ' (SIMULATED)' : ''), c.verdict, ms(c.latency.p50Ms), c.comparison ? c.comparison.ratio.toFixed(3) : '-', c.comparison ? c.comparison.pSlower.toPrecision(2) : '-', c.reasons[0] ?? '']),
            ['model', 'precision', 'device', 'verdict', 'p50 ms', 'ratio', 'p', 'why'],
          ),
        );
        if (r.changes.length) output.out(`\nchanged since ${r.previousNight}: ${r.changes.map((c) => `${c.model}/${c.precision}/${c.device} ${c.from ?? 'new'} → ${c.to}`).join('; ')}`);
        if (r.simulated) output.out('SIMULATED: rows marked (SIMULATED) come from the Mali-G78 MP24 cost model, not from a phone.');
        output.out(`report: ${r.report}`);
      }
      if (r.exit === 3) throw environmentError('lab-failed', `the lab failed tonight: ${r.labFailure ?? 'cells not run'}`, { reported: o.json === true, hint: 'run `mai devices` to see what the adb server reports' });
      if (r.exit === 1) {
        const bad = r.cells.filter((c) => !['PASS', 'WARN', 'IMPROVED', 'INSUFFICIENT_DATA'].includes(c.verdict));
        throw verdictError('lab-verdict', `${bad.length} cell(s) failed: ${bad.map((c) => `${c.model}/${c.precision}/${c.device} ${c.verdict}`).join(', ')}`, { reported: true });
      }
    });
  lab
    .command('worker')
    .description("one per host: owns the phones this host's adb server reports, runs their queued nightly jobs, until SIGTERM")
    .option(...dbOption(undefined))
    .option('--devices <file>', 'devices file: the phones this host may own, with its adb server', 'devices.yaml')
    .option('--host <name>', "this host's name in the lab (default: the machine's hostname)")
    .option('--heartbeat <sec>', "seconds between heartbeats (the worker's row and its running job's expiry)", '10')
    .option('--poll <sec>', 'seconds between polls of an idle queue', '2')
    .option('--maintenance <sec>', 'how often expired jobs of dead workers are looked for', '30')
    .option('--stop-timeout <sec>', 'on SIGTERM, how long the running job may finish before it is released', '60')
    .option('--build', 'also take the build jobs of nights with `build: workers` (convert / quantize / validate, one at a time); with no phone in --devices, a build-only worker')
    .option('--build-cache <dir>', "with --build: this host's build cache", 'mai-lab-build in the temp folder')
    .action(async (o: WorkerCliOptions, cmd: Command) => {
      if (!o.db) throw inputError('db-required', 'mai lab worker needs --db postgres://… (or MAI_DB)');
      const { hostname, tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const { startWorker } = await import('../../devicelab/lab/worker.js');
      const worker = await startWorker({
        db: o.db,
        devicesFile: o.devices,
        devicesFileExplicit: cmd.getOptionValueSource('devices') === 'cli',
        host: o.host ?? hostname(),
        heartbeatSec: parseSeconds(o.heartbeat, '--heartbeat'),
        pollSec: parseSeconds(o.poll, '--poll') >= 0.5 ? Number(o.poll) : (() => { throw inputError('bad-option', `--poll expects at least 0.5 seconds (pg-boss's shortest polling interval), got '${o.poll}'`); })(),
        maintenanceSec: parseSeconds(o.maintenance, '--maintenance'),
        stopTimeoutSec: parseSeconds(o.stopTimeout, '--stop-timeout'),
        ...(o.build ? { build: { cacheDir: cmd.getOptionValueSource('buildCache') === 'cli' ? o.buildCache : join(tmpdir(), 'mai-lab-build') } } : {}),
        log: (l) => output.err(`mai lab worker: ${redactSecrets(l)}`),
      });
      // SIGTERM / SIGINT: finish the running job (or release it after --stop-timeout), then exit 143 / 130.
      const stopTimeoutSec = parseSeconds(o.stopTimeout, '--stop-timeout');
      const unhook = onShutdown(
        async () => {
          await worker.stop();
          await worker.done;
          output.err('mai lab worker: stopped');
        },
        { graceMs: (stopTimeoutSec + 15) * 1000 },
      );
      output.err(`mai lab worker: running as ${o.host ?? hostname()}; SIGTERM stops it`);
      await worker.done;
      unhook();
      output.err('mai lab worker: stopped');
    });
  lab
    .command('history')
    .description("a model's cells over the nights (verdict, p50, baseline, ratio, p-value)")
    .argument('<model>', 'model name (as in lab.yaml)')
    .option('--precision <p>', 'only this precision')
    .option('--device <id>', 'only this device')
    .option(...dbOption())
    .option('--json', 'one JSON document on stdout')
    .action(async (model: string, o: HistoryCliOptions) => {
      const { existsSync } = await import('node:fs');
      const { isPostgresUrl } = await import('../../devicelab/store/sql.js');
      if (!isPostgresUrl(o.db) && !existsSync(o.db)) throw inputError('file-not-found', `results database not found: ${o.db}`, { file: o.db, hint: 'run `mai lab nightly` first, or pass --db' });
      const { ResultsStore } = await import('../../devicelab/store/results.js');
      const { LabHistory } = await import('../../devicelab/lab/history.js');
      const store = await ResultsStore.open(o.db);
      try {
        const series = (await new LabHistory(store).series(model, { precision: o.precision, device: o.device })).map((c) => ({ ...c, summary: JSON.parse(c.summary) as import('../../devicelab/lab/cell-summary.js').CellResult }));
        if (!series.length) throw inputError('no-history', `no nightly history for model '${model}'${o.precision ? ` precision ${o.precision}` : ''}${o.device ? ` on ${o.device}` : ''} in ${store.location}`, { file: store.location });
        if (o.json) printJson(output, { model, db: store.location, cells: series.map((c) => c.summary) });
        else
          output.out(
            table(
              series.map((c) => [
                c.night, c.precision, c.device + (c.summary.simulated ? ' (SIMULATED)' : ''), c.verdict, ms(c.summary.latency.p50Ms), `${c.summary.runs.ok}/${c.summary.runs.planned}`,
                c.summary.baseline ? ms(c.summary.baseline.p50Ms) : '-', c.summary.comparison ? c.summary.comparison.ratio.toFixed(3) : '-', c.summary.comparison ? c.summary.comparison.pSlower.toPrecision(2) : '-',
              ]),
              ['night', 'precision', 'device', 'verdict', 'p50 ms', 'runs', 'baseline ms', 'ratio', 'p slower'],
            ),
          );
      } finally {
        await store.close();
      }
    });
}
