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
import { renderValidationHtml } from '../../src/validate/report-html.js';
import type { SampleImages, ValidationReport } from '../../src/validate/validate.js';
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

/** Text from file names, budgets and paths, each one hostile to HTML. */
const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "' onmouseover='alert(1)", '&lt;already&gt; & more', '</title><h1>x'];

function hostileReport(): { report: ValidationReport; images: SampleImages[] } {
  const img = (channels: number) => ({ width: 2, height: 2, channels, data: new Float32Array(4 * channels).fill(0.5) });
  const info = (path: string) => ({ path, format: 'tflite' as const, runtime: HOSTILE[3]!, sizeBytes: 10, input: { name: HOSTILE[0]!, shape: [1, 2, 2, 3], layout: 'NHWC' as const }, output: { name: 'o', shape: [1, 2, 2, 1] } });
  const samples = HOSTILE.map((name) => ({ name, input: name, reference: { [HOSTILE[1]!]: 1 }, candidate: { [HOSTILE[1]!]: 2 }, agreement: { [HOSTILE[2]!]: 3 } }));
  const report: ValidationReport = {
    command: 'validate',
    task: 'matting',
    status: 'FAIL',
    reference: info(HOSTILE[0]!),
    candidate: info(HOSTILE[1]!),
    model: HOSTILE[4]!,
    dataset: { root: HOSTILE[2]!, layout: 'folder' as ValidationReport['dataset']['layout'], samples: HOSTILE.length, groundTruth: 'dataset' },
    settings: {},
    summary: { reference: { [HOSTILE[1]!]: 1 }, candidate: { [HOSTILE[1]!]: 2 }, agreement: { [HOSTILE[2]!]: 3 } },
    budgets: { file: HOSTILE[0], matched: HOSTILE },
    verdicts: [{ check: HOSTILE[0]!, measures: HOSTILE[1]!, status: 'FAIL', value: 1, limit: 0, margin: -1, warnMargin: 0.1 }],
    skipped: [{ check: HOSTILE[2]!, reason: HOSTILE[4]! }],
    notes: HOSTILE,
    samples,
  };
  const images = HOSTILE.map((name) => ({ name, input: img(3), groundTruth: img(1), reference: img(1), candidate: img(1), error: img(1) }));
  return { report, images };
}

describe('validate --html escapes every text it did not write', () => {
  it('hostile sample, model, path and metric names appear only escaped', async () => {
    const { report, images } = hostileReport();
    const html = await renderValidationHtml(report, images);
    for (const h of HOSTILE) expect(html, h).not.toContain(h);
    // only the renderer's own tags, and no event-handler attribute in any of them
    const tags = new Set([...html.matchAll(/<\/?([A-Za-z][A-Za-z0-9]*)/g)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(['body', 'br', 'code', 'div', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'head', 'html', 'img', 'li', 'main', 'meta', 'section', 'span', 'style', 'table', 'td', 'th', 'title', 'tr', 'ul']);
    for (const tag of html.match(/<[^>]*>/g)!) expect(tag).not.toMatch(/\son\w+\s*=/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&#39; onmouseover=&#39;alert(1)');
    expect(html).toContain('&amp;lt;already&amp;gt; &amp; more');
    // exactly the tags the renderer writes: one <title>, one <h1>, 5 samples × 5 images
    expect(html.match(/<title>/g)).toHaveLength(1);
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html.match(/<img /g)).toHaveLength(25);
  });
});
