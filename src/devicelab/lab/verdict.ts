/**
 * A cell's verdict from tonight's runs and its history (nightly-lab-anchors §2):
 * baseline = run medians of the last good nights; a shift counts only when the
 * one-sided Mann-Whitney U test is significant AND the effect is large enough
 * (ratio of medians and σ of the baseline from its MAD); one night is WARN, two
 * in a row (or a confirming rerun) REGRESSION. Accuracy, delegation and budgets
 * are exact checks that FAIL at once. Pure.
 */
import type { RegressionPolicy } from './config.js';
import { bootstrapRatioCi, madSigma, mannWhitneyU, median } from './stats/index.js';

export const VERDICTS = ['PASS', 'WARN', 'FAIL', 'REGRESSION', 'IMPROVED', 'INSUFFICIENT_DATA', 'NOT_RUN', 'ERROR'] as const;
export type CellVerdict = (typeof VERDICTS)[number];

/** Verdicts that do not fail the night (exit 0). */
export const PASSING: ReadonlySet<CellVerdict> = new Set(['PASS', 'WARN', 'IMPROVED', 'INSUFFICIENT_DATA']);

export interface Comparison {
  baselineNights: string[];
  baselineRuns: number;
  baselineP50Ms: number;
  /** σ of the baseline's run medians from the MAD, ms */
  baselineSigmaMs: number;
  /** median(tonight) / median(baseline) */
  ratio: number;
  ci: { low: number; high: number; level: number };
  /** one-sided p-values: tonight slower / faster than the baseline */
  pSlower: number;
  pFaster: number;
  /** significant and large enough */
  shift: 'slower' | 'faster' | null;
  /** why a significant p-value did not count (effect too small) */
  note?: string;
}

/** Compare tonight's run medians (µs) with the baseline's; undefined without data on either side. */
export function compareWithBaseline(tonightUs: readonly number[], baselineUs: readonly number[], baselineNights: string[], policy: RegressionPolicy, seed = 1): Comparison | undefined {
  if (tonightUs.length === 0 || baselineUs.length === 0) return undefined;
  const mT = median(tonightUs);
  const mB = median(baselineUs);
  const sigma = madSigma(baselineUs);
  const ci = bootstrapRatioCi(tonightUs, baselineUs, { resamples: policy.bootstrapResamples, seed });
  const pSlower = mannWhitneyU(tonightUs, baselineUs, 'greater').p;
  const pFaster = mannWhitneyU(tonightUs, baselineUs, 'less').p;
  const ratio = mT / mB;
  const bigEnough = (r: number, d: number) => r >= policy.minRatio && d >= policy.minSigmas * sigma;
  let shift: Comparison['shift'] = null;
  let note: string | undefined;
  if (pSlower < policy.alpha) {
    if (bigEnough(ratio, mT - mB)) shift = 'slower';
    else note = `slower with p = ${pSlower.toPrecision(2)} but by less than the minimum effect (${policy.minRatio}× and ${policy.minSigmas} σ)`;
  } else if (pFaster < policy.alpha) {
    if (bigEnough(1 / ratio, mB - mT)) shift = 'faster';
    else note = `faster with p = ${pFaster.toPrecision(2)} but by less than the minimum effect`;
  }
  return {
    baselineNights,
    baselineRuns: baselineUs.length,
    baselineP50Ms: mB / 1000,
    baselineSigmaMs: sigma / 1000,
    ratio,
    ci: { low: ci.low, high: ci.high, level: ci.level },
    pSlower,
    pFaster,
    shift,
    ...(note ? { note } : {}),
  };
}

/**
 * Init time and memory (anchors §2.5): tonight's runs significantly above the baseline's
 * (one-sided Mann-Whitney U below `alpha`) by at least `minRatio` and `minAbs`. A message, or undefined.
 */
export function secondaryIncrease(what: string, unit: string, tonight: readonly number[], baseline: readonly number[], o: { alpha: number; minRatio: number; minAbs: number }): string | undefined {
  if (tonight.length === 0 || baseline.length === 0) return undefined;
  const mT = median(tonight);
  const mB = median(baseline);
  if (!(mB > 0) || mT / mB < o.minRatio || mT - mB < o.minAbs) return undefined;
  const p = mannWhitneyU(tonight, baseline, 'greater').p;
  if (!(p < o.alpha)) return undefined;
  return `${what} ${(mT / mB).toFixed(3)}× the baseline (${mT.toFixed(1)} vs ${mB.toFixed(1)} ${unit}, p = ${p.toPrecision(2)})`;
}

export interface VerdictInput {
  /** the device was offline / unreachable: nothing ran */
  notRun?: string;
  /** convert / quantize / validate / deploy failed */
  error?: string;
  /** the GPU delegate refused the model under --require_full_delegation */
  rejected?: string;
  accuracy?: 'PASS' | 'WARN' | 'FAIL' | 'NONE';
  accuracyDetail?: string;
  latencyBudget?: { status: 'PASS' | 'WARN' | 'FAIL'; valueMs: number; maxMs: number };
  delegationChange?: string;
  validRuns: number;
  comparison?: Comparison;
  /** init time / memory grown past their minimum effect (WARN) */
  secondary?: string[];
  goodNights: number;
  /** the previous night of this cell was flagged slower */
  previousSlower: boolean;
  /** a rerun tonight confirmed the slowdown */
  confirmedByRerun: boolean;
  policy: RegressionPolicy;
}

export function decideVerdict(i: VerdictInput): { verdict: CellVerdict; reasons: string[] } {
  if (i.notRun) return { verdict: 'NOT_RUN', reasons: [i.notRun] };
  if (i.error) return { verdict: 'ERROR', reasons: [i.error] };
  const fail: string[] = [];
  if (i.rejected) fail.push(i.rejected);
  if (i.accuracy === 'FAIL') fail.push(`accuracy below budget${i.accuracyDetail ? `: ${i.accuracyDetail}` : ''}`);
  if (i.latencyBudget?.status === 'FAIL') fail.push(`latency p50 ${i.latencyBudget.valueMs.toFixed(3)} ms > budget ${i.latencyBudget.maxMs} ms`);
  if (i.delegationChange) fail.push(`delegation changed: ${i.delegationChange}`);
  if (fail.length) return { verdict: 'FAIL', reasons: fail };
  if (i.validRuns === 0) return { verdict: 'ERROR', reasons: ['no valid run (every run failed or was throttled)'] };
  const c = i.comparison;
  const warn: string[] = [];
  if (i.accuracy === 'WARN') warn.push(`accuracy close to its budget${i.accuracyDetail ? `: ${i.accuracyDetail}` : ''}`);
  if (i.latencyBudget?.status === 'WARN') warn.push(`latency p50 ${i.latencyBudget.valueMs.toFixed(3)} ms close to budget ${i.latencyBudget.maxMs} ms`);
  if (i.goodNights >= i.policy.minNights) warn.push(...(i.secondary ?? []));
  if (i.goodNights < i.policy.minNights || !c) {
    return warn.length ? { verdict: 'WARN', reasons: warn } : { verdict: 'INSUFFICIENT_DATA', reasons: [`${i.goodNights} good night(s) of history; ${i.policy.minNights} needed`] };
  }
  const desc = `${c.ratio.toFixed(3)}× the baseline (95 % CI ${c.ci.low.toFixed(3)}–${c.ci.high.toFixed(3)})`;
  if (c.shift === 'slower') {
    if (i.previousSlower) return { verdict: 'REGRESSION', reasons: [`slower two nights in a row: ${desc}, p = ${c.pSlower.toPrecision(2)}`] };
    if (i.confirmedByRerun) return { verdict: 'REGRESSION', reasons: [`slower, confirmed by a rerun: ${desc}, p = ${c.pSlower.toPrecision(2)}`] };
    return { verdict: 'WARN', reasons: [`slower tonight (suspicious; one night): ${desc}, p = ${c.pSlower.toPrecision(2)}`, ...warn] };
  }
  if (warn.length) return { verdict: 'WARN', reasons: warn };
  if (c.shift === 'faster') return { verdict: 'IMPROVED', reasons: [`faster: ${desc}, p = ${c.pFaster.toPrecision(2)}`] };
  return { verdict: 'PASS', reasons: [c.note ?? `within noise: ${desc}`] };
}
