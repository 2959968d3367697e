/**
 * The parts of remote builds that need no database: lab.yaml `build`, which
 * models a build worker may build (bundled samples only), the build job's
 * payload check and its id (the same build of the same night, the same job).
 */
import { describe, expect, it } from 'vitest';
import { isMaiError } from '../../../src/core/errors.js';
import { parseLabConfig } from '../../../src/devicelab/lab/config.js';
import { buildJobId, checkRemoteBuildData, parseBuildJob, type BuildJob } from '../../../src/devicelab/lab/remote-build.js';

const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (isMaiError(e)) return e;
    throw e;
  }
  throw new Error('no error');
};

const JOB: BuildJob = {
  night: '2026-12-01',
  model: 'enc',
  file: 'enc.onnx',
  path: '/labs/enc.onnx',
  source: 'a'.repeat(64),
  task: 'matting',
  precision: 'int8',
  budgetsText: null,
  validateSamples: 4,
};

describe('remote builds (no database)', () => {
  it('lab.yaml `build` is host by default, workers on request, anything else exit 2 naming the line', () => {
    const base = 'version: 1\nmodels:\n  - { name: m, path: m.tflite, task: matting }\n';
    expect(parseLabConfig(base, '/labs/lab.yaml').build).toBe('host');
    expect(parseLabConfig(`${base}build: workers\n`, '/labs/lab.yaml').build).toBe('workers');
    const e = thrown(() => parseLabConfig(`${base}build: cloud\n`, '/labs/lab.yaml'));
    expect([e.code, e.exit]).toEqual(['lab-config-invalid', 2]);
    expect(e.message).toMatch(/^\/labs\/lab\.yaml:4: build: /);
  });

  it('a model with its own data or calib folder is refused for remote builds (exit 2, naming model and folder); bundled samples pass', () => {
    const ok = parseLabConfig('version: 1\nmodels:\n  - { name: m, path: m.tflite, task: bokeh }\n  - { name: n, path: n.tflite }\n', '/labs/lab.yaml');
    expect(() => checkRemoteBuildData(ok)).not.toThrow();
    const data = thrown(() => checkRemoteBuildData(parseLabConfig('version: 1\nmodels:\n  - { name: m, path: m.tflite, data: photos }\n', '/labs/lab.yaml')));
    expect([data.code, data.exit]).toEqual(['remote-build-data', 2]);
    expect(data.message).toBe("/labs/lab.yaml: model 'm' names data /labs/photos: builds on the lab workers validate and calibrate with the bundled samples only (a worker's host need not have this folder)");
    const calib = thrown(() => checkRemoteBuildData(parseLabConfig('version: 1\nmodels:\n  - { name: m, path: m.tflite, task: matting, calib: cal }\n', '/labs/lab.yaml')));
    expect(calib.message).toMatch(/^\/labs\/lab\.yaml: model 'm' names calib \/labs\/cal: /);
  });

  it('a build job id is the same for the same build of the same night, and differs when anything the build depends on differs', () => {
    expect(buildJobId({ ...JOB })).toBe(buildJobId(JOB));
    expect(buildJobId(JOB)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    const others = [{ night: '2026-12-02' }, { precision: 'fp16' as const }, { source: 'b'.repeat(64) }, { budgetsText: 'version: 1\n' }, { validateSamples: 2 }, { inputShapes: { x: [1, 3, 8, 8] } }];
    const ids = new Set([JOB, ...others.map((o) => ({ ...JOB, ...o }))].map(buildJobId));
    expect(ids.size).toBe(others.length + 1);
  });

  it('a malformed build job payload is exit 2 naming the job and the field', () => {
    expect(parseBuildJob(JOB, 'j1')).toEqual(JOB);
    const e = thrown(() => parseBuildJob({ ...JOB, file: '../../etc/passwd' }, 'j1'));
    expect([e.code, e.exit]).toEqual(['bad-option', 2]);
    expect(e.message).toMatch(/^build job j1: malformed payload: file: /);
    expect(thrown(() => parseBuildJob({ ...JOB, extra: 1 }, 'j2')).message).toMatch(/^build job j2: malformed payload: \(top level\)/);
  });
});
