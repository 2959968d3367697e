/**
 * The results store on its two backends: the same statements give the same
 * answers on SQLite and on a real PostgreSQL (migrated to the same version);
 * a run's deploy row and lab row are stored together or not at all; a run
 * stored twice (a job that ran again) keeps the first and adds nothing; an
 * unreachable server is exit 3 naming host:port, never the password.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabHistory, type LabRunRow } from '../../../src/devicelab/lab/history.js';
import { ResultsStore, type RunRow } from '../../../src/devicelab/store/results.js';
import { AdbSimServer } from '../../../src/devicelab/sim/server.js';
import { mai } from '../../helpers/cli.js';
import { devicesYaml } from '../../helpers/lab-worker.js';
import { convChain } from '../lab/fixtures.js';
import { freePort, startTestPostgres, type TestPostgres } from '../../helpers/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-store-'));
let pg: TestPostgres;
beforeAll(async () => {
  pg = await startTestPostgres();
}, 60_000);
afterAll(() => {
  pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const key = { night: '2026-12-01', model: 'm', precision: 'fp32', device: 'phone-a' };
const deployRow = (uuid: string): RunRow => ({
  run_uuid: uuid, started_at: '2026-12-01T00:00:00Z', finished_at: '2026-12-01T00:00:01Z', host: 'h', model_path: 'm.tflite', model_name: 'm.tflite', model_sha256: 'a'.repeat(64), model_bytes: 10,
  precision: 'fp32', device_id: 'phone-a', device_serial: 's', device_class: 'kirin9000', device_model: null, platform: null, android_version: null, flags: '[]', status: 'ok', error: null,
  attempts: 1, init_us: 1, first_us: 1, warmup_avg_us: 1, avg_us: 5, min_us: 4, max_us: 6, std_us: 0.5, p5_us: 4, median_us: 5, p95_us: 6, num_runs: 10, mem_init_mb: 1, mem_overall_mb: 1,
  mem_peak_mb: 1, delegation: 'gpu', delegated_nodes: 3, total_nodes: 3, partitions: 1, unsupported_ops: null, health_before: null, health_after: null, throttled: 0, simulated: 1,
  budget_status: null, budget_limit_ms: null, raw_output: 'x',
});
const labRow = (run: number, status: LabRunRow['status'], median: number | null): LabRunRow => ({
  ...key, run, status, error: null, run_id: null, model_sha256: 'a'.repeat(64), started_at: '2026-12-01T00:00:00Z', median_us: median, avg_us: median, min_us: null, max_us: null,
  std_us: null, p95_us: null, init_us: null, first_us: null, mem_mb: null, delegated_nodes: 3, total_nodes: 3, partitions: 1, discarded: null, health_before: null, health_after: null,
  simulated: 1, worker: 'host-a',
});

/** The same sequence of writes and reads, on one backend. */
async function exercise(db: string) {
  const store = await ResultsStore.open(db);
  try {
    const h = new LabHistory(store);
    const stored = [await h.putRun(labRow(1, 'ok', 5000), deployRow('u1')), await h.putRun(labRow(2, 'failed', null), deployRow('u2'))];
    // the same run stored again (a job that expired and ran twice): the first stays, nothing is added
    const again = await h.putRun(labRow(1, 'ok', 9999), deployRow('u1-again'));
    // a failure row is replaced by the next attempt
    const retried = await h.putRun(labRow(2, 'ok', 5100), deployRow('u2-again'));
    // a failing transaction leaves nothing: the deploy row goes with the lab row that could not be stored
    const broken = await h.putRun({ ...labRow(3, 'ok', 1), model: null as unknown as string }, deployRow('u3')).then(() => 'stored', () => 'refused');
    await h.putCell(key, 'PASS', { n: 1 });
    return {
      stored, again, retried, broken,
      runs: (await h.runs(key)).map((r) => ({ run: r.run, status: r.status, median: r.median_us, worker: r.worker, hasDeploy: r.run_id !== null })),
      deploys: (await store.runs()).map((r) => r.run_uuid),
      cells: await h.cellsOfNight(key.night),
      previous: await h.previousNight('2026-12-02'),
      nights: (await h.runsOfNights(key, ['2026-12-01', '2026-11-30'])).length,
      count: await h.countRuns(key.night),
    };
  } finally {
    await store.close();
  }
}

describe('the results store on SQLite and PostgreSQL', () => {
  it('the same statements give the same answers on both backends', async () => {
    const lite = await exercise(join(dir, 'r.db'));
    const post = await exercise(pg.url);
    expect(post).toEqual(lite);
    expect(lite.stored).toEqual([true, true]);
    expect(lite.again).toBe(false);
    expect(lite.retried).toBe(true);
    expect(lite.broken).toBe('refused');
    expect(lite.runs).toEqual([
      { run: 1, status: 'ok', median: 5000, worker: 'host-a', hasDeploy: true },
      { run: 2, status: 'ok', median: 5100, worker: 'host-a', hasDeploy: true },
    ]);
    // u2's failed attempt stays as a deploy row of its own; u1-again and u3 left nothing
    expect(lite.deploys).toEqual(['u1', 'u2', 'u2-again']);
    expect(lite.count).toBe(2);
  });

  it('opening the PostgreSQL store twice migrates once', async () => {
    const a = await ResultsStore.open(pg.url);
    const b = await ResultsStore.open(pg.url);
    const [v] = await a.sql.all<{ version: number }>('SELECT version FROM mai_schema');
    expect(v!.version).toBe(4);
    await Promise.all([a.close(), b.close()]);
  });

  it('mai deploy --db postgres://… stores its run there; mai lab history reads from there', async () => {
    const sim = new AdbSimServer({ devices: [{ serial: 'k9000-pg' }] });
    await sim.listen(0);
    try {
      writeFileSync(join(dir, 'sim.yaml'), devicesYaml([{ id: 'phone-pg', serial: 'k9000-pg', port: sim.port }]));
      writeFileSync(join(dir, 'm.tflite'), convChain({ size: 16, channels: 4 }));
      const url = pg.url.replace('mai@', 'mai:pw-not-printed@');
      const r = await mai('deploy', join(dir, 'm.tflite'), '--device', 'phone-pg', '--devices', join(dir, 'sim.yaml'), '--db', url, '--runs', '3', '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toContain('pw-not-printed');
      const store = await ResultsStore.open(pg.url);
      try {
        const rows = (await store.runs({ device_id: 'phone-pg' })).map((x) => ({ status: x.status, num_runs: x.num_runs, simulated: x.simulated }));
        expect(rows).toEqual([{ status: 'ok', num_runs: 3, simulated: 1 }]);
      } finally {
        await store.close();
      }
      const h = await mai('lab', 'history', 'nothing-here', '--db', url, '--json');
      expect(h.code).toBe(2);
      expect(JSON.parse(h.stdout)).toMatchObject({ error: 'no-history' });
      expect(h.stdout).not.toContain('pw-not-printed');
    } finally {
      await sim.close();
    }
  });

  it('an unreachable PostgreSQL is exit 3 naming host:port, never the password (history, deploy, nightly, worker)', async () => {
    const port = await freePort();
    const url = `postgres://lab:s3cret-pw@127.0.0.1:${port}/mai`;
    writeFileSync(join(dir, 'devices.yaml'), `version: 1\ndevices:\n  - { id: phone-a, serial: s1, adb: '127.0.0.1:${port}' }\n`);
    const runs = [
      await mai('lab', 'history', 'm', '--db', url, '--json'),
      await mai('lab', 'worker', '--db', url, '--devices', join(dir, 'devices.yaml')),
      await mai('lab', 'worker', '--db', url, '--devices', join(dir, 'none.yaml')),
    ];
    for (const r of runs) {
      expect(r.stdout + r.stderr).not.toContain('s3cret-pw');
    }
    expect(runs[0]!.code).toBe(3);
    expect(JSON.parse(runs[0]!.stdout)).toMatchObject({ error: 'db-unreachable' });
    expect(runs[0]!.stdout).toContain(`127.0.0.1:${port}`);
    expect(runs[1]!.code).toBe(3);
    expect(runs[1]!.stderr).toMatch(new RegExp(`results database at postgres://127\\.0\\.0\\.1:${port}/mai failed: connect ECONNREFUSED`));
    expect(runs[1]!.stderr).not.toMatch(/\n\s+at /);
    // the worker checks its devices file first: a missing one is exit 2
    expect(runs[2]!.code).toBe(2);
  });
});
