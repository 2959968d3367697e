/**
 * Budgets → verdicts for one validation: every rule that applies to the
 * candidate (matched by name and task) is judged on the summary numbers.
 */
import {
  judge,
  latencyBudgets,
  metricBudget,
  metricDrop,
  matchModel,
  sizeBudget,
  type AgreementMetricName,
  type Budgets,
  type Task,
  type TaskMetricName,
  type Verdict,
} from './budgets.js';

export interface VerdictRow extends Verdict {
  /** what was checked, e.g. `metrics.sad.maxDrop`, `agreement.sqnr.min`, `size.maxBytes` */
  check: string;
  /** what `value` is, in words */
  measures: string;
  warnMargin: number;
  reference?: number;
  candidate?: number;
}

export interface SkippedRule {
  check: string;
  reason: string;
  /** the rule's limit, when it has one (e.g. a latency in ms) */
  limit?: number;
}

/** Why `mai validate` does not judge latency rules. */
export const LATENCY_SKIP_REASON = 'latency is measured by mai deploy';

export interface VerdictInput {
  task: Task;
  model: string;
  reference: Partial<Record<TaskMetricName, number>>;
  candidate: Partial<Record<TaskMetricName, number>>;
  agreement: Partial<Record<AgreementMetricName, number>>;
  candidateBytes: number;
}

export function budgetVerdicts(b: Budgets, v: VerdictInput): { verdicts: VerdictRow[]; skipped: SkippedRule[]; matched: string[] } {
  const verdicts: VerdictRow[] = [];
  const skipped: SkippedRule[] = [];
  const matched = matchModel(b, v.model, v.task).map((m) => m.pattern);
  const rules = metricBudget(b, v.model, v.task);
  for (const [metric, rule] of Object.entries(rules.metrics) as Array<[TaskMetricName, NonNullable<(typeof rules.metrics)[TaskMetricName]>]>) {
    const ref = v.reference[metric];
    const cand = v.candidate[metric];
    const base = `metrics.${metric}`;
    if (ref === undefined || cand === undefined) {
      skipped.push({ check: base, reason: `${metric} is not measured for the ${v.task} task` });
      continue;
    }
    const drop = metricDrop(metric, ref, cand);
    const common = { warnMargin: rule.warnMargin, reference: ref, candidate: cand };
    if (rule.maxDrop !== undefined) {
      if (Number.isFinite(drop) || Number.isNaN(drop)) verdicts.push({ check: `${base}.maxDrop`, measures: `${metric} drop (candidate vs reference)`, ...common, ...judge(drop, rule.maxDrop, 'max', rule.warnMargin) });
      else skipped.push({ check: `${base}.maxDrop`, reason: `drop is ${drop} (reference ${ref}, candidate ${cand})` });
    }
    if (rule.maxDropRel !== undefined) {
      const rel = drop / Math.abs(ref);
      if (ref !== 0 && Number.isFinite(ref) && !Number.isNaN(rel)) verdicts.push({ check: `${base}.maxDropRel`, measures: `${metric} relative drop`, ...common, ...judge(rel, rule.maxDropRel, 'max', rule.warnMargin) });
      else skipped.push({ check: `${base}.maxDropRel`, reason: `a relative drop needs a finite, non-zero reference value (reference ${metric} = ${ref})` });
    }
    if (rule.min !== undefined) verdicts.push({ check: `${base}.min`, measures: `candidate ${metric}`, ...common, ...judge(cand, rule.min, 'min', rule.warnMargin) });
    if (rule.max !== undefined) verdicts.push({ check: `${base}.max`, measures: `candidate ${metric}`, ...common, ...judge(cand, rule.max, 'max', rule.warnMargin) });
  }
  for (const [metric, rule] of Object.entries(rules.agreement) as Array<[AgreementMetricName, NonNullable<(typeof rules.agreement)[AgreementMetricName]>]>) {
    const value = v.agreement[metric]!;
    if (rule.min !== undefined) verdicts.push({ check: `agreement.${metric}.min`, measures: `${metric} candidate vs reference`, warnMargin: rule.warnMargin, ...judge(value, rule.min, 'min', rule.warnMargin) });
    if (rule.max !== undefined) verdicts.push({ check: `agreement.${metric}.max`, measures: `${metric} candidate vs reference`, warnMargin: rule.warnMargin, ...judge(value, rule.max, 'max', rule.warnMargin) });
  }
  const size = sizeBudget(b, v.model);
  if (size) verdicts.push({ check: 'size.maxBytes', measures: 'candidate file size (bytes)', warnMargin: size.warnMargin, ...judge(v.candidateBytes, size.maxBytes, 'max', size.warnMargin) });
  for (const [device, l] of Object.entries(latencyBudgets(b, v.model))) {
    skipped.push({ check: `latency.${device}.maxMs`, reason: LATENCY_SKIP_REASON, limit: l.maxMs });
  }
  return { verdicts, skipped, matched };
}

