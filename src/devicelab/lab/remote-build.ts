/**
 * Builds on the lab's workers (lab.yaml `build: workers` or `mai lab nightly
 * --build-on workers`): the nightly stores each source model by content hash
 * and sends one job per model × precision to the `lab-build` queue; a worker
 * started with `--build` takes them, runs the same build as the host
 * (build.ts: convert / quantize / validate), stores the .tflite by hash and
 * the variant (with its validation verdict) in `lab_variants`. A build job's
 * id is derived from the night and everything the build depends on, so a
 * night enqueued twice builds each variant once. Remote builds use the
 * bundled samples (data/samples of the worker's own install) for validation
 * and calibration: a model naming another data folder is refused (exit 2),
 * since the workers' hosts need not have it.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type PgBoss from 'pg-boss';
import { z } from 'zod';
import { inputError, isMaiError } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/fs-atomic.js';
import { readInputFile } from '../../core/read-input.js';
import { parseBudgets } from '../../validate/budgets.js';
import type { SqlConnection } from '../store/sql.js';
import { buildVariant, type BuiltVariant } from './build.js';
import { BUNDLED_SAMPLES, PRECISIONS, type LabConfig, type LabModel, type Precision } from './config.js';
import { DEAD_LETTER_QUEUE, ensureQueue, getArtifact, putArtifact, putVariant } from './queue.js';

/** The one queue of build jobs, taken by every worker started with `--build`. */
export const BUILD_QUEUE = 'lab-build';
export const BUILD_QUEUE_OPTIONS = { policy: 'standard', deadLetter: DEAD_LETTER_QUEUE } as const;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const name = z.string().regex(/^[A-Za-z0-9._-]+$/);

/** One model × precision to build: the source by content hash and what the build depends on. */
export const buildJobSchema = z.strictObject({
  night: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  model: name,
  /** the source's file name (its extension tells the format) */
  file: z.string().regex(/^[^/\\]+$/),
  /** where the nightly read it (messages name it, as a host build's do) */
  path: z.string().min(1),
  source: sha256,
  task: z.enum(['matting', 'bokeh', 'none']),
  inputShapes: z.record(z.string(), z.array(z.number().int().min(0))).optional(),
  precision: z.enum(PRECISIONS),
  budgetsText: z.string().nullable(),
  validateSamples: z.number().int().positive(),
});
export type BuildJob = z.infer<typeof buildJobSchema>;

export function parseBuildJob(data: unknown, jobId: string): BuildJob {
  const r = buildJobSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw inputError('bad-option', `build job ${jobId}: malformed payload: ${i.path.join('.') || '(top level)'}: ${i.message}`);
  }
  return r.data;
}

/** The same build of the same night is always the same job (a second enqueue adds nothing). */
export function buildJobId(job: BuildJob): string {
  const h = createHash('sha256').update(`mai-lab-build|${JSON.stringify(job)}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Refuse, before anything is enqueued, a model whose validation or calibration data the workers may not have (exit 2). */
export function checkRemoteBuildData(cfg: LabConfig): void {
  for (const m of cfg.models) {
    const bundled = BUNDLED_SAMPLES[m.task];
    const custom = m.data !== bundled ? ['data', m.data] : m.calib !== bundled ? ['calib', m.calib] : undefined;
    if (custom) {
      throw inputError(
        'remote-build-data',
        `${cfg.file}: model '${m.name}' names ${custom[0]} ${custom[1]}: builds on the lab workers validate and calibrate with the bundled samples only (a worker's host need not have this folder)`,
        { file: cfg.file, hint: 'drop data/calib for this model, or build on this host (lab.yaml `build: host`, or --build-on host)' },
      );
    }
  }
}

export type PlannedBuild = { job: BuildJob; id: string } | { failed: BuiltVariant };

/** Store the source model by hash and describe its build job; an unreadable source is the variant's convert error, as on the host. */
export async function planBuild(sql: SqlConnection, night: string, m: LabModel, precision: Precision, budgetsText: string | undefined, validateSamples: number): Promise<PlannedBuild> {
  let source: Uint8Array;
  try {
    source = await readInputFile(m.path, 'model');
  } catch (e) {
    if (!isMaiError(e)) throw e;
    return { failed: { model: m.name, precision, thumbnails: [], notes: [], cached: false, error: { stage: 'convert', message: e.message } } };
  }
  const job: BuildJob = {
    night,
    model: m.name,
    file: basename(m.path),
    path: m.path,
    source: await putArtifact(sql, source),
    task: m.task,
    ...(m.inputShapes ? { inputShapes: m.inputShapes } : {}),
    precision,
    budgetsText: budgetsText ?? null,
    validateSamples,
  };
  return { job, id: buildJobId(job) };
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** Send a build job unless the same one is waiting, running or done; one that ended failed is sent afresh. */
export async function sendBuild(boss: PgBoss, b: { job: BuildJob; id: string }, o: { retryLimit: number; expireSec: number }): Promise<void> {
  await ensureQueue(boss, BUILD_QUEUE, BUILD_QUEUE_OPTIONS);
  const prior = await boss.getJobById(BUILD_QUEUE, b.id);
  if (prior?.state === 'completed') return;
  if (prior && TERMINAL.has(prior.state)) await boss.deleteJob(BUILD_QUEUE, b.id);
  await boss.send(BUILD_QUEUE, b.job, { id: b.id, retryLimit: o.retryLimit, retryDelay: 1, retryBackoff: true, expireInSeconds: o.expireSec, deadLetter: DEAD_LETTER_QUEUE });
}

/** A build job's state: `done` with its output when it ended, else still waiting or running. */
export async function buildState(boss: PgBoss, id: string): Promise<{ state: 'waiting' | 'running' } | { state: 'done'; failure?: string }> {
  const job = await boss.getJobById(BUILD_QUEUE, id);
  if (!job || job.state === 'completed') return { state: 'done' };
  if (job.state === 'active') return { state: 'running' };
  if (!TERMINAL.has(job.state)) return { state: 'waiting' };
  const out = job.output as { message?: unknown } | null;
  return { state: 'done', failure: typeof out?.message === 'string' ? out.message : `the build job ended ${job.state}` };
}

/** The variant a build worker stored for this night (undefined: none). */
export async function storedVariant(sql: SqlConnection, night: string, model: string, precision: Precision): Promise<BuiltVariant | undefined> {
  const [row] = await sql.all<{ variant: string }>('SELECT variant FROM lab_variants WHERE night = @night AND model = @model AND precision = @precision', { night, model, precision });
  return row ? (JSON.parse(row.variant) as BuiltVariant) : undefined;
}

/**
 * Run one build job on this host: the source fetched by hash (checked), built
 * with the bundled samples into `cacheDir`, the .tflite stored by hash and
 * the variant written for the night. Build problems are the variant's
 * `error` (the cells' ERROR verdict), not a failed job.
 */
export async function runBuildJob(sql: SqlConnection, job: BuildJob, cacheDir: string): Promise<BuiltVariant> {
  const sourcePath = join(cacheDir, 'sources', job.source, job.file);
  const have = await fs.readFile(sourcePath).catch(() => undefined);
  if (!have || createHash('sha256').update(have).digest('hex') !== job.source) {
    await fs.mkdir(dirname(sourcePath), { recursive: true });
    await writeFileAtomic(sourcePath, await getArtifact(sql, job.source));
  }
  const data = BUNDLED_SAMPLES[job.task];
  const model: LabModel = { name: job.model, path: sourcePath, task: job.task, data, calib: data, ...(job.inputShapes ? { inputShapes: job.inputShapes } : {}) };
  const budgets = job.budgetsText === null ? undefined : parseBudgets(job.budgetsText, 'lab budgets (from the nightly)');
  const v = await buildVariant(model, job.precision, { cacheDir, budgets, budgetsText: job.budgetsText ?? undefined, validateSamples: job.validateSamples });
  if (v.path) v.sha256 = await putArtifact(sql, await fs.readFile(v.path));
  // messages and the report name the source as the nightly does, not this host's copy
  if (v.error) v.error.message = v.error.message.split(sourcePath).join(job.path);
  if (v.accuracy?.reference === sourcePath) v.accuracy.reference = job.path;
  await putVariant(sql, job.night, v);
  return v;
}

export interface WorkerBuildOptions {
  sql: SqlConnection;
  boss: PgBoss;
  config: LabConfig;
  night: string;
  budgetsText?: string;
  retryLimit: number;
  expireSec: number;
  /** when unfinished builds are given up (epoch ms) */
  deadline: number;
  pollMs: number;
  /** which host runs a job (from the workers' heartbeats) */
  hostOf: (jobId: string) => Promise<string | undefined>;
  onProgress?: (p: { done: number; label: string }) => void;
  log: (line: string) => void;
}

/**
 * Every model × precision of the night built by the build workers: sent, waited
 * for (progress: builds done / running where / waiting), then read back from
 * `lab_variants`. A build not finished by the deadline is cancelled and its
 * variant an error (its cells ERROR). The caller has checked the models'
 * data (checkRemoteBuildData) before opening the database.
 */
export async function buildOnWorkers(o: WorkerBuildOptions): Promise<BuiltVariant[]> {
  const cfg = o.config;
  const plans: Array<{ m: LabModel; p: Precision; plan: PlannedBuild }> = [];
  for (const m of cfg.models) for (const p of cfg.precisions) plans.push({ m, p, plan: await planBuild(o.sql, o.night, m, p, o.budgetsText, cfg.validateSamples) });
  const pending = new Map<string, { job: BuildJob; id: string }>();
  for (const { plan } of plans) {
    if ('failed' in plan) continue;
    await sendBuild(o.boss, plan, { retryLimit: o.retryLimit, expireSec: o.expireSec });
    pending.set(plan.id, plan);
  }
  const failures = new Map<string, string>();
  let warned = false;
  for (;;) {
    let running = 0;
    const where = new Map<string, number>();
    for (const [id] of pending) {
      const s = await buildState(o.boss, id);
      if (s.state === 'done') {
        pending.delete(id);
        if (s.failure) failures.set(id, s.failure);
      } else if (s.state === 'running') {
        running++;
        const host = (await o.hostOf(id)) ?? '?';
        where.set(host, (where.get(host) ?? 0) + 1);
      }
    }
    const done = plans.length - pending.size;
    const hosts = [...where].map(([h, n]) => `${n} on ${h}`).join(', ');
    o.onProgress?.({ done, label: `builds: ${done} done, ${running} running${hosts ? ` (${hosts})` : ''}, ${pending.size - running} waiting` });
    if (!pending.size) break;
    if (Date.now() >= o.deadline) {
      for (const id of pending.keys()) {
        await o.boss.cancel(BUILD_QUEUE, id).catch(() => undefined);
        failures.set(id, "no build worker (`mai lab worker --build`) finished this build by the night's deadline");
      }
      break;
    }
    if (!warned && !running) {
      warned = true;
      o.log('builds wait for a build worker: `mai lab worker --build` on a host of the lab');
    }
    await new Promise((r) => setTimeout(r, o.pollMs));
  }
  const variants: BuiltVariant[] = [];
  for (const { m, p, plan } of plans) {
    if ('failed' in plan) {
      await putVariant(o.sql, o.night, plan.failed);
      variants.push(plan.failed);
      continue;
    }
    const failure = failures.get(plan.id);
    const stored = failure === undefined ? await storedVariant(o.sql, o.night, m.name, p) : undefined;
    if (stored) variants.push(stored);
    else variants.push(await failedBuild(o.sql, o.night, m.name, p, failure ?? 'the build worker stored no variant'));
  }
  return variants;
}

async function failedBuild(sql: SqlConnection, night: string, model: string, precision: Precision, message: string): Promise<BuiltVariant> {
  const v: BuiltVariant = { model, precision, thumbnails: [], notes: [], cached: false, error: { stage: 'convert', message } };
  await putVariant(sql, night, v);
  return v;
}
