/**
 * What a night produced (single-host or spread over workers): the cells, the
 * devices, the changes since the previous night, the exit code. The CLI's
 * JSON and the HTML report read it.
 */
import type { BuiltVariant } from './build.js';
import type { CellResult } from './cell-summary.js';
import type { LabConfig } from './config.js';
import type { CellTrend } from './trend.js';
import { PASSING } from './verdict.js';

export interface DeviceSummary {
  id: string;
  simulated: boolean;
  online: boolean;
  problem?: string;
  maxTempC?: number;
  throttledRuns: number;
  batteryLevel?: number;
  gpuMaxMHz?: number;
}

export interface NightlyResult {
  night: string;
  previousNight?: string;
  config: string;
  db: string;
  report: string;
  simulated: boolean;
  cells: CellResult[];
  devices: DeviceSummary[];
  /** cells whose verdict differs from the previous night's */
  changes: Array<{ model: string; precision: string; device: string; from: string | null; to: string }>;
  notices: string[];
  /** the lab itself failed: a device offline or an adb server gone */
  labFailure?: string;
  /** exit code the CLI uses: 0 all pass, 1 a budget / regression / error, 3 the lab failed */
  exit: 0 | 1 | 3;
  /** for the report: per cell, the run medians over the nights */
  trends: CellTrend[];
  variants: BuiltVariant[];
  policy: LabConfig['policy'];
}

export function nightExit(cells: readonly CellResult[], labFailure?: string): 0 | 1 | 3 {
  if (labFailure || cells.some((c) => c.verdict === 'NOT_RUN')) return 3;
  return cells.every((c) => PASSING.has(c.verdict)) ? 0 : 1;
}
