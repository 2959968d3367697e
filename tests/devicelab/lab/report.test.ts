/**
 * Accuracy and build failures as verdicts, and the report opened in headless
 * Chromium: the matrix, one uPlot trend chart per cell, the validate
 * thumbnails decoded, nothing from outside the page, every string escaped (a
 * model path holding a <script> shows as text and never runs). Screenshot in
 * test-artifacts/.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLabConfig } from '../../../src/devicelab/lab/config.js';
import { runNightly, type NightlyResult } from '../../../src/devicelab/lab/run.js';
import { buildEncoderDecoderOnnx } from '../../../src/samples/encoder-decoder.js';
import { SIM_DEVICES_YAML, writeFiles } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test-artifacts';
const EVIL = 'x<script>alert(1)</script>.tflite';
const dir = mkdtempSync(join(tmpdir(), 'mai-labreport-'));
let last: NightlyResult;

beforeAll(async () => {
  writeFiles(dir, {
    'devices.yaml': SIM_DEVICES_YAML,
    'enc.onnx': buildEncoderDecoderOnnx({ size: 64, width: 8, seed: 1 }),
    // int8 agreement of this model is ≈ 41 dB: a 50 dB floor fails it; fp32 (≈ 139 dB) passes 100
    'budgets.yaml': 'version: 1\nmodels:\n  "enc-int8":\n    agreement: { sqnr: { min: 50 } }\n  "enc-fp32":\n    agreement: { sqnr: { min: 100 } }\n',
    'lab.yaml': `version: 1\nmodels:\n  - { name: enc, path: enc.onnx, task: matting }\n  - { name: broken, path: "${EVIL}" }\nprecisions: [fp32, int8]\nruns: 3\nvalidateSamples: 2\nbudgets: budgets.yaml\n`,
  });
  const config = await loadLabConfig(join(dir, 'lab.yaml'));
  for (let d = 1; d <= 6; d++) {
    const night = `2026-10-0${d}`;
    last = await runNightly({ config, night, outDir: join(dir, 'out', night), db: join(dir, 'r.db'), devicesFile: join(dir, 'devices.yaml'), devicesFileExplicit: true });
  }
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cell = (model: string, precision: string) => last.cells.find((c) => c.model === model && c.precision === precision)!;

describe('nightly verdicts from accuracy and builds', () => {
  it('int8 accuracy below its budget is FAIL; the float variant passes its own', () => {
    const int8 = cell('enc', 'int8');
    expect(int8.verdict).toBe('FAIL');
    expect(int8.reasons[0]).toMatch(/accuracy below budget: agreement\.sqnr/);
    expect(int8.accuracy!.agreement.sqnr).toBeLessThan(50);
    expect(int8.accuracy!.method).toBe('validate');
    const fp32 = cell('enc', 'fp32');
    expect(fp32.accuracy!.status).toBe('PASS');
    expect(['PASS', 'IMPROVED', 'WARN']).toContain(fp32.verdict);
    expect(last.exit).toBe(1);
  });
  it('a model that cannot be read is an ERROR cell with the reason, for every precision and device', () => {
    for (const p of ['fp32', 'int8']) {
      const c = cell('broken', p);
      expect(c.verdict).toBe('ERROR');
      expect(c.reasons[0]).toMatch(/convert failed: .*not found/i);
    }
  });
});

if (!existsSync(CHROMIUM)) console.warn(`lab report.test: ${CHROMIUM} not found (apt-get install chromium) — browser test skipped`);

describe('the nightly report', () => {
  it.skipIf(!existsSync(CHROMIUM))('renders in headless Chromium: matrix, a chart per cell, thumbnails; strings escaped', async () => {
    const html = last.report;
    const text = readFileSync(html, 'utf8');
    expect(text).not.toMatch(/(src|href)="(https?:|file:|\/)/);
    expect(text).not.toContain('<script>alert(1)');
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      let dialogs = 0;
      const errors: string[] = [];
      page.on('dialog', (d) => {
        dialogs++;
        void d.dismiss();
      });
      page.on('pageerror', (e) => errors.push(e.message));
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto('file://' + resolve(html), { waitUntil: 'load' });
      expect(errors).toEqual([]);
      expect(dialogs).toBe(0);
      expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
      const matrix = await page.$$eval('table.matrix tr', (rows) => rows.map((r) => r.textContent ?? ''));
      expect(matrix).toHaveLength(1 + 4);
      expect(await page.$$eval('table.matrix .v', (xs) => xs.map((x) => x.textContent))).toEqual(
        ['enc', 'broken'].flatMap((m) => ['fp32', 'int8'].map((p) => last.cells.find((c) => c.model === m && c.precision === p)!.verdict)),
      );
      // one uPlot per cell, drawn on a canvas of real size
      const charts = await page.$$eval('.chart', (xs) => xs.map((x) => ({ rendered: x.getAttribute('data-rendered'), canvas: x.querySelector('canvas')?.getBoundingClientRect().width ?? 0 })));
      expect(charts).toHaveLength(4);
      for (const c of charts) {
        expect(c.rendered).toBe('1');
        expect(c.canvas).toBeGreaterThan(300);
      }
      const imgs = await page.$$eval('figure img', (xs) => (xs as HTMLImageElement[]).map((i) => ({ w: i.naturalWidth, complete: i.complete })));
      expect(imgs).toHaveLength(8);
      for (const i of imgs) expect(i.w).toBeGreaterThan(0);
      // the evil path is shown as text
      expect(await page.evaluate(() => document.body.innerText)).toContain('<script>alert(1)</script>');
      // what changed comes before the matrix
      const order = await page.$$eval('h2', (xs) => xs.map((x) => x.textContent));
      expect(order.slice(0, 2)).toEqual(['What changed since last night', 'Matrix']);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'lab-nightly-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
    expect(existsSync(join(ARTIFACTS, 'lab-nightly-report.png'))).toBe(true);
  }, 120_000);
});
