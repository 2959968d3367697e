/** Public API of the device lab (used by the CLI, `mai lab nightly` and the demo). */
export { loadDevices, parseDevices, selectDevices, embeddedSimEntry, type DeviceEntry } from './config/devices.js';
export { deployOne, loadModel, mergeFlags, type DeployOptions, type RunResult, type ModelInfo } from './deploy/deploy.js';
export { openLab, adbReachable, type Lab } from './deploy/lab.js';
export { parseHealth, isThrottled, type Health } from './deploy/health.js';
export { parseBenchmarkOutput, type BenchmarkParse, type RunStats } from './benchmark/parse.js';
export { ResultsStore, RESULTS_SCHEMA, DEFAULT_RESULTS_DB, type RunRow } from './store/results.js';
export { AdbSimServer, type AdbSimOptions } from './sim/server.js';
export type { SimFaults, SimDeviceSpec } from './sim/device.js';
export { estimateCost } from './sim/cost-model.js';
export { PROFILES, deviceProfile, MALI_DELEGATE, type DeviceProfile } from './sim/profiles.js';
export { adbHandshake, adbProbeError, type AdbProbe } from './adb/handshake.js';
export { flagProblem } from './config/flags.js';
export { devicePath, devicePathProblem, ADB_SYNC_PATH_MAX } from './config/device-path.js';
export { quoteArg, commandLine, commandList, glob, withExitStatus, parseExitStatus, MAX_SHELL_LINE_BYTES, type ShellLine, type Word, type Glob } from './adb/quote.js';
export {
  remoteModelPath,
  getpropStep,
  mkdirStep,
  sha256Step,
  chmodStep,
  removeStep,
  benchmarkStep,
  HEALTH_STEPS,
  HEALTH_LINE,
  type DeviceStep,
} from './deploy/commands.js';
export { CommandLog, type CommandLogEntry } from './sim/command-log.js';
export { runNightly, type NightlyOptions, type NightlyResult } from './lab/run.js';
export { loadLabConfig, parseLabConfig, type LabConfig, type RegressionPolicy } from './lab/config.js';
export { LabHistory } from './lab/history.js';
export type { CellResult } from './lab/cell-summary.js';
export { VERDICTS, type CellVerdict } from './lab/verdict.js';
