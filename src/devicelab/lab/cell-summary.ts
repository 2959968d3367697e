/**
 * A cell's numbers and verdict from what the store holds: tonight's run rows,
 * the cell's earlier nights (baseline of the last good nights, last night's
 * flag, delegation), the variant's accuracy and the budgets.
 */
import type { Health } from '../deploy/health.js';
import { judge, latencyBudget, type Budgets } from '../../validate/budgets.js';
import type { BuiltVariant } from './build.js';
import type { RegressionPolicy } from './config.js';
import type { CellKey, LabHistory, LabRunRow } from './history.js';
import { median, quantile, std } from './stats/index.js';
import { compareWithBaseline, decideVerdict, secondaryIncrease, type CellVerdict, type Comparison } from './verdict.js';

export interface CellResult extends CellKey {
  verdict: CellVerdict;
  reasons: string[];
  simulated: boolean;
  modelSha256?: string;
  runs: { planned: number; ok: number; throttledDiscarded: number; failed: number };
  /** statistics of the run medians, ms */
  latency: { p50Ms: number | null; p90Ms: number | null; minMs: number | null; stdMs: number | null; runMediansMs: number[] };
  initMs: number | null;
  memoryMb: number | null;
  delegation: { delegatedNodes: number | null; totalNodes: number | null; partitions: number | null; changedFrom?: { delegatedNodes: number | null; partitions: number | null; night: string } };
  accuracy: BuiltVariant['accuracy'] | null;
  baseline: { nights: string[]; runs: number; p50Ms: number; sigmaMs: number } | null;
  comparison: { ratio: number; ci95: [number, number]; pSlower: number; pFaster: number; shift: Comparison['shift']; confirmedByRerun?: boolean } | null;
  latencyBudget?: { status: 'PASS' | 'WARN' | 'FAIL'; maxMs: number };
  health: { before?: Health; after?: Health; maxTempC?: number; throttledRuns: number };
  error?: string;
}

/** Nights whose latency can serve as a baseline: measured and not flagged slower. */
export function isGoodNight(verdict: string, summary: Partial<CellResult>): boolean {
  if (!['PASS', 'IMPROVED', 'INSUFFICIENT_DATA', 'WARN'].includes(verdict)) return false;
  if (summary.comparison?.shift === 'slower') return false;
  return (summary.runs?.ok ?? 0) > 0;
}

const ms = (us: number | null | undefined) => (us === null || us === undefined ? null : us / 1000);
const json = <T>(s: string | null): T | undefined => (s ? (JSON.parse(s) as T) : undefined);

export interface SummarizeInput {
  key: CellKey;
  history: LabHistory;
  variant: BuiltVariant;
  policy: RegressionPolicy;
  plannedRuns: number;
  deviceClass: string;
  budgets?: Budgets;
  simulated: boolean;
  notRun?: string;
  rejected?: string;
  /** run indexes of tonight's confirming rerun, if one ran */
  rerunIndexes?: number[];
}

export async function summarizeCell(i: SummarizeInput): Promise<CellResult> {
  const rows = await i.history.runs(i.key);
  const ok = rows.filter((r) => r.status === 'ok' && r.median_us !== null);
  const rerun = new Set(i.rerunIndexes ?? []);
  const first = ok.filter((r) => !rerun.has(r.run));
  const medians = first.map((r) => r.median_us!);
  const cell = { model: i.key.model, precision: i.key.precision, device: i.key.device };
  // history: newest first
  const before = (await i.history.cellsBefore(cell, i.key.night)).map((c) => ({ ...c, s: JSON.parse(c.summary) as Partial<CellResult> }));
  const good = before.filter((c) => isGoodNight(c.verdict, c.s)).slice(0, i.policy.baselineNights);
  const baselineNights = good.map((c) => c.night).reverse();
  const baselineRows = (await i.history.runsOfNights(cell, baselineNights)).filter((r) => r.status === 'ok' && r.median_us !== null);
  const baselineUs = baselineRows.map((r) => r.median_us!);
  const values = (rs: LabRunRow[], k: 'init_us' | 'mem_mb') => rs.map((r) => r[k]).filter((v): v is number => v !== null);
  const secondary = [
    secondaryIncrease('init time', 'ms', values(first, 'init_us').map((v) => v / 1000), values(baselineRows, 'init_us').map((v) => v / 1000), { alpha: i.policy.alpha, minRatio: 1.1, minAbs: 0 }),
    secondaryIncrease('memory', 'MB', values(first, 'mem_mb'), values(baselineRows, 'mem_mb'), { alpha: i.policy.alpha, minRatio: 1.05, minAbs: 2 }),
  ].filter((m): m is string => m !== undefined);
  const seed = medians.length ? Math.round(medians[0]!) : 1;
  let comparison = compareWithBaseline(medians, baselineUs, baselineNights, i.policy, seed);
  let confirmedByRerun = false;
  if (rerun.size && comparison?.shift === 'slower') {
    const again = compareWithBaseline(ok.filter((r) => rerun.has(r.run)).map((r) => r.median_us!), baselineUs, baselineNights, i.policy, seed + 1);
    confirmedByRerun = again?.shift === 'slower';
  }
  const previousSlower = before[0]?.s.comparison?.shift === 'slower';
  // delegation: tonight vs the latest night that ran
  const last = [...rows].reverse().find((r) => r.status === 'ok' || r.status === 'rejected' || r.status === 'throttled');
  const prevDelegation = before.find((c) => c.s.delegation && c.s.delegation.delegatedNodes !== null && c.s.delegation.delegatedNodes !== undefined);
  let delegationChange: string | undefined;
  let changedFrom: CellResult['delegation']['changedFrom'];
  if (last && prevDelegation && last.delegated_nodes !== null) {
    const pd = prevDelegation.s.delegation!;
    if (pd.delegatedNodes !== last.delegated_nodes || (pd.partitions !== null && last.partitions !== null && pd.partitions !== last.partitions)) {
      delegationChange = `${pd.delegatedNodes} → ${last.delegated_nodes} delegated nodes, ${pd.partitions} → ${last.partitions} partitions (since ${prevDelegation.night})`;
      changedFrom = { delegatedNodes: pd.delegatedNodes, partitions: pd.partitions, night: prevDelegation.night };
    }
  }
  const p50 = medians.length ? median(medians) : null;
  let budget: CellResult['latencyBudget'];
  let budgetInput: Parameters<typeof decideVerdict>[0]['latencyBudget'];
  if (i.budgets && p50 !== null) {
    const b = latencyBudget(i.budgets, `${i.key.model}-${i.key.precision}`, i.deviceClass);
    if (b) {
      const v = judge(p50 / 1000, b.maxMs, 'max', b.warnMargin);
      budget = { status: v.status, maxMs: b.maxMs };
      budgetInput = { status: v.status, valueMs: p50 / 1000, maxMs: b.maxMs };
    }
  }
  const acc = i.variant.accuracy;
  const failedChecks = acc?.verdicts.filter((v) => v.status !== 'PASS').map((v) => `${v.check} ${v.value.toPrecision(4)} (limit ${v.limit})`) ?? [];
  const failedRows = rows.filter((r) => r.status === 'failed' || r.status === 'error');
  const buildError = i.variant.error ? `${i.variant.error.stage} failed: ${i.variant.error.message}` : undefined;
  const deployError = !buildError && medians.length === 0 && failedRows.length ? `deploy failed: ${failedRows[failedRows.length - 1]!.error}` : undefined;
  const { verdict, reasons } = decideVerdict({
    notRun: i.notRun,
    error: buildError ?? (i.rejected ? undefined : deployError),
    rejected: i.rejected,
    accuracy: acc?.status,
    accuracyDetail: failedChecks.join(', ') || undefined,
    latencyBudget: budgetInput,
    delegationChange,
    validRuns: medians.length,
    comparison,
    secondary,
    goodNights: baselineNights.length,
    previousSlower,
    confirmedByRerun,
    policy: i.policy,
  });
  if (comparison && verdict === 'INSUFFICIENT_DATA') comparison = { ...comparison, shift: null };
  const withHealth = rows.filter((r) => r.health_before || r.health_after);
  const hb = json<Health>(withHealth[0]?.health_before ?? null);
  const ha = json<Health>(withHealth[withHealth.length - 1]?.health_after ?? null);
  const temps = withHealth.flatMap((r) => [json<Health>(r.health_before)?.maxTempC, json<Health>(r.health_after)?.maxTempC]).filter((t): t is number => t !== undefined);
  const throttled = rows.reduce((n, r) => n + (r.discarded ? (JSON.parse(r.discarded) as unknown[]).length : 0) + (r.status === 'throttled' ? 1 : 0), 0);
  const num = (xs: Array<number | null>) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length ? median(v) : null;
  };
  return {
    ...i.key,
    verdict,
    reasons,
    simulated: i.simulated || rows.some((r) => r.simulated === 1),
    ...(i.variant.sha256 ? { modelSha256: i.variant.sha256 } : {}),
    runs: { planned: i.plannedRuns, ok: first.length, throttledDiscarded: throttled, failed: failedRows.length },
    latency: {
      p50Ms: ms(p50),
      p90Ms: medians.length ? ms(quantile(medians, 0.9)) : null,
      minMs: medians.length ? ms(Math.min(...medians)) : null,
      stdMs: medians.length ? ms(std(medians)) : null,
      runMediansMs: medians.map((m) => m / 1000),
    },
    initMs: ms(num(first.map((r: LabRunRow) => r.init_us))),
    memoryMb: num(first.map((r) => r.mem_mb)),
    delegation: { delegatedNodes: last?.delegated_nodes ?? null, totalNodes: last?.total_nodes ?? null, partitions: last?.partitions ?? null, ...(changedFrom ? { changedFrom } : {}) },
    accuracy: acc ?? null,
    baseline: comparison ? { nights: comparison.baselineNights, runs: comparison.baselineRuns, p50Ms: comparison.baselineP50Ms, sigmaMs: comparison.baselineSigmaMs } : null,
    comparison: comparison
      ? { ratio: comparison.ratio, ci95: [comparison.ci.low, comparison.ci.high], pSlower: comparison.pSlower, pFaster: comparison.pFaster, shift: comparison.shift, ...(rerun.size ? { confirmedByRerun } : {}) }
      : null,
    ...(budget ? { latencyBudget: budget } : {}),
    health: { ...(hb ? { before: hb } : {}), ...(ha ? { after: ha } : {}), ...(temps.length ? { maxTempC: Math.max(...temps) } : {}), throttledRuns: throttled },
    ...(buildError || deployError || i.notRun ? { error: i.notRun ?? buildError ?? deployError } : {}),
  };
}
