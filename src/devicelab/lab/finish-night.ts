/**
 * The end of a night, single-host (run.ts) or spread over workers
 * (queued-night.ts): changes since the previous night, trends, per-device
 * health, the exit code and the HTML report.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/fs-atomic.js';
import type { BuiltVariant } from './build.js';
import type { CellResult } from './cell-summary.js';
import type { LabConfig } from './config.js';
import type { LabHistory } from './history.js';
import { nightExit, type DeviceSummary, type NightlyResult } from './night-result.js';
import { collectTrends } from './trend.js';

export async function finishNight(i: {
  o: { config: LabConfig; night: string; outDir: string };
  history: LabHistory;
  cells: CellResult[];
  variants: BuiltVariant[];
  deviceProblems: Map<string, string>;
  notices: string[];
  devices: Array<{ id: string; simulated: boolean }>;
}): Promise<NightlyResult> {
  const { o, history, cells, deviceProblems } = i;
  const cfg = o.config;
  const previousNight = await history.previousNight(o.night);
  const prevCells = new Map((previousNight ? await history.cellsOfNight(previousNight) : []).map((c) => [`${c.model}|${c.precision}|${c.device}`, c.verdict]));
  const changes = !previousNight ? [] : cells
    .map((c) => ({ model: c.model, precision: c.precision, device: c.device, from: prevCells.get(`${c.model}|${c.precision}|${c.device}`) ?? null, to: c.verdict }))
    .filter((c) => c.from !== c.to);
  const trends = await collectTrends(history, cells, o.night);
  const deviceSummaries: DeviceSummary[] = i.devices.map((e) => {
    const mine = cells.filter((c) => c.device === e.id);
    const temps = mine.map((c) => c.health.maxTempC).filter((t): t is number => t !== undefined);
    const after = mine.map((c) => c.health.after).filter((h) => h !== undefined).pop();
    const problem = deviceProblems.get(e.id);
    return {
      id: e.id,
      simulated: e.simulated || mine.some((c) => c.simulated),
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
    db: history.location,
    report,
    simulated: cells.some((c) => c.simulated),
    cells,
    devices: deviceSummaries,
    changes,
    notices: i.notices,
    ...(labFailure ? { labFailure } : {}),
    exit: nightExit(cells, labFailure),
    trends,
    variants: i.variants,
    policy: cfg.policy,
  };
  const { renderNightlyHtml } = await import('./report/html.js');
  await fs.mkdir(o.outDir, { recursive: true });
  await writeFileAtomic(report, renderNightlyHtml(result));
  return result;
}
