/**
 * The SQLite backend of `SqlConnection` (better-sqlite3, synchronous under an
 * async face). Statements are serialized, so a transaction's statements never
 * interleave with another task's; the schema version is `PRAGMA user_version`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { environmentError } from '../../core/errors.js';
import { errnoWords } from '../../core/errno-words.js';
import type { SqlConnection, SqlParams, SqlRunner } from './sql.js';

/** Booleans and undefined as SQLite binds them. */
function bindable(params: SqlParams): SqlParams {
  const out: SqlParams = {};
  for (const [k, v] of Object.entries(params)) out[k] = v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v;
  return out;
}

export class SqliteConnection implements SqlConnection {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly direct: SqlRunner;

  constructor(readonly location: string) {
    try {
      if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
      this.db = new Database(location);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
    } catch (e) {
      throw environmentError('db-unreachable', `cannot open the results database ${location}: ${errnoWords(e)}`, { file: location, cause: e });
    }
    this.direct = {
      all: async <T>(sql: string, params: SqlParams = {}) => this.db.prepare(sql).all(bindable(params)) as T[],
      run: async (sql: string, params: SqlParams = {}) => this.db.prepare(sql).run(bindable(params)).changes,
    };
  }

  /** Run `fn` after everything queued before it. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn, fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.serial(() => this.direct.all<T>(sql, params));
  }

  run(sql: string, params?: SqlParams): Promise<number> {
    return this.serial(() => this.direct.run(sql, params));
  }

  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const r = await fn(this.direct);
        this.db.exec('COMMIT');
        return r;
      } catch (e) {
        this.db.exec('ROLLBACK');
        throw e;
      }
    });
  }

  migrate(migrations: readonly string[]): Promise<void> {
    return this.serial(async () => {
      try {
        const at = Number(this.db.pragma('user_version', { simple: true }));
        for (let v = at; v < migrations.length; v++) {
          this.db.transaction(() => {
            this.db.exec(migrations[v]!);
            this.db.pragma(`user_version = ${v + 1}`);
          })();
        }
      } catch (e) {
        throw environmentError('db-unreachable', `cannot open the results database ${this.location}: ${(e as Error).message}`, { file: this.location, cause: e });
      }
    });
  }

  async close(): Promise<void> {
    await this.serial(async () => this.db.close());
  }
}
