import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_SAMPLES, DEFAULT_POLICY, parseLabConfig } from '../../../src/devicelab/lab/config.js';
import { isMaiError } from '../../../src/core/errors.js';
import { mai } from '../../helpers/cli.js';

const fail = (text: string) => {
  try {
    parseLabConfig(text, '/labs/lab.yaml');
  } catch (e) {
    if (isMaiError(e)) return e;
    throw e;
  }
  throw new Error('parsed');
};

describe('lab.yaml', () => {
  it('the minimal form of the contract works as written, with the reference defaults', () => {
    const c = parseLabConfig(
      `version: 1
models:
  - { name: selfie, path: models/selfie.tflite, task: matting }
precisions: [fp32, fp16]
devices: [kirin9000]        # ids or tags of devices.yaml; the simulator by default
runs: 5                     # benchmark_model processes per cell
`,
      '/labs/lab.yaml',
    );
    expect(c.models).toEqual([{ name: 'selfie', path: '/labs/models/selfie.tflite', task: 'matting', data: BUNDLED_SAMPLES.matting, calib: BUNDLED_SAMPLES.matting }]);
    expect(c.precisions).toEqual(['fp32', 'fp16']);
    expect(c.devices).toEqual(['kirin9000']);
    expect(c.runs).toBe(5);
    expect(c.policy).toEqual(DEFAULT_POLICY);
    expect(DEFAULT_POLICY).toMatchObject({ baselineNights: 7, minNights: 5, alpha: 0.01, minRatio: 1.05, minSigmas: 2.5, confirmByRerun: false });
  });

  it('errors name the file, the line and the field', () => {
    expect(fail('version: 1\nmodels:\n  - { name: a, path: a.tflite }\nprecisions: [fp32, int4]\n').message).toBe(
      "/labs/lab.yaml:4: precisions.1: Invalid option: expected one of \"fp32\"|\"fp16\"|\"int8\"|\"dynamic\"",
    );
    expect(fail('version: 1\nmodels:\n  - name: a\n    path: a.tflite\n    taks: matting\n').message).toBe('/labs/lab.yaml:5: models.0.taks: unknown field');
    expect(fail('version: 1\nmodels:\n  - { name: a, path: a.tflite }\nruns: 0\n').message).toMatch(/^\/labs\/lab\.yaml:4: runs: /);
    expect(fail('version: 1\nmodels:\n  - { name: a, path: a.tflite }\n  - { name: a, path: b.tflite }\n').message).toBe("/labs/lab.yaml:4: models.1.name: duplicate model name 'a'");
    expect(fail('version: 1\nmodels: [\n').message).toMatch(/^\/labs\/lab\.yaml:\d+: malformed YAML/);
    expect(fail('version: 1\nmodels:\n  - { name: a, path: a.tflite }\npolicy: { alpha: 2 }\n').message).toMatch(/^\/labs\/lab\.yaml:4: policy\.alpha: /);
  });

  it('pools: phones of one kind named by id or tag; without devices the matrix is the pools; bad pools name the line', () => {
    const c = parseLabConfig('version: 1\nmodels:\n  - { name: a, path: a.tflite }\npools:\n  - { name: k9000, devices: [kirin9000, phone-x, kirin9000] }\n', '/labs/lab.yaml');
    expect(c.pools).toEqual([{ name: 'k9000', devices: ['kirin9000', 'phone-x'] }]);
    expect(c.devices).toEqual([]);
    const both = parseLabConfig('version: 1\nmodels:\n  - { name: a, path: a.tflite }\ndevices: [phone-y]\npools:\n  - { name: k9000, devices: [kirin9000] }\n', '/labs/lab.yaml');
    expect([both.devices, both.pools.map((p) => p.name)]).toEqual([['phone-y'], ['k9000']]);
    expect(parseLabConfig('version: 1\nmodels:\n  - { name: a, path: a.tflite }\n', '/labs/lab.yaml').pools).toEqual([]);
    expect(fail('version: 1\nmodels:\n  - { name: a, path: a.tflite }\npools:\n  - { name: p, devices: [] }\n').message).toMatch(/^\/labs\/lab\.yaml:5: pools\.0\.devices: /);
    expect(fail('version: 1\nmodels:\n  - { name: a, path: a.tflite }\npools:\n  - { name: p, devices: [x] }\n  - { name: p, devices: [y] }\n').message).toBe("/labs/lab.yaml:6: pools.1.name: duplicate pool name 'p'");
    expect(fail('version: 1\nmodels:\n  - { name: a, path: a.tflite }\npools:\n  - { name: "p q", devices: [x] }\n').message).toMatch(/^\/labs\/lab\.yaml:5: pools\.0\.name: names use letters/);
    expect(fail('version: 1\nmodels:\n  - { name: a, path: a.tflite }\ndevices: []\n').message).toBe('/labs/lab.yaml:4: devices: name at least one device (or a pool)');
  });

  const dir = mkdtempSync(join(tmpdir(), 'mai-labcfg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('the CLI: a missing lab file or a bad --night is exit 2 naming it, nothing written', async () => {
    const r = await mai('lab', 'nightly', '--config', join(dir, 'nope.yaml'), '--db', join(dir, 'r.db'), '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: 'file-not-found' });
    const n = await mai('lab', 'nightly', '--config', join(dir, 'nope.yaml'), '--night', '2026-02-30');
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/--night expects a date YYYY-MM-DD, got '2026-02-30'/);
    writeFileSync(join(dir, 'lab.yaml'), 'version: 1\nmodels:\n  - { name: a, path: a.tflite }\n');
    writeFileSync(join(dir, 'afile'), 'x');
    const out = await mai('lab', 'nightly', '--config', join(dir, 'lab.yaml'), '--out', join(dir, 'afile', 'sub'), '--db', join(dir, 'r.db'));
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--out .*afile\/sub: cannot create the report folder \(ENOTDIR\)/);
    expect(existsSync(join(dir, 'r.db'))).toBe(false);
    // pools need the workers' shared PostgreSQL: exit 2 before anything is built or stored
    writeFileSync(join(dir, 'pool.yaml'), 'version: 1\nmodels:\n  - { name: a, path: a.tflite }\npools:\n  - { name: k9000, devices: [kirin9000] }\n');
    const pool = await mai('lab', 'nightly', '--config', join(dir, 'pool.yaml'), '--out', join(dir, 'out'), '--db', join(dir, 'r.db'));
    expect(pool.code).toBe(2);
    expect(pool.stderr).toMatch(/pools \(k9000\) are shared by `mai lab worker`s through PostgreSQL: run the nightly with --db postgres:/);
    expect(existsSync(join(dir, 'r.db'))).toBe(false);
  });
});
