/**
 * A throwaway PostgreSQL cluster for the tests that need one: `initdb` in a
 * temp dir, `pg_ctl start` on a free port with the socket in that dir, run as
 * the `postgres` user when the tests run as root (CI). `stop()` stops it and
 * removes the dir. Without PostgreSQL's binaries it throws, saying what to
 * install: those tests fail, they are never skipped.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  url: string;
  port: number;
  dir: string;
  /** stop the server (fast shutdown) — it can be started again */
  halt(): void;
  start(): void;
  /** stop and remove the cluster */
  stop(): void;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) {
    throw new Error('PostgreSQL is not installed: these tests need a real PostgreSQL server (Debian: `apt-get install -y postgresql`; .ci/run installs it)');
  }
  return join(root, versions[0]!, 'bin');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'mai-pg-'));
  const data = join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  let uid = 0;
  let gid = 0;
  if (asRoot) {
    uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  // run a PostgreSQL binary as the cluster's owner (never as root)
  const run = (tool: string, args: string[]) =>
    execFileSync(join(bin, tool), args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, ...(asRoot ? { uid, gid, env: { ...process.env, HOME: dir } } : {}) });
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'mai', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const pg: TestPostgres = {
    url: `postgres://mai@127.0.0.1:${port}/postgres`,
    port,
    dir,
    start: () => void run('pg_ctl', ['-D', data, '-w', '-t', '60', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']),
    halt: () => void run('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']),
    stop: () => {
      try {
        pg.halt();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    pg.start();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot start the test PostgreSQL: ${(e as { stderr?: Buffer }).stderr?.toString() ?? (e as Error).message}`);
  }
  return pg;
}

/** One query on a fresh connection (tests read the database the CLI and the workers wrote). */
export async function queryPostgres<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}
