/**
 * Budgets: what a model may lose in accuracy, how slow it may run per device
 * class and how big its file may be (`budgets.yaml`, validated with zod; every
 * error names the line and the field).
 *
 * Format (see the example `budgets.yaml` at the repository root):
 *
 * ```yaml
 * version: 1
 * warnMargin: 0.1            # WARN when within 10 % (relative) of a limit; 0.1 is also the default
 * models:
 *   "selfie_segmentation*":  # model name = file stem; glob (* ? [..]) allowed
 *     task: matting          # optional: the rules apply to this task only
 *     metrics:               # candidate vs reference on ground truth: allowed drop
 *       sad:  { maxDrop: 0.5 }        # absolute, in the metric's reported unit
 *       iou:  { maxDropRel: 0.02 }    # relative to the reference's value
 *       mse:  { max: 0.01 }           # or an absolute bound on the candidate
 *     agreement:             # candidate vs reference outputs: absolute bounds (min / max only)
 *       sqnr: { min: 20 }
 *       max_abs: { max: 0.2 }
 *     latency:
 *       kirin9000: 12                 # ms, or { maxMs: 12, warnMargin: 0.2 }
 *     size: { maxMB: 1.5 }            # or { maxBytes: 1500000 }
 * ```
 *
 * Without `warnMargin` anywhere, WARN starts within
 * DEFAULT_WARN_MARGIN = 0.1 (10 %, relative to |limit|) of a limit; a model
 * entry's `warnMargin` overrides the file's, a rule's own overrides both.
 *
 * `latency` rules are judged by `mai deploy` (it measures on a device);
 * `mai validate` lists them as skipped, never silently drops them.
 *
 * "Drop" is direction-aware: for lower-is-better metrics (SAD, MSE, Grad, Conn,
 * errors) drop = candidate − reference; for higher-is-better ones (IoU, PSNR,
 * SSIM, cosine, SQNR) drop = reference − candidate.
 */
import { readInputText } from '../core/read-input.js';
import { basename } from 'node:path';
import type { LineCounter } from 'yaml';
import { z } from 'zod';
import { inputError } from '../core/errors.js';
import { parseYamlWithLines, yamlLineAt, yamlNodeLine } from '../core/yaml-lines.js';
import { AGREEMENT_METRIC_NAMES, BOKEH_METRICS, MATTING_METRICS, METRICS } from './metrics/index.js';

export type Task = 'matting' | 'bokeh';

/** WARN when a value is within this fraction of its limit, unless the file says otherwise (0.1 = 10 %). */
export const DEFAULT_WARN_MARGIN = 0.1;

/** The metrics a budget can name (defined, with their direction, in metrics/index.ts). */
export const TASK_METRICS = [...MATTING_METRICS, ...BOKEH_METRICS] as const;
export const AGREEMENT_METRICS = AGREEMENT_METRIC_NAMES;
export type TaskMetricName = (typeof TASK_METRICS)[number];
export type AgreementMetricName = (typeof AGREEMENT_METRICS)[number];

export interface MetricRule {
  /** allowed absolute degradation vs the reference, in the metric's reported unit */
  maxDrop?: number;
  /** allowed degradation relative to |reference value| (0.02 = 2 %) */
  maxDropRel?: number;
  /** absolute lower bound on the candidate's value */
  min?: number;
  /** absolute upper bound on the candidate's value */
  max?: number;
  warnMargin: number;
}

export interface LatencyLimit {
  maxMs: number;
  warnMargin: number;
}

export interface SizeLimit {
  maxBytes: number;
  warnMargin: number;
}

export interface ModelBudget {
  /** the key as written: a model name or a glob */
  pattern: string;
  /** 1-based line of the key in the file */
  line?: number;
  task?: Task;
  warnMargin: number;
  metrics: Partial<Record<TaskMetricName, MetricRule>>;
  agreement: Partial<Record<AgreementMetricName, MetricRule>>;
  latency: Record<string, LatencyLimit>;
  size?: SizeLimit;
}

export interface Budgets {
  file?: string;
  warnMargin: number;
  models: ModelBudget[];
}

export type VerdictStatus = 'PASS' | 'WARN' | 'FAIL';

/**
 * `margin` is the signed headroom in the value's unit: limit − value for a
 * 'max' limit, value − limit for a 'min' limit (negative = past the limit).
 */
export interface Verdict {
  status: VerdictStatus;
  value: number;
  limit: number;
  margin: number;
}

// ---------------------------------------------------------------- schema

const margin = z.number().min(0).max(1);

const ruleSchema = z
  .strictObject({
    maxDrop: z.number().min(0).optional(),
    maxDropRel: z.number().min(0).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    warnMargin: margin.optional(),
  })
  .refine((r) => r.maxDrop !== undefined || r.maxDropRel !== undefined || r.min !== undefined || r.max !== undefined, {
    message: 'a rule needs at least one of maxDrop, maxDropRel, min, max',
  });

const boundSchema = z
  .strictObject({ min: z.number().optional(), max: z.number().optional(), warnMargin: margin.optional() })
  .refine((r) => r.min !== undefined || r.max !== undefined, { message: 'an agreement rule needs min or max' });

const metricsSchema = z.strictObject(Object.fromEntries(TASK_METRICS.map((m) => [m, ruleSchema.optional()])) as Record<TaskMetricName, z.ZodOptional<typeof ruleSchema>>);
const agreementSchema = z.strictObject(
  Object.fromEntries(AGREEMENT_METRICS.map((m) => [m, boundSchema.optional()])) as Record<AgreementMetricName, z.ZodOptional<typeof boundSchema>>,
);

const latencySchema = z.union([z.number().positive(), z.strictObject({ maxMs: z.number().positive(), warnMargin: margin.optional() })], {
  error: 'expected a latency in ms (a positive number) or { maxMs, warnMargin }',
});

const sizeSchema = z
  .strictObject({ maxBytes: z.number().int().positive().optional(), maxMB: z.number().positive().optional(), warnMargin: margin.optional() })
  .refine((s) => (s.maxBytes === undefined) !== (s.maxMB === undefined), { message: 'size needs exactly one of maxBytes, maxMB' });

const modelSchema = z.strictObject({
  task: z.enum(['matting', 'bokeh']).optional(),
  warnMargin: margin.optional(),
  metrics: metricsSchema.optional(),
  agreement: agreementSchema.optional(),
  latency: z.record(z.string(), latencySchema).optional(),
  size: sizeSchema.optional(),
});

const fileSchema = z.strictObject({
  version: z.literal(1).optional(),
  warnMargin: margin.optional(),
  models: z.record(z.string(), modelSchema),
});

type FileShape = z.infer<typeof fileSchema>;

// ---------------------------------------------------------------- parsing

function allowedKeys(path: ReadonlyArray<PropertyKey>): string[] | undefined {
  const last = path[path.length - 1];
  if (path.length === 0) return Object.keys(fileSchema.shape);
  if (path.length === 2 && path[0] === 'models') return Object.keys(modelSchema.shape);
  if (last === 'metrics') return [...TASK_METRICS];
  if (last === 'agreement') return [...AGREEMENT_METRICS];
  if (path.length === 4 && path[2] === 'agreement') return ['min', 'max', 'warnMargin'];
  if (path.length === 4 && path[2] === 'metrics') return ['maxDrop', 'maxDropRel', 'min', 'max', 'warnMargin'];
  return undefined;
}

/** Parse and validate budgets YAML text. Errors name the file, the line and the field. */
export function parseBudgets(text: string, file?: string): Budgets {
  const where = file ?? '<budgets>';
  const { doc, lc } = parseYamlWithLines(text, where, 'budgets-yaml', { file, hint: 'fix the YAML syntax at that line' });
  const data: unknown = doc.toJS();
  const parsed = fileSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((issue) => {
      let path = issue.path.map(String);
      let line: number | undefined;
      if (issue.code === 'unrecognized_keys') {
        path = [...path, issue.keys[0]!];
        const at = yamlLineAt(doc.contents, lc, path);
        if (at.depth === path.length) line = at.line;
        const allowed = allowedKeys(issue.path);
        if (allowed) return `${where}:${line ?? 1}: ${path.join('.')}: unknown field (expected one of: ${allowed.join(', ')})`;
      } else {
        // the deepest key on the path, or where the document starts
        line = yamlLineAt(doc.contents, lc, issue.path).line ?? yamlNodeLine(lc, doc.contents);
      }
      const field = path.length ? path.join('.') : '(top level)';
      return `${where}:${line ?? 1}: ${field}: ${issue.message}`;
    });
    throw inputError('budgets-invalid', msgs[0]!, {
      file,
      hint: msgs.length > 1 ? `${msgs.length} problems:\n    ${msgs.join('\n    ')}` : 'see the format in budgets.yaml at the repository root',
    });
  }
  return normalize(parsed.data, doc.contents, lc, file);
}

/** Line of the model's key under `models:` (undefined when it is not written as a plain key). */
function modelLine(root: unknown, lc: LineCounter, pattern: string): number | undefined {
  const at = yamlLineAt(root, lc, ['models', pattern]);
  return at.depth === 2 ? at.line : undefined;
}

function normalize(f: FileShape, root: unknown, lc: LineCounter, file?: string): Budgets {
  const topMargin = f.warnMargin ?? DEFAULT_WARN_MARGIN;
  const models: ModelBudget[] = Object.entries(f.models).map(([pattern, m]) => {
    const wm = m.warnMargin ?? topMargin;
    const rules = <K extends string>(src: Partial<Record<K, z.infer<typeof ruleSchema> | undefined>> | undefined) => {
      const out: Partial<Record<K, MetricRule>> = {};
      for (const [k, r] of Object.entries(src ?? {}) as Array<[K, z.infer<typeof ruleSchema> | undefined]>) {
        if (r) out[k] = { ...r, warnMargin: r.warnMargin ?? wm };
      }
      return out;
    };
    const latency: Record<string, LatencyLimit> = {};
    for (const [dev, l] of Object.entries(m.latency ?? {})) {
      latency[dev] = typeof l === 'number' ? { maxMs: l, warnMargin: wm } : { maxMs: l.maxMs, warnMargin: l.warnMargin ?? wm };
    }
    const size = m.size ? { maxBytes: m.size.maxBytes ?? Math.round(m.size.maxMB! * 1e6), warnMargin: m.size.warnMargin ?? wm } : undefined;
    return {
      pattern,
      line: modelLine(root, lc, pattern),
      task: m.task,
      warnMargin: wm,
      metrics: rules<TaskMetricName>(m.metrics),
      agreement: rules<AgreementMetricName>(m.agreement),
      latency,
      size,
    };
  });
  return { file, warnMargin: topMargin, models };
}

/** Read and parse a budgets file. */
export async function loadBudgets(path: string): Promise<Budgets> {
  return parseBudgets(await readInputText(path, 'budgets'), path);
}

// ---------------------------------------------------------------- lookup

/** Model name used for matching: the file stem (last extension removed, directories dropped). */
export function modelName(model: string): string {
  const b = basename(model);
  const dot = b.lastIndexOf('.');
  return dot > 0 ? b.slice(0, dot) : b;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * The budget entries that apply to a model (a name, or a path whose stem is
 * used), most specific first: exact names, then globs in file order. An entry
 * with a `task` applies only when `task` is given and equal.
 */
export function matchModel(b: Budgets, model: string, task?: Task): ModelBudget[] {
  const names = [model, modelName(model)];
  const applies = (m: ModelBudget) => m.task === undefined || task === undefined || m.task === task;
  const exact = b.models.filter((m) => names.includes(m.pattern) && applies(m));
  const globbed = b.models.filter((m) => !names.includes(m.pattern) && applies(m) && names.some((n) => globToRegExp(m.pattern).test(n)));
  return [...exact, ...globbed];
}

/** Latency limit for a model on a device class (e.g. `kirin9000`), or undefined if none is set. */
export function latencyBudget(b: Budgets, model: string, deviceClass: string): LatencyLimit | undefined {
  for (const m of matchModel(b, model)) {
    const l = m.latency[deviceClass];
    if (l) return l;
  }
  return undefined;
}

/** Every latency limit set for a model, by device class (the most specific entry wins per class), as `mai deploy` would apply them. */
export function latencyBudgets(b: Budgets, model: string): Record<string, LatencyLimit> {
  const out: Record<string, LatencyLimit> = {};
  for (const m of matchModel(b, model).reverse()) Object.assign(out, m.latency);
  return out;
}

/** File-size limit for a model, or undefined. */
export function sizeBudget(b: Budgets, model: string): SizeLimit | undefined {
  for (const m of matchModel(b, model)) if (m.size) return m.size;
  return undefined;
}

/** Metric rules for a model and task, merged (more specific entries win per metric). */
export function metricBudget(
  b: Budgets,
  model: string,
  task: Task,
): { metrics: Partial<Record<TaskMetricName, MetricRule>>; agreement: Partial<Record<AgreementMetricName, MetricRule>> } {
  const metrics: Partial<Record<TaskMetricName, MetricRule>> = {};
  const agreement: Partial<Record<AgreementMetricName, MetricRule>> = {};
  for (const m of matchModel(b, model, task).reverse()) {
    Object.assign(metrics, m.metrics);
    Object.assign(agreement, m.agreement);
  }
  return { metrics, agreement };
}

// ---------------------------------------------------------------- verdicts

/**
 * PASS / WARN / FAIL of a value against a limit. 'max': value must be ≤ limit;
 * 'min': value must be ≥ limit. WARN = not past the limit but within
 * `warnMargin` (relative to |limit|) of it. NaN always fails.
 */
export function judge(value: number, limit: number, direction: 'max' | 'min', warnMargin: number): Verdict {
  const margin = direction === 'max' ? limit - value : value - limit;
  let status: VerdictStatus;
  if (Number.isNaN(value) || margin < 0) status = 'FAIL';
  else if (margin <= warnMargin * Math.abs(limit)) status = 'WARN';
  else status = 'PASS';
  return { status, value, limit, margin };
}

/** Degradation of a candidate vs a reference value (positive = worse). */
export function metricDrop(metric: TaskMetricName | AgreementMetricName, reference: number, candidate: number): number {
  return METRICS[metric].higherIsBetter ? reference - candidate : candidate - reference;
}

/** The worst of several statuses (FAIL > WARN > PASS); PASS for none. */
export function worst(statuses: Iterable<VerdictStatus>): VerdictStatus {
  let w: VerdictStatus = 'PASS';
  for (const s of statuses) {
    if (s === 'FAIL') return 'FAIL';
    if (s === 'WARN') w = 'WARN';
  }
  return w;
}
