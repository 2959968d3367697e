/** Per cell, the series the report charts: run medians per night, the baseline band, flagged nights. */
import type { CellResult } from './cell-summary.js';
import type { LabHistory } from './history.js';

export interface TrendNight {
  night: string;
  /** ms, the ok runs of that night */
  runMediansMs: number[];
  verdict: string;
  baselineP50Ms?: number;
  baselineSigmaMs?: number;
  flagged: boolean;
}

export interface CellTrend {
  model: string;
  precision: string;
  device: string;
  nights: TrendNight[];
}

/** The last `maxNights` nights up to `night` of every cell. */
export async function collectTrends(history: LabHistory, cells: readonly CellResult[], night: string, maxNights = 30): Promise<CellTrend[]> {
  const out: CellTrend[] = [];
  for (const c of cells) {
    const cell = { model: c.model, precision: c.precision, device: c.device };
    const stored = [...(await history.cellsBefore(cell, night, maxNights - 1)).reverse(), { night, verdict: c.verdict, summary: JSON.stringify(c) }];
    const rows = await history.runsOfNights(cell, stored.map((s) => s.night));
    out.push({
      ...cell,
      nights: stored.map((s) => {
        const sum = JSON.parse(s.summary) as Partial<CellResult>;
        return {
          night: s.night,
          runMediansMs: rows.filter((r) => r.night === s.night && r.status === 'ok' && r.median_us !== null).map((r) => r.median_us! / 1000),
          verdict: s.verdict,
          ...(sum.baseline ? { baselineP50Ms: sum.baseline.p50Ms, baselineSigmaMs: sum.baseline.sigmaMs } : {}),
          flagged: ['WARN', 'REGRESSION', 'FAIL', 'IMPROVED'].includes(s.verdict),
        };
      }),
    });
  }
  return out;
}
