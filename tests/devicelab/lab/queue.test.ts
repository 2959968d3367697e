/**
 * The pieces of the multi-host lab's queue on a real PostgreSQL with pg-boss:
 * a running job whose worker heartbeats outlives its expiry, one whose worker
 * stopped heartbeating expires and is retried; job payloads read back are
 * validated before use; a cell's job id is the same every time; artefacts come
 * back only with the bytes their hash names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type PgBoss from 'pg-boss';
import { cellJobId, DEVICE_QUEUE, ensureQueue, getArtifact, openBoss, parseCellJob, putArtifact, touchJob } from '../../../src/devicelab/lab/queue.js';
import { ResultsStore } from '../../../src/devicelab/store/results.js';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.js';

let pg: TestPostgres;
let boss: PgBoss;
let store: ResultsStore;
beforeAll(async () => {
  pg = await startTestPostgres();
  store = await ResultsStore.open(pg.url);
  boss = await openBoss(pg.url, { maintenanceSec: 1 }, () => undefined);
}, 60_000);
afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true, close: true });
  await store?.close();
  pg?.stop();
});

const good = { night: '2026-12-01', model: 'm1', precision: 'fp16', device: 'phone-a', sha256: 'ab'.repeat(32), runs: 3, iterations: 20, warmupRuns: 1, throttleRetries: 2, cooldownSec: 5 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the lab queue', () => {
  it('a heartbeated job outlives its expiry; one left alone expires and is retried', async () => {
    await boss.createQueue('q-expiry', { name: 'q-expiry', policy: 'singleton' });
    const alive = (await boss.send('q-expiry', good, { expireInSeconds: 2, retryLimit: 2, retryDelay: 1 }))!;
    const [job] = await boss.fetch('q-expiry');
    expect(job!.id).toBe(alive);
    for (let i = 0; i < 10; i++) {
      await touchJob(store.sql, alive);
      await sleep(500);
    }
    expect((await boss.getJobById('q-expiry', alive))!.state).toBe('active');
    // a second job cannot start on the same phone while this one is active (singleton)
    const second = (await boss.send('q-expiry', { ...good, model: 'm2' }))!;
    expect(await boss.fetch('q-expiry')).toEqual([]);
    // no heartbeat any more (a killed worker): expired, then retried
    await sleep(4500);
    const after = (await boss.getJobById('q-expiry', alive))!;
    expect(after.state).toBe('retry');
    expect(after.output).toEqual({ value: { message: 'job failed by timeout in active state' } });
    await boss.cancel('q-expiry', [alive, second]);
  }, 30_000);

  it('two processes creating queues at the same moment both succeed (PostgreSQL aborts one of two deadlocked create_queue calls: it runs again)', async () => {
    const other = await openBoss(pg.url, { maintenanceSec: 1 }, () => undefined);
    try {
      const names: string[] = [];
      for (let round = 0; round < 10; round++) {
        const [a, b, shared] = [`race-a${round}`, `race-b${round}`, `race-c${round}`];
        names.push(a, b, shared);
        await Promise.all([ensureQueue(boss, a, DEVICE_QUEUE), ensureQueue(other, b, DEVICE_QUEUE), ensureQueue(boss, shared, DEVICE_QUEUE), ensureQueue(other, shared, DEVICE_QUEUE)]);
      }
      const queues = new Map((await boss.getQueues()).map((q) => [q.name, q]));
      for (const n of names) expect(queues.get(n)).toMatchObject({ policy: 'singleton', deadLetter: 'lab-dead' });
    } finally {
      await other.stop({ graceful: false, wait: true, close: true });
    }
  }, 60_000);

  it('a job payload is validated before use: a bad field is exit 2 naming it; hostile names never pass', () => {
    expect(parseCellJob(good, 'j1')).toEqual(good);
    for (const [bad, field] of [
      [{ ...good, model: 'm; rm -rf /' }, 'model'],
      [{ ...good, sha256: '../../etc/passwd' }, 'sha256'],
      [{ ...good, runs: 0 }, 'runs'],
      [{ ...good, extra: 1 }, '(top level)'],
      [{ ...good, device: "a'b" }, 'device'],
    ] as const) {
      let err: unknown;
      try {
        parseCellJob(bad, 'j2');
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ exit: 2, code: 'bad-option' });
      expect((err as Error).message).toContain(`job j2: malformed payload: ${field}`);
    }
  });

  it("a cell's job id is a uuid, the same for the same cell and night, different otherwise", () => {
    const key = { night: '2026-12-01', model: 'm1', precision: 'fp16', device: 'phone-a' };
    expect(cellJobId(key)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(cellJobId({ ...key })).toBe(cellJobId(key));
    expect(new Set([cellJobId(key), cellJobId({ ...key, night: '2026-12-02' }), cellJobId({ ...key, device: 'phone-b' }), cellJobId({ ...key, precision: 'fp32' })]).size).toBe(4);
  });

  it('artefacts are stored by content hash and come back only with the bytes it names', async () => {
    const bytes = new Uint8Array([1, 2, 3, 4, 5]);
    const sha = await putArtifact(store.sql, bytes);
    expect(await putArtifact(store.sql, bytes)).toBe(sha);
    expect([...(await getArtifact(store.sql, sha))]).toEqual([1, 2, 3, 4, 5]);
    await store.sql.run('UPDATE lab_artifacts SET bytes = @b WHERE sha256 = @sha', { b: Buffer.from([9, 9]), sha });
    await expect(getArtifact(store.sql, sha)).rejects.toMatchObject({ code: 'artifact-mismatch', exit: 3 });
    await expect(getArtifact(store.sql, 'cd'.repeat(32))).rejects.toMatchObject({ code: 'artifact-mismatch' });
  });
});
