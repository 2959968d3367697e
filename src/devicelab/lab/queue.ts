/**
 * What the nightly and the workers share through PostgreSQL: pg-boss (one
 * queue per device, `singleton` policy: one active job per phone; retries
 * with backoff; expiry; a dead-letter queue), the cell job's payload
 * (validated with zod whenever it is read back), build artefacts by content
 * hash, the night's variants and the workers' heartbeats.
 */
import { createHash } from 'node:crypto';
import type PgBoss from 'pg-boss';
import { z } from 'zod';
import { environmentError, inputError } from '../../core/errors.js';
import { describePostgresUrl } from '../store/pg-connection.js';
import type { SqlConnection } from '../store/sql.js';
import type { BuiltVariant } from './build.js';
import type { CellKey } from './history.js';

/** pg-boss's tables live in their own schema, beside the results tables. */
export const BOSS_SCHEMA = 'mai_boss';
export const DEAD_LETTER_QUEUE = 'lab-dead';

/** The queue of one device: `singleton`, one active job at a time. */
export const deviceQueue = (deviceId: string) => `lab-device-${deviceId}`;
/** The queue of a pool of phones of one kind (lab.yaml `pools`): each phone's worker takes one job at a time from it. */
export const poolQueue = (pool: string) => `lab-pool-${pool}`;

export const DEVICE_QUEUE = { policy: 'singleton', deadLetter: DEAD_LETTER_QUEUE } as const;
export const POOL_QUEUE = { policy: 'standard', deadLetter: DEAD_LETTER_QUEUE } as const;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const name = z.string().regex(/^[A-Za-z0-9._-]+$/);

/** One cell on one device: its benchmark runs. */
export const cellJobSchema = z.strictObject({
  night: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  model: name,
  precision: z.enum(['fp32', 'fp16', 'int8', 'dynamic']),
  device: name,
  sha256,
  runs: z.number().int().min(1).max(1000),
  iterations: z.number().int().min(1),
  warmupRuns: z.number().int().min(0),
  throttleRetries: z.number().int().min(0),
  cooldownSec: z.number().min(0),
});
export type CellJob = z.infer<typeof cellJobSchema>;

/** A job payload read from the database, checked before anything uses it (exit 2 naming the field). */
export function parseCellJob(data: unknown, jobId: string): CellJob {
  const r = cellJobSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw inputError('bad-option', `job ${jobId}: malformed payload: ${i.path.join('.') || '(top level)'}: ${i.message}`);
  }
  return r.data;
}

/** The job id of a cell: the same cell of the same night is always the same job (enqueuing twice adds nothing). */
export function cellJobId(key: CellKey): string {
  const h = createHash('sha256').update(`mai-lab|${key.night}|${key.model}|${key.precision}|${key.device}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface BossSettings {
  /** how often maintenance expires jobs of dead workers, seconds */
  maintenanceSec: number;
  /** how often an idle queue is polled, seconds */
  pollSec?: number;
}

/** pg-boss on the results database; a connection failure is exit 3 naming the server. */
export async function openBoss(url: string, s: BossSettings, log: (line: string) => void): Promise<PgBoss> {
  const PgBossClass = (await import('pg-boss')).default;
  const boss = new PgBossClass({
    connectionString: url,
    schema: BOSS_SCHEMA,
    application_name: 'mai-lab',
    max: 4,
    supervise: true,
    schedule: false,
    maintenanceIntervalSeconds: s.maintenanceSec,
    monitorStateIntervalSeconds: Math.max(1, s.maintenanceSec),
  });
  // a server that went away: pg-boss keeps polling and picks up again when it is back
  boss.on('error', (e) => log(`job queue: ${(e as Error).message}`));
  try {
    await boss.start();
  } catch (e) {
    await boss.stop({ graceful: false, wait: false }).catch(() => undefined);
    throw environmentError('db-unreachable', `the job queue at ${describePostgresUrl(url)} failed: ${(e as Error).message}`, { cause: e });
  }
  return boss;
}

/** SQLSTATEs of a statement PostgreSQL aborted against another one (deadlock, serialization): safe to run again. */
const CONFLICT_SQLSTATE = new Set(['40P01', '40001']);

/**
 * Create a queue unless it exists. pg-boss's create_queue adds a partition to
 * its job table (DDL): two processes creating queues at the same moment can
 * deadlock, and PostgreSQL aborts one of them; that one runs again after a
 * short random pause (the first one's work is whole, the aborted one's undone).
 */
export async function ensureQueue(boss: PgBoss, queue: string, options: Omit<PgBoss.Queue, 'name'> = {}, attempts = 8): Promise<void> {
  if (options.deadLetter) await ensureQueue(boss, options.deadLetter, {}, attempts);
  for (let attempt = 1; ; attempt++) {
    try {
      if (await boss.getQueue(queue)) return;
      await boss.createQueue(queue, { ...options, name: queue });
      return;
    } catch (e) {
      if (!CONFLICT_SQLSTATE.has((e as { code?: string }).code ?? '') || attempt >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100 * attempt));
    }
  }
}

/** Store a build artefact by content hash (idempotent). */
export async function putArtifact(sql: SqlConnection, bytes: Uint8Array): Promise<string> {
  const sha = createHash('sha256').update(bytes).digest('hex');
  await sql.run('INSERT INTO lab_artifacts (sha256, bytes, size, created_at) VALUES (@sha, @bytes, @size, @at) ON CONFLICT (sha256) DO NOTHING', {
    sha,
    bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    size: bytes.byteLength,
    at: new Date().toISOString(),
  });
  return sha;
}

/** A build artefact's bytes, checked against the hash it is stored under. */
export async function getArtifact(sql: SqlConnection, sha: string): Promise<Uint8Array> {
  const [row] = await sql.all<{ bytes: Buffer }>('SELECT bytes FROM lab_artifacts WHERE sha256 = @sha', { sha });
  if (!row) throw environmentError('artifact-mismatch', `no build artefact with sha256 ${sha} in the results database`);
  const bytes = new Uint8Array(row.bytes);
  const got = createHash('sha256').update(bytes).digest('hex');
  if (got !== sha) throw environmentError('artifact-mismatch', `the build artefact stored as ${sha} has sha256 ${got}`);
  return bytes;
}

export async function putVariant(sql: SqlConnection, night: string, v: BuiltVariant): Promise<void> {
  await sql.run(
    `INSERT INTO lab_variants (night, model, precision, variant) VALUES (@night, @model, @precision, @variant)
     ON CONFLICT (night, model, precision) DO UPDATE SET variant = excluded.variant`,
    { night, model: v.model, precision: v.precision, variant: JSON.stringify(v) },
  );
}

export interface WorkerRow {
  host: string;
  devices: string[];
  busy: string | null;
  heartbeat_at: string;
  stopped_at: string | null;
}

export async function heartbeat(sql: SqlConnection, host: string, devices: string[], busy: string | null, stopped = false): Promise<void> {
  const now = new Date().toISOString();
  await sql.run(
    `INSERT INTO lab_workers (host, devices, busy, heartbeat_at, stopped_at) VALUES (@host, @devices, @busy, @now, @stopped)
     ON CONFLICT (host) DO UPDATE SET devices = excluded.devices, busy = excluded.busy, heartbeat_at = excluded.heartbeat_at, stopped_at = excluded.stopped_at`,
    { host, devices: JSON.stringify(devices), busy, now, stopped: stopped ? now : null },
  );
}

export async function listWorkers(sql: SqlConnection): Promise<WorkerRow[]> {
  const rows = await sql.all<Omit<WorkerRow, 'devices'> & { devices: string }>('SELECT host, devices, busy, heartbeat_at, stopped_at FROM lab_workers ORDER BY host');
  return rows.map((r) => ({ ...r, devices: z.array(z.string()).catch([]).parse(JSON.parse(r.devices)) }));
}

/** The pools of lab.yaml a device is in (written by the nightly that enqueues their cells). */
export async function poolsOf(sql: SqlConnection, device: string): Promise<string[]> {
  return (await sql.all<{ pool: string }>('SELECT pool FROM lab_pools WHERE device = @device ORDER BY pool', { device })).map((r) => r.pool);
}

/** A pool's phones as tonight's lab.yaml names them (replacing what an earlier night said). */
export async function putPool(sql: SqlConnection, pool: string, devices: string[]): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.run('DELETE FROM lab_pools WHERE pool = @pool', { pool });
    for (const device of devices) await tx.run('INSERT INTO lab_pools (pool, device) VALUES (@pool, @device)', { pool, device });
  });
}

/** Push an active job's expiry forward: a worker that stops heartbeating (killed) lets it expire and run again. */
export async function touchJob(sql: SqlConnection, jobId: string): Promise<void> {
  await sql.run(`UPDATE ${BOSS_SCHEMA}.job SET started_on = now() WHERE id = @id AND state = 'active'`, { id: jobId });
}
