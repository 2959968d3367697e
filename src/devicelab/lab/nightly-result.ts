/** What one nightly returns: every cell with its verdict, the devices, what changed; the report reads it. */
import type { BuiltVariant } from './build.js';
import type { CellResult } from './cell-summary.js';
import type { LabConfig } from './config.js';
import type { CellTrend } from './trend.js';

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
