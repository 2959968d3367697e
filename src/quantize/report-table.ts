/** The quantization report as readable text (the CLI prints it; --json prints the report itself). */
import { table } from '../core/text-table.js';
import type { QuantReport } from './report.js';
import type { MixedPrecisionResult } from './mixed-precision.js';
import { summariseKeptFloat } from './quality.js';

const num = (v: number | undefined, digits = 3): string => {
  if (v === undefined) return '-';
  if (!Number.isFinite(v)) return String(v === Infinity ? '∞' : v === -Infinity ? '-∞' : 'NaN');
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : v.toFixed(digits);
};
const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;

/** Worst `limit` layers (all when undefined), outputs, sizes, what stayed float. */
export function formatReport(r: QuantReport, opts: { limit?: number } = {}): string {
  const lines: string[] = [];
  const n = r.evalSamples.length;
  const on = r.evaluatedOn === 'held-out' ? `${n} held-out sample(s)` : r.evaluatedOn === 'calibration' ? `${n} calibration sample(s) (too few to hold any out)` : `${n} seeded uniform [0,1] input(s) (no --calib data)`;
  lines.push(`${r.label}: ${kib(r.sizes.floatBytes)} → ${kib(r.sizes.quantizedBytes)} (×${r.sizes.ratio.toFixed(3)}); errors vs the float model on ${on}`);
  lines.push(
    table(
      r.outputs.map((o) => [o.name, num(o.sqnrDb, 2), num(o.cosine, 6), num(o.rmse, 5), num(o.maxAbs, 4)]),
      ['output', 'sqnr_dB', 'cosine', 'rmse', 'max_abs'],
    ),
  );
  const shown = opts.limit === undefined ? r.layers : r.layers.slice(0, opts.limit);
  if (shown.length) {
    lines.push('');
    lines.push(`per layer, worst first${shown.length < r.layers.length ? ` (${shown.length} of ${r.layers.length}; --report has all)` : ''}; lost_dB = SQNR lost at this layer vs its worst input:`);
    lines.push(
      table(
        shown.map((l) => [
          l.tensor.length > 40 ? `…${l.tensor.slice(-39)}` : l.tensor,
          l.op,
          num(l.scale, 5),
          l.zeroPoint ?? '-',
          l.min === undefined ? '-' : `[${num(l.min, 2)}, ${num(l.max, 2)}]`,
          l.clipRate === undefined ? '-' : `${(l.clipRate * 100).toFixed(3)}%`,
          num(l.rmse, 5),
          num(l.rmseOverScale, 2),
          num(l.sqnrDb, 2),
          num(l.addedDb, 2),
          num(l.cosine, 5),
        ]),
        ['tensor', 'op', 'scale', 'zp', 'observed', 'clipped', 'rmse', 'rmse/scale', 'sqnr_dB', 'lost_dB', 'cosine'],
      ),
    );
  }
  const w = opts.limit === undefined ? r.weights : r.weights.slice(0, Math.min(opts.limit, 5));
  if (w.length) {
    lines.push('');
    lines.push(`int8 weights, worst first${w.length < r.weights.length ? ` (${w.length} of ${r.weights.length})` : ''}:`);
    lines.push(
      table(
        w.map((x) => [x.node, x.channels, `${num(x.scaleMin, 5)}…${num(x.scaleMax, 5)}`, num(x.rmse, 6), num(x.sqnrDb, 2)]),
        ['node', 'channels', 'scale', 'rmse', 'sqnr_dB'],
      ),
    );
  }
  if (r.keptFloat.length) {
    lines.push('');
    lines.push(`kept float (${r.keptFloat.length}): ${summariseKeptFloat(r.keptFloat)}`);
  }
  for (const w of r.warnings) lines.push(`warning: ${w.message}`);
  return lines.join('\n');
}

export function formatMixedPrecision(m: MixedPrecisionResult, sizes?: { int8Bytes: number; chosenBytes: number }): string {
  const b = m.budget;
  const rule = `${b.task ? `${b.metric} drop vs float` : b.metric} ${b.direction === 'min' ? '≥' : '≤'} ${b.limit}`;
  const lines = [`budget ${rule}: plain int8 ${num(m.int8Value, 3)} → ${m.met ? 'PASS' : 'FAIL'} with ${m.keptFloat.length} layer(s) kept float (${num(m.value, 3)})`];
  if (m.steps.length > 1) lines.push(`  search: ${m.steps.map((s) => `k=${s.keptFloat}: ${num(s.value, 3)} ${s.pass ? 'pass' : 'fail'}`).join(', ')}`);
  if (m.keptFloat.length) lines.push(`  kept float, most sensitive first: ${m.keptFloat.slice(0, 5).join(', ')}${m.keptFloat.length > 5 ? `, … ${m.keptFloat.length - 5} more (--report lists all)` : ''}`);
  if (sizes && m.keptFloat.length) lines.push(`  size cost: ${kib(sizes.int8Bytes)} → ${kib(sizes.chosenBytes)} (+${kib(sizes.chosenBytes - sizes.int8Bytes)})`);
  if (m.reason) lines.push(`  ${m.reason}`);
  return lines.join('\n');
}
