/**
 * The visual diff opened in headless Chromium (Debian `chromium`, driven by
 * playwright-core): every <img> must have decoded (naturalWidth > 0), the
 * verdict badges and sample sections must be there; a screenshot is kept in
 * test-artifacts/ for a human to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { mai } from '../helpers/cli.js';
import { degradeConvWeights } from './degrade.js';

const CHROMIUM = '/usr/bin/chromium';
const REF = 'node_modules/@mediapipe/selfie_segmentation/selfie_segmentation.tflite';
const ARTIFACTS = 'test-artifacts';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mai-html-'));
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

if (!existsSync(CHROMIUM)) console.warn(`report-html.test: ${CHROMIUM} not found (apt-get install chromium) — browser test skipped`);

describe('validate --html', () => {
  it.skipIf(!existsSync(CHROMIUM))('renders in headless Chromium with every image decoded', async () => {
    const cand = join(dir, 'selfie_segmentation_degraded.tflite');
    writeFileSync(cand, degradeConvWeights(new Uint8Array(readFileSync(REF)), 0.005).tflite);
    const html = join(ARTIFACTS, 'validate-report.html');
    const r = await mai('validate', '--reference', REF, '--candidate', cand, '--data', 'data/samples/matting', '--task', 'matting', '--budgets', 'budgets.yaml', '--model', 'selfie_segmentation', '--html', html, '--json');
    expect([0, 1]).toContain(r.code);
    const report = JSON.parse(r.stdout);
    expect(report.html).toBe(html);
    const text = readFileSync(html, 'utf8');
    // self-contained: no external resources
    expect(text).not.toMatch(/(src|href)="(https?:|file:|\/)/);

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      await page.goto('file://' + resolve(html), { waitUntil: 'load' });
      const imgs = await page.$$eval('img', (xs) => xs.map((i) => ({ alt: i.alt, complete: i.complete, w: i.naturalWidth, h: i.naturalHeight, shown: i.getBoundingClientRect().width })));
      // 4 samples × (input, reference, candidate, error)
      expect(imgs).toHaveLength(16);
      for (const i of imgs) {
        expect(i.complete, i.alt).toBe(true);
        expect(i.w, `${i.alt} naturalWidth`).toBeGreaterThan(0);
        expect(i.h, `${i.alt} naturalHeight`).toBeGreaterThan(0);
        expect(i.shown, `${i.alt} laid out`).toBeGreaterThan(100);
      }
      const badges = await page.$$eval('.verdicts .badge', (xs) => xs.map((x) => x.textContent));
      expect(badges).toEqual(report.verdicts.map((v: { status: string }) => v.status));
      expect(await page.$$eval('section.sample', (xs) => xs.length)).toBe(4);
      // readable on a laptop: nothing wider than the viewport
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
      await page.screenshot({ path: join(ARTIFACTS, 'validate-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
    expect(existsSync(join(ARTIFACTS, 'validate-report.png'))).toBe(true);
  });
});
