/**
 * Budget-driven mixed precision (`mai quantize --max-drop sqnr=25`): keep the
 * most sensitive layers in float until the int8 model meets the budget.
 *
 * 1. Plain int8; if it meets the budget, done.
 * 2. Sensitivity of every int8 layer, measured: the final-output metric of a
 *    model where only that layer is int8 (every other layer float).
 * 3. The least sensitive layer's value is the "all float but one" model: if
 *    even that misses the budget, no int8 layer fits it — a verdict (exit 1).
 * 4. Otherwise keep the k most sensitive layers float, k found by binary search
 *    over [1, n − 1] (the metric is close to monotonic in k in sensitivity
 *    order; the returned model is always one that was measured to pass).
 *
 * The budget is judged on the final outputs against the float model, with
 * validate's agreement metrics (worst over the model's outputs).
 */
import { inputError, internalError } from '../core/errors.js';
import type { Graph } from '../ir/graph.js';
import type { HostTensor } from '../runtime/types.js';
import { agreementMetrics, METRICS, AGREEMENT_METRIC_NAMES } from '../validate/metrics/index.js';
import { TASK_METRICS, type TaskMetricName } from '../validate/budgets.js';
import { runAll } from './report.js';
import type { Int8Result } from './types.js';

export type AgreementBudgetMetric = (typeof AGREEMENT_METRIC_NAMES)[number];
export type BudgetMetric = AgreementBudgetMetric | TaskMetricName;

export interface OutputBudget {
  metric: BudgetMetric;
  /** the bound: a minimum for higher-is-better agreement metrics (sqnr, cosine), a maximum otherwise */
  limit: number;
  direction: 'min' | 'max';
  /**
   * Task metrics (sad, mse, grad, conn, iou: matting; psnr, ssim: bokeh) need ground truth;
   * their value is the drop of the quantized model's mean against the float model's, bounded above.
   */
  task?: 'matting' | 'bokeh';
}

const BUDGET_METRICS: readonly string[] = [...AGREEMENT_METRIC_NAMES, ...TASK_METRICS];

/**
 * Agreement with the float model: `sqnr=25` (output SQNR ≥ 25 dB), `cosine=0.999`, `rmse=0.01`,
 * `max_abs=0.05`, `mean_abs=…`. Task metrics with ground truth: `sad=0.5`, `iou=0.02`,
 * `psnr=0.5` … = the most the metric may get worse than the float model's.
 */
export function parseMaxDrop(spec: string): OutputBudget {
  const m = /^\s*([a-z_]+)\s*=\s*(-?[0-9.eE+-]+)\s*$/.exec(spec);
  const metric = m?.[1] as BudgetMetric | undefined;
  const limit = Number(m?.[2]);
  if (!m || !metric || !BUDGET_METRICS.includes(metric) || !Number.isFinite(limit)) {
    throw inputError('bad-option', `--max-drop expects METRIC=VALUE with METRIC one of ${BUDGET_METRICS.join(', ')} (e.g. sqnr=25), got '${spec}'`, {
      hint: 'sqnr=25: output SQNR ≥ 25 dB against the float model; cosine=0.999: cosine ≥ 0.999; rmse / max_abs / mean_abs: upper bounds; task metrics (need ground truth): allowed drop vs the float model',
    });
  }
  const spec_ = METRICS[metric];
  if (spec_.task === 'agreement') return { metric, limit, direction: spec_.higherIsBetter ? 'min' : 'max' };
  if (limit < 0) throw inputError('bad-option', `--max-drop '${spec}': the allowed drop of a task metric must be ≥ 0`);
  return { metric, limit, direction: 'max', task: spec_.task };
}

export const meets = (b: OutputBudget, v: number): boolean => (b.direction === 'min' ? v >= b.limit : v <= b.limit);
/** true when value a is worse than value b under the budget's direction */
const worse = (b: OutputBudget, a: number, c: number): boolean => (b.direction === 'min' ? a < c : a > c);

/** The budget's metric of a candidate's outputs against the float reference outputs (worst over outputs, all samples pooled). */
export function outputMetric(b: OutputBudget, ref: readonly HostTensor[][], cand: readonly HostTensor[][]): number {
  if (b.task) throw internalError(`outputMetric: ${b.metric} is a task metric; pass a scorer`);
  let worst: number | undefined;
  const nOut = ref[0]?.length ?? 0;
  for (let k = 0; k < nOut; k++) {
    const r: number[] = [];
    const c: number[] = [];
    ref.forEach((s, i) => {
      for (const v of s[k]!.data as Float32Array) r.push(v);
      for (const v of cand[i]![k]!.data as Float32Array) c.push(v);
    });
    const v = agreementMetrics(r, c)[b.metric as AgreementBudgetMetric];
    if (worst === undefined || worse(b, v, worst)) worst = v;
  }
  return worst ?? NaN;
}

export interface MixedPrecisionStep {
  /** how many of the most sensitive layers were kept float */
  keptFloat: number;
  value: number;
  pass: boolean;
}

export interface Sensitivity {
  node: string;
  op: string;
  /** the budget metric with only this layer in int8 */
  value: number;
}

export interface MixedPrecisionResult {
  budget: OutputBudget;
  met: boolean;
  /** plain int8's value */
  int8Value: number;
  /** the chosen model's value (plain int8's when nothing needed to stay float; the all-float-but-one value when unmet) */
  value: number;
  /** nodes the budget kept float, most sensitive first */
  keptFloat: string[];
  /** most sensitive first (empty when plain int8 met the budget) */
  sensitivity: Sensitivity[];
  steps: MixedPrecisionStep[];
  /** the chosen quantization (plain int8 when it met the budget; plain int8 when unmet) */
  result: Int8Result;
  /** why the budget cannot be met */
  reason?: string;
}

export interface MixedPrecisionOptions {
  floatGraph: Graph;
  budget: OutputBudget;
  /** quantize with these nodes kept float (quantizeInt8 with the calibration statistics bound) */
  quantize(keepFloat: ReadonlySet<string>): Int8Result;
  /** the samples the budget is judged on, and the float model's outputs on them */
  samples: readonly HostTensor[][];
  reference?: readonly HostTensor[][];
  /** the budget's value of candidate outputs (default: outputMetric, agreement with the float outputs) */
  score?(reference: readonly HostTensor[][], candidate: readonly HostTensor[][]): number;
  /** progress: phase and done / total */
  onProgress?(phase: 'sensitivity' | 'search', done: number, total: number): void;
}

export async function mixedPrecision(o: MixedPrecisionOptions): Promise<MixedPrecisionResult> {
  const b = o.budget;
  const reference = o.reference ?? (await runAll(o.floatGraph, o.samples));
  const score = o.score ?? ((r: readonly HostTensor[][], c: readonly HostTensor[][]) => outputMetric(b, r, c));
  const measure = async (g: Graph) => score(reference, await runAll(g, o.samples));
  const base = o.quantize(new Set());
  const int8Value = await measure(base.graph);
  const steps: MixedPrecisionStep[] = [{ keptFloat: 0, value: int8Value, pass: meets(b, int8Value) }];
  if (meets(b, int8Value)) return { budget: b, met: true, int8Value, value: int8Value, keptFloat: [], sensitivity: [], steps, result: base };

  // the layers int8 in the plain model: nodes writing an int8 activation, not kept float by the quantizer itself
  const autoFloat = new Set(base.keptFloat.map((k) => k.node));
  const writers = new Set(base.tensors.filter((t) => t.kind === 'activation' && t.node).map((t) => t.node!));
  const candidates = o.floatGraph.nodes.filter((n) => writers.has(n.name) && !autoFloat.has(n.name)).map((n) => n.name);
  const opOf = new Map(o.floatGraph.nodes.map((n) => [n.name, n.op] as const));
  if (candidates.length === 0) {
    return { budget: b, met: false, int8Value, value: int8Value, keptFloat: [], sensitivity: [], steps, result: base, reason: 'no layer is int8' };
  }
  const sensitivity: Sensitivity[] = [];
  for (const [i, node] of candidates.entries()) {
    const keep = new Set(candidates.filter((c) => c !== node));
    sensitivity.push({ node, op: opOf.get(node) ?? '', value: await measure(o.quantize(keep).graph) });
    o.onProgress?.('sensitivity', i + 1, candidates.length);
  }
  // most sensitive (worst value when alone in int8) first; ties keep graph order
  const order = sensitivity.map((s, i) => ({ s, i })).sort((x, y) => (worse(b, x.s.value, y.s.value) ? -1 : worse(b, y.s.value, x.s.value) ? 1 : x.i - y.i)).map((x) => x.s);
  const n = order.length;
  const best = order[n - 1]!;
  if (n === 1 || !meets(b, best.value)) {
    const fmtV = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : v);
    return {
      budget: b,
      met: false,
      int8Value,
      value: best.value,
      keptFloat: [],
      sensitivity: order,
      steps,
      result: base,
      reason:
        n === 1
          ? `plain int8 gives ${b.task ? `a ${b.metric} drop of` : b.metric} ${fmtV(int8Value)} and it has only one int8 layer (${best.node})`
          : `even with every layer but the least sensitive one (${best.node}, ${best.op}) kept float, ${b.task ? `the ${b.metric} drop` : b.metric} is ${fmtV(best.value)} (budget ${b.direction === 'min' ? '≥' : '≤'} ${b.limit})`,
    };
  }
  steps.push({ keptFloat: n - 1, value: best.value, pass: true });
  // smallest k in [1, n − 1] that passes; k = 0 fails, k = n − 1 passes
  let lo = 0;
  let hi = n - 1;
  let hiValue = best.value;
  let hiResult: Int8Result | undefined;
  let probes = 0;
  const total = Math.ceil(Math.log2(n));
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const r = o.quantize(new Set(order.slice(0, mid).map((s) => s.node)));
    const v = await measure(r.graph);
    const pass = meets(b, v);
    steps.push({ keptFloat: mid, value: v, pass });
    if (pass) {
      hi = mid;
      hiValue = v;
      hiResult = r;
    } else lo = mid;
    o.onProgress?.('search', ++probes, total);
  }
  const kept = order.slice(0, hi).map((s) => s.node);
  const result = hiResult ?? o.quantize(new Set(kept));
  return { budget: b, met: true, int8Value, value: hiValue, keptFloat: kept, sensitivity: order, steps, result };
}
