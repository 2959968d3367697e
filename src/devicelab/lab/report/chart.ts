/**
 * Trend charts with uPlot (vendored inline into the page: the report opens
 * from disk with no network): per cell, the run medians of every night as
 * points, their median as a line, the baseline band (baseline p50 ± the
 * policy's σ multiple) and the flagged nights as large red points.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CellTrend } from '../trend.js';
import { median } from '../stats/index.js';

let vendored: { js: string; css: string } | undefined;

/** uPlot's IIFE build and stylesheet, read once from node_modules. */
export function uplotAssets(): { js: string; css: string } {
  if (!vendored) {
    const require = createRequire(import.meta.url);
    vendored = {
      js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    };
  }
  return vendored;
}

export interface ChartData {
  id: string;
  title: string;
  /** unix seconds of each night */
  x: number[];
  p50: Array<number | null>;
  /** runs[k][i]: run k of night i (null when that night had fewer runs) */
  runs: Array<Array<number | null>>;
  bandLow: Array<number | null>;
  bandHigh: Array<number | null>;
  flagged: Array<number | null>;
  verdicts: string[];
}

export function chartData(t: CellTrend, id: string, sigmas: number): ChartData {
  const maxRuns = Math.max(0, ...t.nights.map((n) => n.runMediansMs.length));
  return {
    id,
    title: `${t.model} · ${t.precision} · ${t.device}`,
    x: t.nights.map((n) => Date.parse(`${n.night}T00:00:00Z`) / 1000),
    p50: t.nights.map((n) => (n.runMediansMs.length ? median(n.runMediansMs) : null)),
    runs: Array.from({ length: maxRuns }, (_, k) => t.nights.map((n) => n.runMediansMs[k] ?? null)),
    bandLow: t.nights.map((n) => (n.baselineP50Ms !== undefined ? n.baselineP50Ms - sigmas * (n.baselineSigmaMs ?? 0) : null)),
    bandHigh: t.nights.map((n) => (n.baselineP50Ms !== undefined ? n.baselineP50Ms + sigmas * (n.baselineSigmaMs ?? 0) : null)),
    flagged: t.nights.map((n) => (n.flagged && n.runMediansMs.length ? median(n.runMediansMs) : null)),
    verdicts: t.nights.map((n) => n.verdict),
  };
}

/** JSON safe inside <script type="application/json">: no `<`, no line separators. */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The page script: one uPlot per `.chart` element from the JSON in #chart-data. */
export const CHART_SCRIPT = `
(function () {
  var all = JSON.parse(document.getElementById('chart-data').textContent);
  var noLine = function () { return null; };
  all.forEach(function (c) {
    var el = document.getElementById(c.id);
    if (!el) return;
    var series = [{ label: 'night', value: function (u, v) { return v == null ? '' : new Date(v * 1000).toISOString().slice(0, 10); } }];
    var data = [c.x];
    series.push({ label: 'baseline high', stroke: 'rgba(31,138,59,0.5)', width: 1, dash: [4, 4] }); data.push(c.bandHigh);
    series.push({ label: 'baseline low', stroke: 'rgba(31,138,59,0.5)', width: 1, dash: [4, 4] }); data.push(c.bandLow);
    series.push({ label: 'p50 of runs (ms)', stroke: '#1d4ed8', width: 2, points: { show: true, size: 5 } }); data.push(c.p50);
    c.runs.forEach(function (r, k) {
      series.push({ label: 'run ' + (k + 1), stroke: 'rgba(100,116,139,0.9)', paths: noLine, points: { show: true, size: 4, fill: 'rgba(100,116,139,0.6)' } });
      data.push(r);
    });
    series.push({ label: 'flagged', stroke: '#c62828', paths: noLine, points: { show: true, size: 11, width: 2, fill: 'rgba(198,40,40,0.25)' } });
    data.push(c.flagged);
    var opts = {
      width: el.clientWidth || 560, height: 220, title: c.title,
      scales: { x: { time: true } },
      axes: [{}, { label: 'ms', size: 60 }],
      series: series,
      bands: [{ series: [1, 2], fill: 'rgba(31,138,59,0.12)' }],
      legend: { show: true, live: false },
    };
    new uPlot(opts, data, el);
    el.setAttribute('data-rendered', '1');
  });
})();
`;
