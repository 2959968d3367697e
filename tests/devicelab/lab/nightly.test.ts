/**
 * The nightly on the simulated lab, night after night: an unchanged model never
 * alarms over the noise; a model swapped on night 8 for one ≥ 1.3× slower
 * is WARN on night 8 and REGRESSION on night 9; a change in delegation FAILs; an
 * offline device yields NOT_RUN cells; a process killed mid-night loses no
 * stored row and the re-run completes the night without duplicates.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLabConfig } from '../../../src/devicelab/lab/config.js';
import { runNightly, type NightlyResult } from '../../../src/devicelab/lab/run.js';
import { mai } from '../../helpers/cli.js';
import { convChain, SIM_DEVICES_YAML, writeFiles } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-lab-'));
const db = join(dir, 'results.db');
const night = (d: number) => `2026-11-${String(d).padStart(2, '0')}`;
const LAB = `version: 1
models:
  - { name: steady, path: steady.tflite }
  - { name: swap, path: swap.tflite }
precisions: [fp32]
devices: [kirin9000]
runs: 5
`;

async function nightly(d: number, labFile = 'lab.yaml', extra: Partial<Parameters<typeof runNightly>[0]> = {}): Promise<NightlyResult> {
  return runNightly({ config: await loadLabConfig(join(dir, labFile)), night: night(d), outDir: join(dir, 'out', night(d)), db, devicesFile: join(dir, 'devices.yaml'), devicesFileExplicit: true, ...extra });
}
const cell = (r: NightlyResult, model: string) => r.cells.find((c) => c.model === model)!;
const rows = (sql: string, ...args: unknown[]) => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all(...args) as Array<Record<string, unknown>>;
  } finally {
    d.close();
  }
};

const results = new Map<number, NightlyResult>();

beforeAll(async () => {
  const base = convChain({ size: 64, channels: 32, depth: 2 });
  writeFiles(dir, { 'devices.yaml': SIM_DEVICES_YAML, 'lab.yaml': LAB, 'steady.tflite': base, 'swap.tflite': base, 'slower.tflite': convChain({ size: 64, channels: 80, depth: 2 }) });
  for (let d = 1; d <= 9; d++) {
    if (d === 8) {
      copyFileSync(db, join(dir, 'after-night-7.db'));
      copyFileSync(join(dir, 'slower.tflite'), join(dir, 'swap.tflite'));
    }
    results.set(d, await nightly(d));
  }
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mai lab nightly on the simulated lab', () => {
  it('an unchanged model never gets REGRESSION (nor a slowdown WARN) over 9 nights of noise and throttling', () => {
    const verdicts = [...results.values()].map((r) => cell(r, 'steady').verdict);
    expect(verdicts.slice(0, 5)).toEqual(Array(5).fill('INSUFFICIENT_DATA'));
    for (const r of results.values()) {
      const c = cell(r, 'steady');
      expect(c.verdict).not.toBe('REGRESSION');
      expect(c.comparison?.shift ?? null).not.toBe('slower');
      expect(c.simulated).toBe(true);
      expect(c.latency.p50Ms).toBeGreaterThan(0);
    }
    expect(verdicts.slice(5)).toContain('PASS');
  });

  it('a model replaced on night 8 by one ≥ 1.3× slower (80 channels for 32: ≈ 1.5× the latency, fixed costs included) is WARN on night 8 and REGRESSION on night 9', () => {
    const n8 = cell(results.get(8)!, 'swap');
    expect(n8.verdict).toBe('WARN');
    expect(n8.comparison!.shift).toBe('slower');
    expect(n8.comparison!.ratio).toBeGreaterThan(1.25);
    expect(n8.comparison!.ci95[0]).toBeGreaterThan(1.2);
    expect(n8.comparison!.pSlower).toBeLessThan(0.01);
    expect(n8.baseline!.nights).toEqual([1, 2, 3, 4, 5, 6, 7].map(night));
    const n9 = cell(results.get(9)!, 'swap');
    expect(n9.verdict).toBe('REGRESSION');
    // night 8 was flagged, so it is not part of night 9's baseline
    expect(n9.baseline!.nights).not.toContain(night(8));
    expect(results.get(9)!.exit).toBe(1);
    expect(results.get(7)!.exit).toBe(0);
    expect(results.get(9)!.changes).toContainEqual({ model: 'swap', precision: 'fp32', device: 'sim-a', from: 'WARN', to: 'REGRESSION' });
  });

  it('with confirmByRerun, night 8 reruns the cell at once and the rerun confirms the REGRESSION', async () => {
    writeFileSync(join(dir, 'lab-rerun.yaml'), `${LAB}policy: { confirmByRerun: true }\n`);
    const copy = join(dir, 'rerun.db');
    copyFileSync(join(dir, 'after-night-7.db'), copy);
    const r = await nightly(8, 'lab-rerun.yaml', { db: copy });
    const c = cell(r, 'swap');
    expect(c.verdict).toBe('REGRESSION');
    expect(c.comparison!.confirmedByRerun).toBe(true);
    expect(c.reasons[0]).toMatch(/confirmed by a rerun/);
    expect(cell(r, 'steady').verdict).not.toBe('REGRESSION');
    const d = new Database(copy, { readonly: true });
    const runs = d.prepare("SELECT run FROM lab_runs WHERE night = ? AND model = 'swap' ORDER BY run").all(night(8)) as Array<{ run: number }>;
    d.close();
    expect(runs.map((x) => x.run)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  }, 60_000);

  it('stores one row per run per cell with the raw values, keyed (night, model, precision, device, run)', () => {
    const n = rows('SELECT COUNT(*) AS n, COUNT(DISTINCT night || model || precision || device || run) AS k FROM lab_runs')[0]!;
    expect(n.n).toBe(9 * 2 * 5);
    expect(n.k).toBe(n.n);
    const linked = rows("SELECT l.median_us, r.median_us AS raw, r.raw_output FROM lab_runs l JOIN runs r ON r.id = l.run_id WHERE l.status = 'ok' LIMIT 3");
    for (const r of linked) {
      expect(r.median_us).toBe(r.raw);
      expect(String(r.raw_output)).toContain('SIMULATED');
    }
    // throttled runs were discarded and run again, their numbers kept
    const discarded = rows('SELECT discarded FROM lab_runs WHERE discarded IS NOT NULL');
    expect(discarded.length).toBeGreaterThan(0);
    expect(JSON.parse(String(discarded[0]!.discarded))[0].reason).toBe('throttled');
  });

  it('a change in delegated node count is a FAIL', async () => {
    writeFileSync(join(dir, 'swap.tflite'), convChain({ size: 64, channels: 32, depth: 3 }));
    const r = await nightly(10);
    const c = cell(r, 'swap');
    expect(c.verdict).toBe('FAIL');
    expect(c.reasons.join(' ')).toMatch(/delegation changed: 5 → 6 delegated nodes/);
    expect(r.exit).toBe(1);
  }, 60_000);

  it('a device taken offline yields NOT_RUN cells (stored as rows), and exit 3', async () => {
    writeFileSync(join(dir, 'lab-offline.yaml'), `${LAB}simulation: { offline: [sim-a] }\n`);
    const r = await nightly(11, 'lab-offline.yaml');
    expect(r.cells.map((c) => c.verdict)).toEqual(['NOT_RUN', 'NOT_RUN']);
    expect(r.cells[0]!.reasons[0]).toMatch(/sim-a offline/);
    expect(r.exit).toBe(3);
    expect(r.devices[0]!.online).toBe(false);
    const stored = rows('SELECT status FROM lab_runs WHERE night = ?', night(11));
    expect(stored).toHaveLength(10);
    expect(new Set(stored.map((s) => s.status))).toEqual(new Set(['not_run']));
  }, 60_000);

  it('an adb server that is gone makes the cells NOT_RUN (exit 3), naming the server', async () => {
    writeFileSync(join(dir, 'devices-gone.yaml'), 'version: 1\ndevices:\n  - { id: phone-1, tags: [kirin9000], serial: ABC123, adb: "127.0.0.1:1", soc: kirin9000, retries: 0 }\n');
    const r = await nightly(20, 'lab.yaml', { devicesFile: join(dir, 'devices-gone.yaml'), db: join(dir, 'gone.db') });
    expect(r.cells.map((c) => c.verdict)).toEqual(['NOT_RUN', 'NOT_RUN']);
    expect(r.cells[0]!.simulated).toBe(false);
    expect(r.labFailure).toMatch(/127\.0\.0\.1:1/);
    expect(r.exit).toBe(3);
  }, 60_000);

  it('a nightly killed mid-night loses no stored row; the re-run completes the night without duplicates', async () => {
    const cli = join(process.cwd(), 'src', 'cli', 'main.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'lab', 'nightly', '--config', join(dir, 'lab.yaml'), '--night', night(12), '--out', join(dir, 'out12'), '--db', db, '--devices', join(dir, 'devices.yaml'), '--json'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let before: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 50));
      before = rows("SELECT id, run, model, started_at, status FROM lab_runs WHERE night = ? AND status = 'ok'", night(12));
      if (before.length >= 3) break;
    }
    child.kill('SIGKILL');
    await exited;
    before = rows('SELECT id, run, model, started_at, status FROM lab_runs WHERE night = ?', night(12));
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(before.length).toBeLessThan(10);
    const r = await nightly(12);
    expect(r.cells).toHaveLength(2);
    const after = rows('SELECT id, run, model, started_at, status FROM lab_runs WHERE night = ? ORDER BY id', night(12));
    expect(after).toHaveLength(10);
    // the rows stored before the kill are still there, untouched
    for (const b of before) expect(after).toContainEqual(b);
    expect(new Set(after.map((a) => `${a.model}/${a.run}`)).size).toBe(10);
  }, 90_000);

  it('`mai lab nightly --json` prints one document whose cells carry the contract fields; `mai lab history` prints the series', async () => {
    const run = await mai('lab', 'nightly', '--config', join(dir, 'lab.yaml'), '--night', night(13), '--out', join(dir, 'out13'), '--db', db, '--devices', join(dir, 'devices.yaml'), '--json');
    const doc = JSON.parse(run.stdout);
    expect(doc.cells).toHaveLength(2);
    for (const c of doc.cells) {
      expect(c).toMatchObject({ precision: 'fp32', device: 'sim-a', simulated: true });
      expect(['steady', 'swap']).toContain(c.model);
      expect(['PASS', 'WARN', 'FAIL', 'REGRESSION', 'IMPROVED', 'INSUFFICIENT_DATA', 'NOT_RUN', 'ERROR']).toContain(c.verdict);
      expect(typeof c.latency.p50Ms).toBe('number');
    }
    expect(run.code).toBe(doc.exit);
    expect(readFileSync(join(dir, 'out13', 'index.html'), 'utf8')).toContain('<!doctype html>');
    const h = await mai('lab', 'history', 'swap', '--db', db, '--precision', 'fp32');
    expect(h.code).toBe(0);
    expect(h.stdout).toContain(night(8));
    expect(h.stdout).toMatch(/REGRESSION/);
    const missing = await mai('lab', 'history', 'nope', '--db', db);
    expect(missing.code).toBe(2);
  }, 60_000);
});
