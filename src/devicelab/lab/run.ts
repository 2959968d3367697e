/**
 * `mai lab nightly` as one library call: build every model × precision
 * (build.ts), open the devices (devices.ts), run every cell on every device
 * (devices in parallel, cells one after another on each; cell-runs.ts), judge
 * each cell against its history (cell-summary.ts), store everything, write the
 * HTML report. Never throws for a device or a model problem: each becomes a
 * cell verdict (NOT_RUN, ERROR) with its reason. The night's end (report,
 * exit code) is finish-night.ts, shared with the queued night.
 */
import { promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { inputError } from '../../core/errors.js';
import { loadBudgets, type Budgets } from '../../validate/budgets.js';
import type { ModelInfo } from '../deploy/deploy.js';
import { loadModel } from '../deploy/deploy.js';
import { ResultsStore } from '../store/results.js';
import { isPostgresUrl } from '../store/sql.js';
import { buildVariant, type BuiltVariant } from './build.js';
import { summarizeCell, type CellResult } from './cell-summary.js';
import { runCellRuns, storeMissingRuns } from './cell-runs.js';
import type { BuildPlace, LabConfig } from './config.js';
import { openLabDevices } from './devices.js';
import { LabHistory, type LabRunRow } from './history.js';
import { finishNight } from './finish-night.js';
import type { NightlyResult } from './night-result.js';

export type { DeviceSummary, NightlyResult } from './night-result.js';
export { nightExit } from './night-result.js';

export interface NightlyOptions {
  config: LabConfig;
  /** YYYY-MM-DD */
  night: string;
  outDir: string;
  db: string;
  devicesFile: string;
  devicesFileExplicit?: boolean;
  onProgress?: (p: { done: number; total: number; label: string }) => void;
  /** where the variants are built; default: lab.yaml `build` (workers: PostgreSQL only) */
  buildOn?: BuildPlace;
  /** called after each stored run row (tests use it to crash mid-night) */
  afterRun?: (row: LabRunRow) => void;
}

export async function runNightly(o: NightlyOptions): Promise<NightlyResult> {
  const cfg = o.config;
  if (cfg.pools.length) {
    throw inputError('lab-config-invalid', `${cfg.file}: pools (${cfg.pools.map((p) => p.name).join(', ')}) are shared by \`mai lab worker\`s through PostgreSQL: run the nightly with --db postgres://…`, { file: cfg.file });
  }
  if ((o.buildOn ?? cfg.build) === 'workers') {
    throw inputError('db-required', `${cfg.file}: builds on the lab workers (\`build: workers\` / --build-on workers) go through the shared PostgreSQL database: run the nightly with --db postgres://…`, { file: cfg.file });
  }
  const { budgets, budgetsText } = await loadLabBudgets(cfg);
  const store = await ResultsStore.open(o.db);
  try {
    return await nightWithStore(o, store, budgets, budgetsText);
  } finally {
    await store.close();
  }
}

/** lab.yaml's budgets file, parsed and as text (part of the build cache key). */
export async function loadLabBudgets(cfg: LabConfig): Promise<{ budgets?: Budgets; budgetsText?: string }> {
  if (!cfg.budgets) return {};
  return { budgets: await loadBudgets(cfg.budgets), budgetsText: await fs.readFile(cfg.budgets, 'utf8') };
}

async function nightWithStore(o: NightlyOptions, store: ResultsStore, budgets: Budgets | undefined, budgetsText: string | undefined): Promise<NightlyResult> {
  const cfg = o.config;
  const history = new LabHistory(store);
  const cacheDir = labBuildCache(o.db, o.outDir);
  const devices = await openLabDevices(cfg.devices, { devicesFile: o.devicesFile, devicesFileExplicit: o.devicesFileExplicit, night: o.night, simulation: cfg.simulation });
  const variants: BuiltVariant[] = [];
  const cells: CellResult[] = [];
  const deviceProblems = new Map<string, string>();
  try {
    const pairs = cfg.models.flatMap((m) => cfg.precisions.map((p) => ({ m, p })));
    const total = pairs.length + pairs.length * devices.entries.length * cfg.runs;
    let done = 0;
    const tick = (label: string) => o.onProgress?.({ done: ++done, total, label });
    o.onProgress?.({ done: 0, total, label: 'building' });
    for (const { m, p } of pairs) {
      variants.push(await buildVariant(m, p, { cacheDir, budgets, budgetsText, validateSamples: cfg.validateSamples }));
      tick(`built ${m.name} ${p}`);
    }
    const infos = new Map<BuiltVariant, ModelInfo>();
    for (const v of variants) if (v.path) infos.set(v, await loadModel(v.path, v.precision));
    const runIndexes = Array.from({ length: cfg.runs }, (_, k) => k + 1);
    const perDevice = await Promise.all(
      devices.entries.map(async (entry) => {
        const client = devices.clientFor(entry);
        const simulated = entry.adb === 'embedded';
        const out: CellResult[] = [];
        for (const v of variants) {
          const key = { night: o.night, model: v.model, precision: v.precision, device: entry.id };
          const info = infos.get(v);
          const gone = deviceProblems.get(entry.id);
          let rejected: string | undefined;
          let rerunIndexes: number[] | undefined;
          if (!info || gone) {
            await storeMissingRuns({ history, key, runIndexes, status: gone ? 'not_run' : 'error', reason: gone ?? `${v.error?.stage} failed: ${v.error?.message}`, simulated, sha: v.sha256 });
            for (let k = 0; k < cfg.runs; k++) tick(`${entry.id} ${v.model} ${v.precision}`);
          } else {
            const common = { client, entry, model: info, key, iterations: cfg.iterations, warmupRuns: cfg.warmupRuns, throttleRetries: cfg.policy.throttleRetries, cooldownSec: cfg.policy.cooldownSec, history, afterRun: o.afterRun };
            const r = await runCellRuns({ ...common, runIndexes, onRun: () => tick(`${entry.id} ${v.model} ${v.precision}`) });
            if (r.deviceGone) deviceProblems.set(entry.id, r.deviceGone);
            rejected = r.rejected;
            if (!r.deviceGone && !rejected && cfg.policy.confirmByRerun) {
              // a first significant slowdown is confirmed (or not) at once by as many runs again
              const probe = await summarizeCell({ key, history, variant: v, policy: cfg.policy, plannedRuns: cfg.runs, deviceClass: entry.deviceClass, budgets, simulated });
              if (probe.comparison?.shift === 'slower' && probe.verdict === 'WARN') {
                rerunIndexes = runIndexes.map((k) => k + cfg.runs);
                await runCellRuns({ ...common, runIndexes: rerunIndexes });
              }
            }
          }
          const problem = deviceProblems.get(entry.id);
          out.push(
            await summarizeCell({ key, history, variant: v, policy: cfg.policy, plannedRuns: cfg.runs, deviceClass: entry.deviceClass, budgets, simulated, notRun: problem ? `device ${entry.id} offline: ${problem}` : undefined, rejected, rerunIndexes }),
          );
          const c = out[out.length - 1]!;
          await history.putCell(key, c.verdict, c);
        }
        return out;
      }),
    );
    cells.push(...perDevice.flat());
  } finally {
    await devices.close();
  }
  return finishNight({ o, history, cells, variants, deviceProblems, notices: devices.notices, devices: devices.entries.map((e) => ({ id: e.id, simulated: e.adb === 'embedded' })) });
}

/** Where built variants are cached: beside a SQLite database; with PostgreSQL, beside the night's report folder. */
export function labBuildCache(db: string, outDir: string): string {
  return isPostgresUrl(db) ? join(dirname(resolve(outDir)), 'lab-build') : join(dirname(resolve(db)), 'lab-build');
}
