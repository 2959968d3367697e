import type { Command } from 'commander';
import { verdictError, MaiError, environmentError, inputError } from '../../core/errors.js';
import { printable } from '../../core/printable.js';
import { redactSecrets } from '../../core/redact.js';
import { isErrorCode } from '../../core/error-codes.js';
import { flagProblem, parseCount } from '../../devicelab/config/flags.js';
import type { ModelInfo, RunResult } from '../../devicelab/deploy/deploy.js';
import { onShutdown } from '../../core/shutdown.js';
import { dbOption } from '../db-option.js';
import { printJson, table, type Output } from '../output.js';

interface DeployCliOptions {
  device: string;
  devices: string;
  runs?: string;
  warmupRuns?: string;
  connectTimeout?: string;
  flag: string[];
  budgets?: string;
  db: string;
  store: boolean;
  keep?: boolean;
  precision?: string;
  json?: boolean;
}

/** Progress lines deployOne emits per run (device, push model, push binary, run) — the bar's unit. */
const STEPS_PER_RUN = 4;

const ms = (us?: number) => (us === undefined ? '-' : (us / 1000).toFixed(2));

export function summaryTable(results: RunResult[]): string {
  return table(
    results.map((r) => [
      printable(r.model.split('/').pop()!),
      r.device + (r.simulated ? ' (SIMULATED)' : ''),
      r.precision,
      r.parse ? r.parse.delegation.status : '-',
      ms(r.parse?.initUs),
      ms(r.parse?.firstUs),
      ms(r.parse?.inferenceAvgUs),
      ms(r.parse?.inference?.p95),
      r.throttled ? 'yes' : 'no',
      r.budget ? `${r.budget.status} (≤${r.budget.maxMs} ms)` : '-',
      r.status === 'ok' ? 'ok' : `${r.status}: ${r.error ?? ''}`,
    ]),
    ['model', 'device', 'precision', 'delegation', 'init ms', 'first ms', 'avg ms', 'p95 ms', 'throttled', 'budget', 'status'],
  );
}

/**
 * The error for the whole deploy, or undefined when every job passed: the most severe of the
 * jobs' outcomes — an environment failure (3), then bad input (2), then verdicts (1: a run refused
 * by --require_full_delegation, a latency budget failed). A failed job without an exit code counts as 3.
 */
export function deployFailure(results: RunResult[], json: boolean): MaiError | undefined {
  const exitOf = (r: RunResult) => (r.status === 'failed' ? r.exit ?? 3 : r.exit);
  for (const exit of [3, 2] as const) {
    const failed = results.filter((r) => exitOf(r) === exit);
    if (failed.length)
      return new MaiError(failed.map((r) => `${printable(r.model.split('/').pop()!)} on ${r.device}: ${r.error}`).join('; '), {
        code: failed[0]!.errorCode !== undefined && isErrorCode(failed[0]!.errorCode) ? failed[0]!.errorCode : 'deploy-failed',
        exit,
        hint: [...new Set(failed.map((r) => r.hint).filter((h): h is string => !!h))].join('; ') || undefined,
        reported: json,
      });
  }
  const rejected = results.filter((r) => r.status === 'rejected');
  if (rejected.length) return verdictError('gpu-fallback', `${rejected.length} run(s) refused by --require_full_delegation: ${rejected.map((r) => `${printable(r.model)} on ${r.device}`).join(', ')}`, { reported: true });
  const failedBudget = results.filter((r) => r.budget?.status === 'FAIL');
  if (failedBudget.length)
    return verdictError('budget-failed', `latency budget failed: ${failedBudget.map((r) => `${printable(r.model)} on ${r.device}: ${r.budget!.value.toFixed(2)} ms > ${r.budget!.maxMs} ms`).join('; ')}`, { reported: true });
  return undefined;
}

export function registerDeploy(program: Command, output: Output): void {
  program
    .command('deploy')
    .description('push models to a device over adb, run benchmark_model on the GPU delegate, parse, store, check latency budgets')
    .argument('<models...>', '.tflite model(s)')
    .requiredOption('--device <id|tag>', 'device id or tag from devices.yaml (a tag runs every matching device in parallel)')
    .option('--devices <file>', 'devices file', 'devices.yaml')
    .option('--runs <n>', 'benchmark runs (default: from the device entry)')
    .option('--warmup-runs <n>', 'warm-up runs (default: from the device entry)')
    .option('--connect-timeout <sec>', 'seconds to wait for the adb server to connect and answer (default: connectTimeoutSec of the device entry, 5)')
    .option('--flag <--name=value>', 'extra benchmark_model flag (repeatable; overrides the device entry)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--budgets <file>', 'budgets.yaml with latency budgets per device class')
    .option(...dbOption())
    .option('--no-store', 'do not store the results')
    .option('--keep', 'leave the model on the device (the next deploy skips the push)')
    .option('--precision <label>', 'precision label to store (default: from the model tensors)')
    .option('--json', 'one JSON document on stdout')
    .action(async (models: string[], o: DeployCliOptions, cmd: Command) => {
      const devicesExplicit = cmd.getOptionValueSource('devices') === 'cli';
      // Numbers and flags are checked before anything is read or pushed (exit 2, naming the option).
      const runs = o.runs === undefined ? undefined : parseCount(o.runs, 1);
      if (o.runs !== undefined && runs === undefined) throw inputError('bad-option', `--runs must be an integer ≥ 1 (got '${o.runs}')`);
      const warmupRuns = o.warmupRuns === undefined ? undefined : parseCount(o.warmupRuns, 0);
      if (o.warmupRuns !== undefined && warmupRuns === undefined) throw inputError('bad-option', `--warmup-runs must be an integer ≥ 0 (got '${o.warmupRuns}')`);
      const connectTimeout = o.connectTimeout === undefined ? undefined : Number(o.connectTimeout);
      if (connectTimeout !== undefined && !(connectTimeout > 0 && Number.isFinite(connectTimeout))) throw inputError('bad-option', `--connect-timeout must be a number of seconds > 0 (got '${o.connectTimeout}')`);
      for (const f of o.flag) {
        const p = flagProblem(f);
        if (p) throw inputError('bad-option', `--flag ${p}`, { hint: 'pass benchmark_model flags as --flag=--name=value or --flag --name=value' });
      }
      const { loadBudgets } = await import('../../validate/budgets.js');
      const { deployOne, loadModel } = await import('../../devicelab/deploy/deploy.js');
      const { openLab } = await import('../../devicelab/deploy/lab.js');
      const { ResultsStore } = await import('../../devicelab/store/results.js');
      const budgets = o.budgets ? await loadBudgets(o.budgets) : undefined;
      const infos: ModelInfo[] = [];
      for (const m of models) infos.push(await loadModel(m, o.precision));
      const lab = await openLab(o.device, { devicesFile: o.devices, devicesFileExplicit: devicesExplicit });
      const store = o.store ? await ResultsStore.open(o.db) : undefined;
      let results: RunResult[] = [];
      if (lab.notice && !o.json) output.err(lab.notice);
      // Progress on a TTY: one bar per device job (steps of deployOne), on stderr.
      type Bar = { increment(n: number, p?: object): void };
      let multi: { create(total: number, v: number, p?: object): Bar; stop(): void } | undefined;
      const bars = new Map<string, Bar>();
      if (output.isTTY && !o.json) {
        const cliProgress = (await import('cli-progress')).default;
        multi = new cliProgress.MultiBar(
          { format: '{device} [{bar}] {value}/{total} {step}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        for (const e of lab.entries) bars.set(e.id, multi.create(STEPS_PER_RUN * infos.length, 0, { device: e.id, step: '' }));
      }
      const progress = multi
        ? (l: string) => {
            const m = /^\[([^\]]+)\] (.*)$/.exec(l);
            if (m) bars.get(m[1]!)?.increment(1, { step: m[2]!.slice(0, 60) });
          }
        : undefined;
      // A signal mid-deploy: stop the bars, close the store and the lab's connections (and the
      // embedded simulator) before the process exits.
      const release = async () => {
        multi?.stop();
        store?.close();
        await lab.close();
      };
      const unhook = onShutdown(release);
      try {
        // One job per device, in parallel; models run one after another on each device.
        const perDevice = await Promise.all(
          lab.entries.map(async (entry) => {
            const client = lab.clientFor(entry);
            const out: RunResult[] = [];
            for (const m of infos) {
              out.push(
                await deployOne(client, entry, m, {
                  runs,
                  warmupRuns,
                  connectTimeoutMs: connectTimeout === undefined ? undefined : connectTimeout * 1000,
                  flags: o.flag,
                  budgets,
                  store,
                  keep: o.keep,
                  progress,
                }),
              );
            }
            return out;
          }),
        );
        results = perDevice.flat();
      } finally {
        unhook();
        await release();
      }
      if (o.json) {
        printJson(output, {
          simulated: results.some((r) => r.simulated),
          ...(lab.notice ? { notice: lab.notice } : {}),
          db: o.store ? redactSecrets(o.db) : null,
          runs: results,
        });
      } else {
        output.out(summaryTable(results));
        if (results.some((r) => r.simulated)) output.out('SIMULATED: rows marked (SIMULATED) come from the Mali-G78 MP24 cost model, not from a phone.');
        for (const r of results) for (const u of r.parse?.unsupportedOps ?? []) output.out(`  ${r.device}: not on the GPU: ${u.op}: ${u.message}`);
        for (const r of results) for (const w of r.warnings) output.out(`  ${r.device}: warning: ${w}`);
      }
      const failure = deployFailure(results, o.json === true);
      if (failure) throw failure;
      if (results.length === 0) throw environmentError('no-runs', 'nothing ran');
    });
}
