/**
 * Names are data through `mai lab nightly`: lab.yaml model names (the ones the
 * schema accepts, `--` prefixes and very long ones included) and hostile model
 * file paths (`;`, `$(…)`, backticks, quotes, spaces, newlines, non-ASCII) run
 * the night on a simulated Kirin 9000 whose shell logs every command. The phone
 * runs only the intended argv (the model pushed as `<deviceDir>/<sha256>.tflite`),
 * the rows, the JSON cells and the HTML report carry the display name; a name
 * the schema refuses is a `file:line` error before any device is touched.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseDevices, type DeviceEntry } from '../../../src/devicelab/config/devices.js';
import { loadLabConfig, parseLabConfig } from '../../../src/devicelab/lab/config.js';
import { runNightly } from '../../../src/devicelab/lab/run.js';
import type { SimDevice } from '../../../src/devicelab/sim/device.js';
import { AdbSimServer } from '../../../src/devicelab/sim/server.js';
import { mai } from '../../helpers/cli.js';
import { hostileFileName, hostileWord, KNOWN_INJECTIONS, labModelName } from '../hostile.js';
import { devicesYaml } from '../../helpers/lab-worker.js';
import { convChain, labRunArgv } from './fixtures.js';

export const RUNS = { nightly: 25, refused: 60 };

const dir = mkdtempSync(join(tmpdir(), 'mai-lab-hostile-'));
const MODEL = convChain({ size: 16, channels: 4 });
const ITERATIONS = 3;
const WARMUP = 1;
let sim: AdbSimServer;
let device: SimDevice;
let entry: DeviceEntry;
let devicesFile: string;

beforeAll(async () => {
  sim = new AdbSimServer({ devices: [{ serial: 'k-lab-h' }] });
  const { port } = await sim.listen(0);
  device = sim.device('k-lab-h')!;
  devicesFile = join(dir, 'devices.yaml');
  const text = devicesYaml([{ id: 'phone-h', serial: 'k-lab-h', port }]);
  writeFileSync(devicesFile, text);
  entry = parseDevices(text, devicesFile)[0]!;
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** lab.yaml naming one model `name` at `file` (in its own folder beside the lab file). */
function writeLab(name: string, file: string): { lab: string; folder: string } {
  const d = mkdtempSync(join(dir, 'n-'));
  const sub = mkdtempSync(join(d, 'm-'));
  writeFileSync(join(sub, file), MODEL);
  const lab = join(d, 'lab.yaml');
  writeFileSync(lab, stringify({ version: 1, models: [{ name, path: `${posix.basename(sub)}/${file}` }], precisions: ['fp32'], devices: ['phone-h'], runs: 2, iterations: ITERATIONS, warmupRuns: WARMUP, validateSamples: 1 }));
  return { lab, folder: posix.basename(sub) };
}

const intendedRun = (sha256: string) => labRunArgv(entry, device, sha256, ITERATIONS, WARMUP);

const labRows = (db: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT l.model, l.status, l.model_sha256, r.model_name FROM lab_runs l LEFT JOIN runs r ON r.id = l.run_id ORDER BY l.id').all() as Array<Record<string, string>>;
  } finally {
    d.close();
  }
};

/** One night of one hostile model: everything the phone ran, the rows, the JSON cells and the report. */
async function checkNight(name: string, file: string): Promise<void> {
  device.commands.clear();
  const { lab, folder } = writeLab(name, file);
  const out = join(lab, '..', 'out');
  const db = join(lab, '..', 'results.db');
  const r = await runNightly({ config: await loadLabConfig(lab), night: '2026-12-04', outDir: out, db, devicesFile, devicesFileExplicit: true });
  expect(device.commands.errors(), name).toEqual([]);
  expect(r.cells).toHaveLength(1);
  const [cell] = r.cells;
  expect(cell).toMatchObject({ model: name, device: 'phone-h' });
  expect(cell!.runs.ok, JSON.stringify(cell)).toBe(2);
  const rows = labRows(db);
  expect(rows).toHaveLength(2);
  const sha = rows[0]!.model_sha256!;
  expect(sha).toMatch(/^[0-9a-f]{64}$/);
  for (const row of rows) expect(row).toMatchObject({ model: name, status: 'ok', model_sha256: sha, model_name: `${name}-fp32.tflite` });
  const argvs = device.commands.argvs();
  expect(argvs).toEqual([...intendedRun(sha), ...intendedRun(sha)]);
  // the user's file (its unique folder) never reaches the phone: only the hash-named model is pushed and run
  for (const a of argvs) expect(a.join(' '), file).not.toContain(folder);
  expect(JSON.parse(JSON.stringify(r)).cells[0].model).toBe(name);
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  expect(html).toContain(`${name} · fp32 · phone-h`);
  expect(device.fs.glob('/*pwned*')).toEqual([]);
}

describe('property: hostile names through mai lab nightly reach the phone only as data', () => {
  it(`lab.yaml names and hostile model file paths (${RUNS.nightly} runs)`, async () => {
    await fc.assert(fc.asyncProperty(labModelName(), hostileFileName(), checkNight), { numRuns: RUNS.nightly });
  }, 180_000);

  it('the known injections, each one as a model file name', async () => {
    for (const file of KNOWN_INJECTIONS) await checkNight('m', file);
  }, 120_000);
});

describe('names lab.yaml refuses never reach a device', () => {
  it(`hostile model names are a file:line error (${RUNS.refused} runs)`, () => {
    const tooLong = fc.integer({ min: 129, max: 400 }).map((n) => `--${'m'.repeat(n - 2)}`);
    const refused = fc.oneof(hostileWord().filter((n) => !/^[A-Za-z0-9._-]+$/.test(n)), tooLong);
    fc.assert(
      fc.property(refused, (name) => {
        const text = stringify({ version: 1, models: [{ name, path: 'm.tflite' }] });
        expect(() => parseLabConfig(text, 'lab.yaml')).toThrow(expect.objectContaining({ exit: 2, code: 'lab-config-invalid', message: expect.stringMatching(/^lab\.yaml:\d+: models\.0\.name: /) }));
      }),
      { numRuns: RUNS.refused },
    );
  });

  it('a 240-character name (it broke the build cache: ENAMETOOLONG, exit 3) is a file:line error', () => {
    expect(() => parseLabConfig(stringify({ version: 1, models: [{ name: 'a'.repeat(240), path: 'm.tflite' }] }), 'lab.yaml')).toThrow(/^lab\.yaml:3: models\.0\.name: names are at most 128 characters long$/);
  });

  it('mai lab nightly with the known injections as names: exit 2, the phone untouched', async () => {
    for (const name of KNOWN_INJECTIONS.filter((n) => !/^[A-Za-z0-9._-]+$/.test(n))) {
      device.commands.clear();
      const { lab } = writeLab(name, 'm.tflite');
      const r = await mai('lab', 'nightly', '--config', lab, '--devices', devicesFile, '--db', join(lab, '..', 'r.db'), '--out', join(lab, '..', 'out'), '--night', '2026-12-04', '--json');
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr + r.stdout).toMatch(/lab\.yaml:\d+: models\.0\.name: names use letters, digits, \. _ -/);
      expect(device.commands.argvs()).toEqual([]);
    }
  }, 120_000);
});
