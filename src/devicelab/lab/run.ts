/**
 * `mai lab nightly` as one library call: build every model × precision
 * (build.ts), open the devices (devices.ts), run every cell on every device
 * (devices in parallel, cells one after another on each; cell-runs.ts), judge
 * each cell against its history (cell-summary.ts), store everything, write the
 * HTML report. Never throws for a device or a model problem: each becomes a
 * cell verdict (NOT_RUN, ERROR) with its reason.
 */
import { promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../../core/fs-atomic.js';
import { loadBudgets, type Budgets } from '../../validate/budgets.js';
import type { ModelInfo } from '../deploy/deploy.js';
import { loadModel } from '../deploy/deploy.js';
import { ResultsStore } from '../store/results.js';
import { buildVariant, type BuiltVariant } from './build.js';
import { summarizeCell, type CellResult } from './cell-summary.js';
import { runCellRuns, storeMissingRuns } from './cell-runs.js';
import type { LabConfig } from './config.js';
import { openLabDevices } from './devices.js';
import { LabHistory, type LabRunRow } from './history.js';
import type { DeviceSummary, NightlyResult } from './nightly-result.js';
import { collectTrends } from './trend.js';
import { PASSING } from './verdict.js';

export interface NightlyOptions {
  config: LabConfig;
  /** YYYY-MM-DD */
  night: string;
  outDir: string;
  db: string;
  devicesFile: string;
  devicesFileExplicit?: boolean;
  onProgress?: (p: { done: number; total: number; label: string }) => void;
  /** called after each stored run row (tests use it to crash mid-night) */
  afterRun?: (row: LabRunRow) => void;
}

export type { DeviceSummary, NightlyResult } from './nightly-result.js';

export function nightExit(cells: readonly CellResult[], labFailure?: string): 0 | 1 | 3 {
  if (labFailure || cells.some((c) => c.verdict === 'NOT_RUN')) return 3;
  return cells.every((c) => PASSING.has(c.verdict)) ? 0 : 1;
}

export async function runNightly(o: NightlyOptions): Promise<NightlyResult> {
  const cfg = o.config;
  let budgets: Budgets | undefined;
  let budgetsText: string | undefined;
  if (cfg.budgets) {
    budgets = await loadBudgets(cfg.budgets);
    budgetsText = await fs.readFile(cfg.budgets, 'utf8');
  }
  const store = new ResultsStore(o.db);
  try {
    return await nightWithStore(o, store, budgets, budgetsText);
  } finally {
    store.close();
  }
}

async function nightWithStore(o: NightlyOptions, store: ResultsStore, budgets: Budgets | undefined, budgetsText: string | undefined): Promise<NightlyResult> {
  const cfg = o.config;
  const history = new LabHistory(store);
  const cacheDir = join(dirname(resolve(o.db)), 'lab-build');
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
            storeMissingRuns({ history, key, runIndexes, status: gone ? 'not_run' : 'error', reason: gone ?? `${v.error?.stage} failed: ${v.error?.message}`, simulated, sha: v.sha256 });
            for (let k = 0; k < cfg.runs; k++) tick(`${entry.id} ${v.model} ${v.precision}`);
          } else {
            const common = { client, entry, model: info, key, iterations: cfg.iterations, warmupRuns: cfg.warmupRuns, throttleRetries: cfg.policy.throttleRetries, cooldownSec: cfg.policy.cooldownSec, store, history, afterRun: o.afterRun };
            const r = await runCellRuns({ ...common, runIndexes, onRun: () => tick(`${entry.id} ${v.model} ${v.precision}`) });
            if (r.deviceGone) deviceProblems.set(entry.id, r.deviceGone);
            rejected = r.rejected;
            if (!r.deviceGone && !rejected && cfg.policy.confirmByRerun) {
              // a first significant slowdown is confirmed (or not) at once by as many runs again
              const probe = summarizeCell({ key, history, variant: v, policy: cfg.policy, plannedRuns: cfg.runs, deviceClass: entry.deviceClass, budgets, simulated });
              if (probe.comparison?.shift === 'slower' && probe.verdict === 'WARN') {
                rerunIndexes = runIndexes.map((k) => k + cfg.runs);
                await runCellRuns({ ...common, runIndexes: rerunIndexes });
              }
            }
          }
          const problem = deviceProblems.get(entry.id);
          out.push(
            summarizeCell({ key, history, variant: v, policy: cfg.policy, plannedRuns: cfg.runs, deviceClass: entry.deviceClass, budgets, simulated, notRun: problem ? `device ${entry.id} offline: ${problem}` : undefined, rejected, rerunIndexes }),
          );
          const c = out[out.length - 1]!;
          history.putCell(key, c.verdict, c);
        }
        return out;
      }),
    );
    cells.push(...perDevice.flat());
  } finally {
    await devices.close();
  }
  const previousNight = history.previousNight(o.night);
  const prevCells = new Map((previousNight ? history.cellsOfNight(previousNight) : []).map((c) => [`${c.model}|${c.precision}|${c.device}`, c.verdict]));
  const changes = !previousNight ? [] : cells
    .map((c) => ({ model: c.model, precision: c.precision, device: c.device, from: prevCells.get(`${c.model}|${c.precision}|${c.device}`) ?? null, to: c.verdict }))
    .filter((c) => c.from !== c.to);
  const trends = collectTrends(history, cells, o.night);
  const deviceSummaries: DeviceSummary[] = devices.entries.map((e) => {
    const mine = cells.filter((c) => c.device === e.id);
    const temps = mine.map((c) => c.health.maxTempC).filter((t): t is number => t !== undefined);
    const after = mine.map((c) => c.health.after).filter((h) => h !== undefined).pop();
    const problem = deviceProblems.get(e.id);
    return {
      id: e.id,
      simulated: e.adb === 'embedded',
      online: !problem,
      ...(problem ? { problem } : {}),
      ...(temps.length ? { maxTempC: Math.max(...temps) } : {}),
      throttledRuns: mine.reduce((n, c) => n + c.health.throttledRuns, 0),
      ...(after?.batteryLevel !== undefined ? { batteryLevel: after.batteryLevel } : {}),
      ...(after?.gpuMaxMHz !== undefined ? { gpuMaxMHz: after.gpuMaxMHz } : {}),
    };
  });
  const labFailure = deviceProblems.size ? [...deviceProblems].map(([id, p]) => `${id}: ${p}`).join('; ') : undefined;
  const report = join(o.outDir, 'index.html');
  const result: NightlyResult = {
    night: o.night,
    ...(previousNight ? { previousNight } : {}),
    config: cfg.file,
    db: o.db,
    report,
    simulated: cells.some((c) => c.simulated),
    cells,
    devices: deviceSummaries,
    changes,
    notices: devices.notices,
    ...(labFailure ? { labFailure } : {}),
    exit: nightExit(cells, labFailure),
    trends,
    variants,
    policy: cfg.policy,
  };
  const { renderNightlyHtml } = await import('./report/html.js');
  await fs.mkdir(o.outDir, { recursive: true });
  await writeFileAtomic(report, renderNightlyHtml(result));
  return result;
}
