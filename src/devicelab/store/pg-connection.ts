/**
 * The PostgreSQL backend of `SqlConnection` (node-postgres pool), for a lab
 * that spans hosts. The schema is the SQLite one with PostgreSQL's identity
 * type; the version lives in `mai_schema` and migrations run under an advisory
 * lock, so workers starting together migrate once. After the first successful
 * connection, a lost server (restart, failover) is waited for and the
 * statement retried, up to `reconnectSec`; a transaction is retried whole.
 * Errors name the server (host:port/database), never the credentials.
 */
import type { Pool, PoolClient } from 'pg';
import { environmentError, isMaiError } from '../../core/errors.js';
import { positional, type SqlConnection, type SqlParams, type SqlRunner } from './sql.js';

/** Error codes of a server that is gone or not accepting connections yet (retried). */
const TRANSIENT_SQLSTATE = /^(08|57P0[1-3])/;
const TRANSIENT_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function isTransientDbError(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  if (typeof err?.code === 'string' && (TRANSIENT_ERRNO.has(err.code) || TRANSIENT_SQLSTATE.test(err.code))) return true;
  return /Connection terminated|connection timeout|terminating connection|the database system is (starting up|shutting down)/i.test(err?.message ?? '');
}

/** `postgres://host:port/database` (no user, no password): what errors and reports print. */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** The SQLite DDL as PostgreSQL takes it. */
export function postgresDdl(sql: string): string {
  return sql.replace(/INTEGER PRIMARY KEY AUTOINCREMENT/g, 'BIGSERIAL PRIMARY KEY').replace(/\bBLOB\b/g, 'BYTEA');
}

/** BIGINT / NUMERIC come back as strings from node-postgres: numbers where they fit. */
function numeric(row: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(row)) if (typeof v === 'string' && (k === 'id' || k === 'run_id' || k === 'n') && /^-?\d+$/.test(v)) row[k] = Number(v);
  return row;
}

export interface PgConnectionOptions {
  /** how long a lost server is waited for once connected, seconds */
  reconnectSec?: number;
  /** notes about reconnects (the worker logs them) */
  log?: (line: string) => void;
}

export class PgConnection implements SqlConnection {
  readonly dialect = 'postgres' as const;
  readonly location: string;
  private connected = false;

  private constructor(private readonly pool: Pool, url: string, private readonly o: PgConnectionOptions) {
    this.location = describePostgresUrl(url);
  }

  static async open(url: string, o: PgConnectionOptions = {}): Promise<PgConnection> {
    const pg = (await import('pg')).default;
    const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 10_000 });
    // an idle client whose server went away: dropped by the pool, the next statement reconnects
    pool.on('error', () => undefined);
    const c = new PgConnection(pool, url, o);
    try {
      await pool.query('SELECT 1');
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw c.failure(e);
    }
    c.connected = true;
    return c;
  }

  /** A driver error as a MaiError naming the server (exit 3). */
  failure(e: unknown): Error {
    if (isMaiError(e)) return e;
    const err = e as { code?: string; message?: string };
    return environmentError('db-unreachable', `the results database at ${this.location} failed: ${err.message ?? String(e)}${err.code ? ` (${err.code})` : ''}`, {
      hint: 'check that PostgreSQL runs there and that --db (or MAI_DB) has the right host, port, database and credentials',
      cause: e,
    });
  }

  private async retrying<T>(what: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + (this.o.reconnectSec ?? 120) * 1000;
    for (let attempt = 0; ; attempt++) {
      try {
        return await what();
      } catch (e) {
        if (!this.connected || !isTransientDbError(e) || Date.now() > deadline) throw this.failure(e);
        if (attempt === 0) this.o.log?.(`results database at ${this.location} lost (${(e as Error).message}); reconnecting`);
        await new Promise((r) => setTimeout(r, Math.min(2000, 200 * 2 ** attempt)));
      }
    }
  }

  private static runner(q: { query: Pool['query'] } | PoolClient): SqlRunner {
    return {
      all: async <T>(sql: string, params?: SqlParams) => {
        const { text, values } = positional(sql, params);
        return (await q.query(text, values)).rows.map(numeric) as T[];
      },
      run: async (sql: string, params?: SqlParams) => {
        const { text, values } = positional(sql, params);
        return (await q.query(text, values)).rowCount ?? 0;
      },
    };
  }

  all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.retrying(() => PgConnection.runner(this.pool).all<T>(sql, params));
  }

  run(sql: string, params?: SqlParams): Promise<number> {
    return this.retrying(() => PgConnection.runner(this.pool).run(sql, params));
  }

  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.retrying(async () => {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const r = await fn(PgConnection.runner(client));
        await client.query('COMMIT');
        return r;
      } catch (e) {
        broken = isTransientDbError(e);
        if (!broken) await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release(broken);
      }
    });
  }

  migrate(migrations: readonly string[]): Promise<void> {
    return this.transaction(async (tx) => {
      // one migrator at a time across hosts (a fixed advisory lock key, released at commit)
      await tx.run('SELECT pg_advisory_xact_lock(7412066)');
      await tx.run('CREATE TABLE IF NOT EXISTS mai_schema (version INTEGER NOT NULL)');
      const [row] = await tx.all<{ version: number }>('SELECT version FROM mai_schema');
      if (!row) await tx.run('INSERT INTO mai_schema (version) VALUES (0)');
      for (let v = row?.version ?? 0; v < migrations.length; v++) {
        for (const stmt of postgresDdl(migrations[v]!).split(';').map((s) => s.trim()).filter(Boolean)) await tx.run(stmt);
        await tx.run('UPDATE mai_schema SET version = @v', { v: v + 1 });
      }
    });
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
