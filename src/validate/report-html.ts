/**
 * The visual diff of `mai validate --html`: one self-contained HTML file
 * (images inlined as PNG data: URIs). On top the verdicts and the summary;
 * below, per sample, input / ground truth / reference / candidate / error
 * heat map side by side with that sample's numbers.
 */
import { pngDataUri } from '../data/encode.js';
import { heatColour, heatmap, maxOf } from './heatmap.js';
import type { SampleImages, ValidationReport } from './validate.js';

/** HTML-escapes text for element content and attribute values. */
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function fmt(v: number | undefined): string {
  if (v === undefined) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  if (Number.isInteger(v) && Math.abs(v) < 1e12) return String(v);
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(3);
  return String(Number(v.toPrecision(5)));
}

const badge = (s: string) => `<span class="badge ${s.toLowerCase()}">${esc(s)}</span>`;

function legendGradient(): string {
  const stops = Array.from({ length: 11 }, (_, i) => {
    const [r, g, b] = heatColour(i / 10);
    return `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)}) ${i * 10}%`;
  });
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

const CSS = `
*{box-sizing:border-box}body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1d2329}
main{max-width:1360px;margin:0 auto;padding:16px 20px 40px}h1{font-size:20px;margin:4px 0 2px}h2{font-size:16px;margin:22px 0 8px}
.meta{color:#55606b;font-size:13px}.meta code{font-size:12px}
table{border-collapse:collapse;background:#fff;font-size:13px;margin:4px 0}th,td{padding:4px 10px;border-bottom:1px solid #e3e6ea;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#eef1f4;font-weight:600}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:700;font-size:12px;color:#fff}
.pass{background:#1f8a3b}.warn{background:#c77700}.fail{background:#c62828}.none{background:#6b7680}
.big{font-size:15px;padding:3px 12px}
.grid{display:flex;flex-wrap:wrap;gap:8px 12px}.sample{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:10px 12px;margin:10px 0}
figure{margin:0;width:196px}figure img{width:196px;height:auto;image-rendering:auto;border:1px solid #ccd2d8;background:#888;display:block}
figcaption{font-size:12px;color:#55606b;margin-top:2px}.sample h3{font-size:14px;margin:0 0 6px}
.verdicts td:nth-child(2),.verdicts th:nth-child(2){text-align:left}.legend{height:10px;width:196px;border:1px solid #ccd2d8}.notes li{color:#55606b}
`;

export interface HtmlOptions {
  title?: string;
}

export async function renderValidationHtml(report: ValidationReport, images: SampleImages[], opts: HtmlOptions = {}): Promise<string> {
  const r = report;
  const status = r.verdicts.length ? r.status : 'NONE';
  const taskMetrics = Object.keys(r.summary.reference);
  const parts: string[] = [];
  parts.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`);
  parts.push(`<title>${esc(opts.title ?? `mai validate — ${r.model} — ${status}`)}</title><style>${CSS}</style></head><body><main>`);
  parts.push(`<h1>mai validate · ${esc(r.model)} · ${r.task} ${badge(status)}</h1>`);
  parts.push(
    `<div class="meta">reference <code>${esc(r.reference.path)}</code> (${esc(r.reference.runtime)}, input ${r.reference.input.layout} [${r.reference.input.shape.join(',')}]) · ` +
      `candidate <code>${esc(r.candidate.path)}</code> (${esc(r.candidate.runtime)}, input ${r.candidate.input.layout} [${r.candidate.input.shape.join(',')}], ${r.candidate.sizeBytes} bytes)<br>` +
      `data <code>${esc(r.dataset.root)}</code> (${r.dataset.layout}, ${r.dataset.samples} samples) · ground truth: ${r.dataset.groundTruth === 'dataset' ? 'from the dataset' : "the reference model's output"}` +
      (r.budgets ? ` · budgets <code>${esc(r.budgets.file ?? '')}</code> (${r.budgets.matched.map(esc).join(', ') || 'no entry matched'})` : '') +
      `</div>`,
  );

  parts.push(`<h2>Verdicts</h2>`);
  if (r.verdicts.length) {
    parts.push(`<table class="verdicts"><tr><th>check</th><th>measures</th><th>reference → candidate</th><th>value</th><th>limit</th><th>margin</th><th>warn within</th><th>status</th></tr>`);
    for (const v of r.verdicts) {
      parts.push(`<tr><td>${esc(v.check)}</td><td>${esc(v.measures)}</td><td>${v.reference !== undefined ? `${fmt(v.reference)} → ${fmt(v.candidate)}` : ''}</td><td>${fmt(v.value)}</td><td>${fmt(v.limit)}</td><td>${fmt(v.margin)}</td><td>${fmt(v.warnMargin * 100)} %</td><td>${badge(v.status)}</td></tr>`);
    }
    parts.push(`</table>`);
  } else parts.push(`<p class="meta">No budget applied: nothing judged.</p>`);
  if (r.skipped.length) parts.push(`<ul class="notes">${r.skipped.map((s) => `<li>skipped ${esc(s.check)}${s.limit !== undefined ? ` (limit ${fmt(s.limit)})` : ''}: ${esc(s.reason)}</li>`).join('')}</ul>`);

  parts.push(`<h2>Summary (mean over samples; max_abs: max)</h2><div class="grid"><table><tr><th>task metric</th><th>reference</th><th>candidate</th></tr>`);
  for (const k of taskMetrics) parts.push(`<tr><td>${esc(k)}</td><td>${fmt(r.summary.reference[k])}</td><td>${fmt(r.summary.candidate[k])}</td></tr>`);
  parts.push(`</table><table><tr><th>agreement (candidate vs reference)</th><th>value</th></tr>`);
  for (const [k, v] of Object.entries(r.summary.agreement)) parts.push(`<tr><td>${esc(k)}</td><td>${fmt(v)}</td></tr>`);
  parts.push(`</table></div>`);
  if (r.notes.length) parts.push(`<ul class="notes">${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);

  // one error scale for every sample, so heat maps compare
  const scale = Math.max(1 / 255, ...images.map((im) => maxOf(im.error)));
  parts.push(`<h2>Samples${images.length < r.samples.length ? ` (first ${images.length} of ${r.samples.length} shown)` : ''}</h2>`);
  parts.push(`<div class="meta">Error heat map: |candidate − reference| per pixel (mean over channels), black = 0 to pale yellow = ${fmt(scale)} <div class="legend" style="background:${legendGradient()}"></div></div>`);
  for (const im of images) {
    const s = r.samples.find((x) => x.name === im.name);
    const fig = async (img: SampleImages['input'], caption: string) => `<figure><img alt="${esc(caption)}" src="${await pngDataUri(img)}" width="${img.width}" height="${img.height}"><figcaption>${esc(caption)}</figcaption></figure>`;
    const figs = [await fig(im.input, `input ${im.input.width}×${im.input.height}`)];
    if (im.groundTruth) figs.push(await fig(im.groundTruth, 'ground truth'));
    figs.push(await fig(im.reference, `reference (${r.reference.format})`));
    figs.push(await fig(im.candidate, 'candidate'));
    figs.push(await fig(heatmap(im.error, scale), `error, max ${fmt(maxOf(im.error))}`));
    let table = '';
    if (s) {
      table = `<table><tr><th>metric</th><th>reference</th><th>candidate</th></tr>${taskMetrics
        .map((k) => `<tr><td>${esc(k)}</td><td>${fmt(s.reference[k])}</td><td>${fmt(s.candidate[k])}</td></tr>`)
        .join('')}${Object.entries(s.agreement)
        .map(([k, v]) => `<tr><td>${esc(k)}</td><td></td><td>${fmt(v)}</td></tr>`)
        .join('')}</table>`;
    }
    parts.push(`<section class="sample"><h3>${esc(im.name)}</h3><div class="grid">${figs.join('')}${table}</div></section>`);
  }
  parts.push(`</main></body></html>`);
  return parts.join('\n');
}
