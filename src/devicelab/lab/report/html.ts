/**
 * The nightly's report, one self-contained HTML file (DIR/index.html; uPlot
 * and the thumbnails inlined, opens from disk): what changed since last night,
 * the verdict matrix (models × precisions by devices), device health, then per
 * cell its numbers, the trend chart, accuracy beside latency and the visual
 * diff thumbnails of `mai validate`. Every string from outside is escaped.
 */
import { esc, fmt } from '../../../validate/report-html.js';
import type { CellResult } from '../cell-summary.js';
import type { NightlyResult } from '../nightly-result.js';
import { CHART_SCRIPT, chartData, scriptJson, uplotAssets, type ChartData } from './chart.js';

const CSS = `
*{box-sizing:border-box}body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1d2329}
main{max-width:1400px;margin:0 auto;padding:16px 20px 40px}h1{font-size:20px;margin:4px 0 2px}h2{font-size:16px;margin:22px 0 8px}h3{font-size:15px;margin:0 0 6px}
.meta{color:#55606b;font-size:13px}.sim{background:#fff3cd;border:1px solid #e0c060;padding:6px 10px;border-radius:4px;margin:8px 0;font-weight:600}
table{border-collapse:collapse;background:#fff;font-size:13px;margin:4px 0}th,td{padding:4px 10px;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}
th{background:#eef1f4;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.v{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:700;font-size:12px;color:#fff;white-space:nowrap}
.v-PASS{background:#1f8a3b}.v-WARN{background:#c77700}.v-FAIL{background:#c62828}.v-REGRESSION{background:#7f1d1d}.v-IMPROVED{background:#1d4ed8}
.v-INSUFFICIENT_DATA{background:#6b7680}.v-NOT_RUN{background:#6d28d9}.v-ERROR{background:#111}.v-NONE{background:#9aa3ad}
.matrix td{text-align:center}.matrix td:first-child{text-align:left}.matrix a{text-decoration:none;color:inherit}.matrix .sub{font-size:11px;color:#55606b}
.cell{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:10px 12px;margin:12px 0}.row{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}
.chart{width:560px;min-height:240px}.reasons{margin:4px 0 8px;padding-left:18px}.reasons li{color:#333}
figure{margin:0;width:124px}figure img{width:120px;height:auto;border:1px solid #ccd2d8;display:block;background:#888}figcaption{font-size:11px;color:#55606b}
.changes li{margin:2px 0}
`;

const badge = (v: string) => `<span class="v v-${esc(v)}">${esc(v)}</span>`;
const n = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || Number.isNaN(v) ? '–' : fmt(Number(v.toFixed(digits))));
const cellId = (c: { model: string; precision: string; device: string }) => `cell-${[c.model, c.precision, c.device].join('--').replace(/[^A-Za-z0-9_-]/g, '_')}`;

function matrix(r: NightlyResult): string {
  const devices = [...new Set(r.cells.map((c) => c.device))];
  const rows = [...new Set(r.cells.map((c) => `${c.model}\u0000${c.precision}`))];
  const out = [`<table class="matrix"><tr><th>model · precision</th>${devices.map((d) => `<th>${esc(d)}</th>`).join('')}</tr>`];
  for (const key of rows) {
    const [model, precision] = key.split('\u0000') as [string, string];
    out.push(`<tr><td>${esc(model)} · ${esc(precision)}</td>`);
    for (const d of devices) {
      const c = r.cells.find((x) => x.model === model && x.precision === precision && x.device === d);
      if (!c) out.push('<td>–</td>');
      else
        out.push(
          `<td><a href="#${cellId(c)}">${badge(c.verdict)}<div class="sub">${c.latency.p50Ms !== null ? `${n(c.latency.p50Ms)} ms` : '–'}${c.comparison ? ` · ${n(c.comparison.ratio)}×` : ''}${c.simulated ? ' · sim' : ''}</div></a></td>`,
        );
    }
    out.push('</tr>');
  }
  out.push('</table>');
  return out.join('');
}

function changes(r: NightlyResult): string {
  if (!r.previousNight) return `<p class="meta">First night in this database: nothing to compare with.</p>`;
  if (!r.changes.length) return `<p class="meta">No verdict changed since ${esc(r.previousNight)}.</p>`;
  const order = ['REGRESSION', 'FAIL', 'ERROR', 'NOT_RUN', 'WARN', 'IMPROVED', 'INSUFFICIENT_DATA', 'PASS'];
  const sorted = [...r.changes].sort((a, b) => order.indexOf(a.to) - order.indexOf(b.to));
  return `<ul class="changes">${sorted
    .map((c) => `<li><a href="#${cellId(c)}">${esc(c.model)} · ${esc(c.precision)} · ${esc(c.device)}</a>: ${c.from ? badge(c.from) : '<span class="meta">new</span>'} → ${badge(c.to)}</li>`)
    .join('')}</ul>`;
}

function deviceHealth(r: NightlyResult): string {
  const rows = r.devices.map(
    (d) =>
      `<tr><td>${esc(d.id)}${d.simulated ? ' <b>(SIMULATED)</b>' : ''}</td><td>${d.online ? 'online' : `<b>offline</b>: ${esc(d.problem ?? '')}`}</td><td class="num">${n(d.maxTempC, 1)}</td><td class="num">${d.throttledRuns}</td><td class="num">${d.batteryLevel ?? '–'}</td><td class="num">${n(d.gpuMaxMHz, 0)}</td></tr>`,
  );
  return `<table><tr><th>device</th><th>state</th><th>max temp °C</th><th>throttled runs (discarded)</th><th>battery %</th><th>GPU max MHz</th></tr>${rows.join('')}</table>`;
}

function numbers(c: CellResult): string {
  const cmp = c.comparison;
  const rows: Array<[string, string]> = [
    ['p50 / p90 of run medians', `${n(c.latency.p50Ms)} / ${n(c.latency.p90Ms)} ms`],
    ['min / std of run medians', `${n(c.latency.minMs)} / ${n(c.latency.stdMs)} ms`],
    ['runs (ok / planned)', `${c.runs.ok} / ${c.runs.planned}${c.runs.throttledDiscarded ? `, ${c.runs.throttledDiscarded} throttled discarded` : ''}${c.runs.failed ? `, ${c.runs.failed} failed` : ''}`],
    ['init', `${n(c.initMs, 1)} ms`],
    ['memory', `${n(c.memoryMb, 2)} MB`],
    ['delegated nodes / total · partitions', `${c.delegation.delegatedNodes ?? '–'} / ${c.delegation.totalNodes ?? '–'} · ${c.delegation.partitions ?? '–'}${c.delegation.changedFrom ? ` (was ${c.delegation.changedFrom.delegatedNodes} · ${c.delegation.changedFrom.partitions} on ${esc(c.delegation.changedFrom.night)})` : ''}`],
    ['baseline', c.baseline ? `${n(c.baseline.p50Ms)} ms ± ${n(c.baseline.sigmaMs, 4)} σ, ${c.baseline.runs} runs of ${c.baseline.nights.length} nights` : '–'],
    ['ratio (95 % bootstrap CI)', cmp ? `${n(cmp.ratio)}× (${n(cmp.ci95[0])}–${n(cmp.ci95[1])})` : '–'],
    ['p (slower / faster)', cmp ? `${cmp.pSlower.toPrecision(3)} / ${cmp.pFaster.toPrecision(3)}` : '–'],
    ['latency budget', c.latencyBudget ? `${esc(c.latencyBudget.status)} (≤ ${c.latencyBudget.maxMs} ms)` : '–'],
    ['health', `max ${n(c.health.maxTempC, 1)} °C${c.health.after?.gpuMaxMHz ? `, GPU max ${n(c.health.after.gpuMaxMHz, 0)} MHz` : ''}`],
    ['numbers', c.simulated ? '<b>SIMULATED</b> (cost model, not a phone)' : 'measured'],
  ];
  return `<table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function accuracy(c: CellResult): string {
  const a = c.accuracy;
  if (!a) return `<table><tr><th>accuracy</th></tr><tr><td>–</td></tr></table>`;
  const rows: string[] = [`<tr><th colspan="3">accuracy vs ${esc(a.reference)} ${badge(a.status)}</th></tr>`];
  if (a.task) for (const k of Object.keys(a.task.reference)) rows.push(`<tr><td>${esc(k)}</td><td class="num">${fmt(a.task.reference[k])}</td><td class="num">${fmt(a.task.candidate[k])}</td></tr>`);
  for (const [k, v] of Object.entries(a.agreement)) rows.push(`<tr><td>${esc(k)}</td><td></td><td class="num">${fmt(v)}</td></tr>`);
  for (const v of a.verdicts) rows.push(`<tr><td>${esc(v.check)}</td><td class="num">limit ${fmt(v.limit)}</td><td>${badge(v.status)}</td></tr>`);
  if (a.method === 'identical') rows.push(`<tr><td colspan="3" class="meta">the float model itself</td></tr>`);
  return `<table><tr><th>metric</th><th>reference</th><th>candidate</th></tr>${rows.join('')}</table>`;
}

export function renderNightlyHtml(r: NightlyResult): string {
  const { js, css } = uplotAssets();
  const sigmas = r.policy.minSigmas;
  const charts: ChartData[] = [];
  const parts: string[] = [];
  const counts = new Map<string, number>();
  for (const c of r.cells) counts.set(c.verdict, (counts.get(c.verdict) ?? 0) + 1);
  parts.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`);
  parts.push(`<title>mai lab nightly ${esc(r.night)}</title><style>${css}${CSS}</style></head><body><main>`);
  parts.push(`<h1>mai lab nightly · ${esc(r.night)} ${[...counts].map(([v, k]) => `${badge(v)} ${k}`).join(' ')}</h1>`);
  parts.push(`<div class="meta">lab <code>${esc(r.config)}</code> · results <code>${esc(r.db)}</code>${r.previousNight ? ` · previous night ${esc(r.previousNight)}` : ''}</div>`);
  if (r.simulated) parts.push(`<div class="sim">SIMULATED: numbers marked “sim” come from the Mali-G78 MP24 cost model of the embedded simulator, not from a phone.</div>`);
  if (r.labFailure) parts.push(`<div class="sim">Lab failure: ${esc(r.labFailure)}</div>`);
  parts.push(`<h2>What changed since last night</h2>${changes(r)}`);
  parts.push(`<h2>Matrix</h2>${matrix(r)}`);
  parts.push(`<h2>Devices</h2>${deviceHealth(r)}`);
  parts.push(`<h2>Cells</h2>`);
  for (const c of r.cells) {
    const id = cellId(c);
    const trend = r.trends.find((t) => t.model === c.model && t.precision === c.precision && t.device === c.device);
    if (trend) charts.push(chartData(trend, `${id}-chart`, sigmas));
    const v = r.variants.find((x) => x.model === c.model && x.precision === c.precision);
    const thumbs = (v?.thumbnails ?? []).map((t) => `<figure><img alt="${esc(t.caption)}" src="${esc(t.src)}"><figcaption>${esc(t.caption)}</figcaption></figure>`).join('');
    parts.push(
      `<section class="cell" id="${id}"><h3>${esc(c.model)} · ${esc(c.precision)} · ${esc(c.device)} ${badge(c.verdict)}${c.simulated ? ' <span class="meta">SIMULATED</span>' : ''}</h3>` +
        `<ul class="reasons">${c.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` +
        `<div class="row"><div class="chart" id="${id}-chart"></div>${accuracy(c)}${numbers(c)}</div>` +
        (thumbs ? `<div class="row">${thumbs}</div>` : '') +
        `</section>`,
    );
  }
  parts.push(`<p class="meta">Band: baseline p50 ± ${sigmas} σ (σ from the MAD of the baseline's run medians). Large red points: flagged nights (WARN, REGRESSION, FAIL, IMPROVED).</p>`);
  parts.push(`</main><script type="application/json" id="chart-data">${scriptJson(charts)}</script><script>${js}</script><script>${CHART_SCRIPT}</script></body></html>`);
  return parts.join('\n');
}
