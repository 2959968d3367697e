/**
 * End to end: Google's selfie_segmentation.tflite (reference, LiteRT) against
 * a deliberately degraded copy (0.5 % weight noise on every conv filter,
 * written by our TFLite writer), on the bundled photos (no ground truth:
 * measured against the reference's output). Tight budget → FAIL, exit 1;
 * loose budget → PASS, exit 0; the JSON carries every number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mai } from '../helpers/cli.js';
import { degradeConvWeights } from './degrade.js';
import { encodePng } from '../../src/data/encode.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { decodeImage } from '../../src/data/decode.js';
import { makeImage } from '../../src/data/image.js';

const REF = 'node_modules/@mediapipe/selfie_segmentation/selfie_segmentation.tflite';
const DATA = 'data/samples/matting';
let dir: string;
let cand: string;

const TIGHT = `models:
  selfie_segmentation_degraded:
    task: matting
    metrics:
      sad: { maxDrop: 0.1 }
      iou: { maxDropRel: 0.01 }
    agreement:
      sqnr: { min: 30 }
    latency:
      kirin9000: 12
    size: { maxMB: 1 }
`;
const LOOSE = `warnMargin: 0.05
models:
  "selfie_segmentation*":
    task: matting
    metrics:
      sad:  { maxDrop: 5 }
      mse:  { maxDrop: 0.05 }
      grad: { maxDrop: 5 }
      conn: { maxDrop: 5 }
      iou:  { maxDropRel: 0.2 }
    agreement:
      sqnr:    { min: 10 }
      cosine:  { min: 0.9 }
      max_abs: { max: 1 }
    size: { maxMB: 1 }
`;

type Json = Record<string, any>;
const numbersIn = (o: Record<string, unknown>) => Object.values(o).every((v) => typeof v === 'number' || v === 'Infinity');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mai-validate-'));
  const { tflite, tensors } = degradeConvWeights(new Uint8Array(readFileSync(REF)), 0.005);
  expect(tensors).toBeGreaterThan(40);
  cand = join(dir, 'selfie_segmentation_degraded.tflite');
  writeFileSync(cand, tflite);
  writeFileSync(join(dir, 'tight.yaml'), TIGHT);
  writeFileSync(join(dir, 'loose.yaml'), LOOSE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mai validate (selfie_segmentation vs a degraded copy)', () => {
  let tight: Json;

  it('FAILs under a tight budget with exit 1, and the JSON gives every number', async () => {
    const r = await mai('validate', '--reference', REF, '--candidate', cand, '--data', DATA, '--task', 'matting', '--budgets', join(dir, 'tight.yaml'), '--json');
    expect(r.code, r.stderr).toBe(1);
    tight = JSON.parse(r.stdout);
    expect(tight.status).toBe('FAIL');
    expect(tight.dataset).toMatchObject({ samples: 4, groundTruth: 'reference-output', layout: 'celebamat' });
    expect(tight.reference.input).toMatchObject({ shape: [1, 256, 256, 3], layout: 'NHWC' });
    expect(tight.budgets.matched).toEqual(['selfie_segmentation_degraded']);
    for (const part of ['reference', 'candidate', 'agreement']) expect(numbersIn(tight.summary[part]), part).toBe(true);
    expect(Object.keys(tight.summary.candidate)).toEqual(['sad', 'mse', 'grad', 'conn', 'iou']);
    expect(Object.keys(tight.summary.agreement)).toEqual(['max_abs', 'mean_abs', 'rmse', 'cosine', 'sqnr']);
    expect(tight.samples).toHaveLength(4);
    for (const s of tight.samples) for (const part of ['reference', 'candidate', 'agreement']) expect(numbersIn(s[part])).toBe(true);
    // every verdict carries value, limit, margin and a status
    expect(tight.verdicts.map((v: Json) => v.check)).toEqual(['metrics.sad.maxDrop', 'metrics.iou.maxDropRel', 'agreement.sqnr.min', 'size.maxBytes']);
    for (const v of tight.verdicts) {
      expect(typeof v.value).toBe('number');
      expect(typeof v.limit).toBe('number');
      expect(typeof v.margin).toBe('number');
      expect(['PASS', 'WARN', 'FAIL']).toContain(v.status);
    }
    // the latency rule is not judged here (mai deploy measures it) but it is listed, with its limit
    expect(tight.skipped).toEqual([{ check: 'latency.kirin9000.maxMs', reason: 'latency is measured by mai deploy', limit: 12 }]);
    const byCheck = Object.fromEntries(tight.verdicts.map((v: Json) => [v.check, v]));
    expect(byCheck['metrics.sad.maxDrop'].status).toBe('FAIL');
    expect(byCheck['metrics.sad.maxDrop'].value).toBeCloseTo(tight.summary.candidate.sad - tight.summary.reference.sad, 12);
    expect(byCheck['agreement.sqnr.min'].status).toBe('FAIL');
    expect(byCheck['size.maxBytes'].status).toBe('PASS');
    // the degradation is real but moderate: the reference scores ~perfectly against its own 8-bit output
    expect(tight.summary.reference.iou).toBe(1);
    expect(tight.summary.reference.sad).toBeLessThan(0.05);
    expect(tight.summary.candidate.iou).toBeGreaterThan(0.8);
    expect(tight.summary.candidate.iou).toBeLessThan(0.999);
    expect(tight.summary.agreement.sqnr).toBeGreaterThan(10);
    expect(tight.summary.agreement.sqnr).toBeLessThan(30);
  });

  it('PASSes under a loose budget with exit 0 and the same numbers', async () => {
    const r = await mai('validate', '--reference', REF, '--candidate', cand, '--data', DATA, '--task', 'matting', '--budgets', join(dir, 'loose.yaml'), '--json');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const j: Json = JSON.parse(r.stdout);
    expect(j.status).toBe('PASS');
    expect(j.verdicts).toHaveLength(9);
    expect(j.verdicts.every((v: Json) => v.status === 'PASS')).toBe(true);
    expect(j.summary).toEqual(tight.summary); // deterministic
  });

  it('text output prints the verdict table, the skipped latency rule and the failure reason; the HTML lists the skipped rule too', async () => {
    const html = join(dir, 'tight.html');
    const r = await mai('validate', '--reference', REF, '--candidate', cand, '--data', DATA, '--task', 'matting', '--budgets', join(dir, 'tight.yaml'), '--limit', '1', '--html', html);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/metrics\.sad\.maxDrop\s+\S+\s+0\.1\s+-\S+\s+FAIL/);
    expect(r.stdout).toContain('skipped latency.kirin9000.maxMs (limit 12): latency is measured by mai deploy');
    expect(r.stdout).toMatch(/note: no ground truth/);
    expect(r.stderr).toMatch(/budget check\(s\) failed: metrics\.sad\.maxDrop/);
    expect(readFileSync(html, 'utf8')).toContain('<li>skipped latency.kirin9000.maxMs (limit 12): latency is measured by mai deploy</li>');
  });

  it('an --html path in a missing folder, or that is a folder, is an exit-2 error naming it, before any model runs', async () => {
    const missing = join(dir, 'no-such-dir', 'r.html');
    // the candidate does not exist: had a model been loaded first, the error would be about it
    const r = await mai('validate', '--reference', REF, '--candidate', join(dir, 'absent.tflite'), '--data', DATA, '--task', 'matting', '--html', missing, '--json');
    expect(r.code).toBe(2);
    const e = JSON.parse(r.stdout);
    expect(e).toMatchObject({ error: 'output-dir-missing', file: missing });
    expect(e.message).toContain(`--html ${missing}`);
    expect(e.message).not.toMatch(/\.tmp/);
    const folder = await mai('validate', '--reference', REF, '--candidate', cand, '--data', DATA, '--task', 'matting', '--html', dir, '--json');
    expect(folder.code).toBe(2);
    expect(JSON.parse(folder.stdout)).toMatchObject({ error: 'output-is-directory', file: dir });
    expect(JSON.parse(folder.stdout).message).toContain(`--html ${dir}`);
    // text mode names the path on stderr
    const text = await mai('validate', '--reference', REF, '--candidate', cand, '--data', DATA, '--task', 'matting', '--html', missing);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain(`--html ${missing}`);
  });

  it('the reference against itself agrees exactly (SQNR Infinity in JSON)', async () => {
    const r = await mai('validate', '--reference', REF, '--candidate', REF, '--data', DATA, '--task', 'matting', '--limit', '2', '--json');
    expect(r.code).toBe(0);
    const j: Json = JSON.parse(r.stdout);
    expect(j.summary.agreement).toEqual({ max_abs: 0, mean_abs: 0, rmse: 0, cosine: 1, sqnr: 'Infinity' });
    expect(j.summary.candidate).toEqual(j.summary.reference);
    expect(j.verdicts).toEqual([]);
  });

  it('with ground truth on disk (the reference output saved as PNG mattes), numbers equal the no-ground-truth path', async () => {
    const root = join(dir, 'celebamat');
    mkdirSync(join(root, 'img'), { recursive: true });
    mkdirSync(join(root, 'mask'));
    const model = await liteRtRuntime.load(new Uint8Array(readFileSync(REF)));
    for (const name of ['astronaut', 'coffee']) {
      copyFileSync(join(DATA, 'img', `${name}.jpg`), join(root, 'img', `${name}.jpg`));
      const img = await decodeImage(join(DATA, 'img', `${name}.jpg`), { width: 256, height: 256 });
      const [out] = await model.run([{ name: 'input', dtype: 'float32', shape: [1, 256, 256, 3], data: img.data }]);
      writeFileSync(join(root, 'mask', `${name}.png`), await encodePng(makeImage(256, 256, 1, out!.data as Float32Array)));
    }
    await model.dispose();
    const r = await mai('validate', '--reference', REF, '--candidate', cand, '--data', root, '--task', 'matting', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j: Json = JSON.parse(r.stdout);
    expect(j.dataset.groundTruth).toBe('dataset');
    const pick = (name: string) => tight.samples.find((s: Json) => s.name === name);
    for (const s of j.samples) {
      expect(s.candidate).toEqual(pick(s.name).candidate);
      expect(s.reference).toEqual(pick(s.name).reference);
    }
  });

  it('a missing ground-truth matte is an exit-2 error naming the file', async () => {
    const root = join(dir, 'broken');
    mkdirSync(join(root, 'img'), { recursive: true });
    mkdirSync(join(root, 'mask'));
    copyFileSync(join(DATA, 'img', 'coffee.jpg'), join(root, 'img', 'coffee.jpg'));
    const r = await mai('validate', '--reference', REF, '--candidate', cand, '--data', root, '--task', 'matting', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: 'dataset-missing-pair', file: join(root, 'img', 'coffee.jpg') });
  });

  it('a corrupt candidate .tflite is an exit-2 error naming the candidate file', async () => {
    const bad = join(dir, 'truncated.tflite');
    writeFileSync(bad, readFileSync(REF).subarray(0, 4096)); // keeps the TFL3 header, loses the rest
    const r = await mai('validate', '--reference', REF, '--candidate', bad, '--data', DATA, '--task', 'matting', '--json');
    expect(r.code, r.stdout).toBe(2);
    const e = JSON.parse(r.stdout);
    expect(e.message).toContain(bad);
    expect(e.message).not.toContain(REF);
    expect(e).toMatchObject({ error: 'tflite-load-failed', file: bad });
  });

  it('--output-index past the model outputs is an exit-2 error', async () => {
    const r = await mai('validate', '--reference', REF, '--candidate', cand, '--data', DATA, '--task', 'matting', '--output-index', '1', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).message).toMatch(/has 1 output\(s\); there is no output #1/);
  });

  it('budgets with no entry for the model are an exit-2 error naming the model and the file, before any model runs', async () => {
    writeFileSync(join(dir, 'other.yaml'), 'models:\n  some_other_model:\n    size: { maxMB: 1 }\n');
    const r = await mai('validate', '--reference', REF, '--candidate', cand, '--data', DATA, '--task', 'matting', '--budgets', join(dir, 'other.yaml'), '--json');
    expect(r.code).toBe(2);
    const err = JSON.parse(r.stdout);
    expect(err.message).toMatch(/other\.yaml: no entry matches the model name 'selfie_segmentation_degraded' for the matting task/);
    expect(JSON.stringify(err)).toMatch(/some_other_model/);
    // --model names the entry to judge by
    const named = await mai('validate', '--reference', REF, '--candidate', cand, '--data', DATA, '--task', 'matting', '--budgets', join(dir, 'other.yaml'), '--model', 'some_other_model', '--limit', '1', '--json');
    expect(named.code).toBe(0);
  });

  it('a bad budgets file is an exit-2 error with its line', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'models:\n  x:\n    latency:\n      kirin9000: -3\n');
    const r = await mai('validate', '--reference', REF, '--candidate', cand, '--data', DATA, '--task', 'matting', '--budgets', join(dir, 'bad.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:4: models\.x\.latency\.kirin9000/);
  });
});
