/**
 * Pure parser for `benchmark_model` output (stdout and stderr merged, as adb's
 * raw `shell:` gives it). Accepts every variant in
 * docs/reference/tflite-gpu-adb-notes.md §4.2 and §2.6:
 * - current lines with `INFO: ` / `WARN: ` / `ERROR: ` / `VERBOSE: ` prefixes, and older
 *   builds (≤ TF 2.4) without any prefix;
 * - the summary `Inference timings in us: Init: …, First inference: …, Warmup (avg): …,
 *   Inference (avg): …` and the historic `Average inference timings in us: Warmup: …, Init: …,
 *   Inference: …`; numbers in plain or scientific notation (`1.24027e+06`);
 * - run statistics `count=N first=… curr=… min=… max=… avg=… std=… p5=… median=… p95=…`,
 *   the `count=N curr=C (all same)` and `count=0` forms;
 * - memory footprint lines, the model size line, delegate log lines, the "not supported by GPU
 *   delegate" list with the GPU/CPU operation counts (also the older "Next operations …" /
 *   "First N operations will run on the GPU, and the remaining M on the CPU." wording), and errors.
 */

export interface RunStats {
  count: number;
  first?: number;
  curr?: number;
  min?: number;
  max?: number;
  avg?: number;
  std?: number;
  p5?: number;
  median?: number;
  p95?: number;
  allSame?: boolean;
}

export type DelegationStatus = 'full' | 'partial' | 'none' | 'unknown';

export interface BenchmarkParse {
  /** `current` (Init/First/Warmup/Inference summary), `historic` (pre-2.3 "Average inference timings"), `none` (no summary line). */
  format: 'current' | 'historic' | 'none';
  /** Lines carried a severity prefix (`INFO: ` …) — current builds. */
  prefixed: boolean;
  initUs?: number;
  firstUs?: number;
  warmupAvgUs?: number;
  inferenceAvgUs?: number;
  warmup?: RunStats;
  inference?: RunStats;
  modelSizeMb?: number;
  initSessionMs?: number;
  memory?: { initMb?: number; overallMb?: number; peakMb?: number };
  delegation: {
    status: DelegationStatus;
    /** `w/ K delegate kernels` (partial) or `Created K GPU delegate kernels.` */
    kernels?: number;
    /** From `Replacing N out of M node(s) …` / `Replacing N node(s) …`. */
    replacedNodes?: number;
    totalNodes?: number;
    partitions?: number;
    backend?: 'OpenCL' | 'OpenGL';
    /** From the unsupported-ops block: `N operations will run on the GPU, and the remaining M …`. */
    gpuOps?: number;
    cpuOps?: number;
  };
  /** `OP: reason` lines under "Following operations are not supported by GPU delegate:". */
  unsupportedOps: Array<{ op: string; message: string }>;
  errors: string[];
  warnings: string[];
  /** `--require_full_delegation` refused the run ("Disallowed CPU fallback detected."). */
  fallbackDisallowed: boolean;
  /** The run produced no inference timing, or an error ended it. */
  failed: boolean;
  /** The output carries the simulated device's marker line (SIM_MARKER), exactly. */
  simulated: boolean;
  /** Flags the tool did not use (`Unconsumed cmdline flags: …`): typos, or flags of another version. */
  unconsumedFlags: string[];
  /** Timings were printed but no inference ran (`count=0`, an average of 0). */
  noRuns: boolean;
}

/** The one line mai's simulated benchmark_model prints (after the `INFO: ` prefix) to mark its output. */
export const SIM_MARKER = '[mai sim] SIMULATED Kirin 9000 (Mali-G78 MP24 cost model): timings are modelled, not measured.';

/** The marker line of a simulated phone (SIM_MARKER for the default Kirin 9000). */
export function simMarker(soc: string, gpu: string): string {
  return `[mai sim] SIMULATED ${soc} (${gpu} cost model): timings are modelled, not measured.`;
}
const SIM_MARKER_LINE = /^\[mai sim\] SIMULATED [A-Za-z0-9 ()]+ \(Mali-[A-Z0-9]+ MP\d+ cost model\): timings are modelled, not measured\.$/;

const NUM = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
const PREFIX = /^(INFO|WARN|WARNING|ERROR|FATAL|VERBOSE|DEBUG): ?/;

// Line patterns built from NUM, compiled once instead of per line.
const CURRENT_TIMINGS = new RegExp(String.raw`^Inference timings in us: Init: (${NUM}), First inference: (${NUM}), Warmup \(avg\): (${NUM}), Inference \(avg\): (${NUM})`);
const HISTORIC_TIMINGS = new RegExp(String.raw`^Average inference timings in us: Warmup: (${NUM}), Init: (${NUM}), (?:no stats: )?Inference: (${NUM})`);
const MODEL_SIZE = new RegExp(String.raw`^The input model file size \(MB\): (${NUM})`);
const INIT_SESSION = new RegExp(String.raw`^Initialized session in (${NUM})ms`);
const MEMORY_DELTA = new RegExp(String.raw`^Memory footprint delta from the start of the tool \(MB\): init=(${NUM}) overall=(${NUM})`);
const PEAK_MEMORY = new RegExp(String.raw`^Overall peak memory footprint \(MB\) via periodic monitoring: (${NUM})`);
/** `key=value` fields of a statistics line, compiled once. */
const STAT_FIELDS = (['first', 'curr', 'min', 'max', 'avg', 'std', 'p5', 'median', 'p95'] as const).map((key) => [key, new RegExp(String.raw`(?:^|\s)${key}=(${NUM})`)] as const);

function num(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** Parse one `count=…` statistics body. */
export function parseStats(body: string): RunStats | undefined {
  const m = /count=(\d+)/.exec(body);
  if (!m) return undefined;
  const s: RunStats = { count: Number(m[1]) };
  for (const [key, re] of STAT_FIELDS) {
    const r = re.exec(body);
    if (r) s[key] = num(r[1]);
  }
  if (/\(all same\)/.test(body)) s.allSame = true;
  if (s.allSame || (s.count > 0 && s.avg === undefined && s.curr !== undefined)) {
    // All values equal: only curr is printed.
    s.first ??= s.curr;
    s.min ??= s.curr;
    s.max ??= s.curr;
    s.avg ??= s.curr;
    s.std ??= 0;
  }
  return s;
}

export function parseBenchmarkOutput(text: string): BenchmarkParse {
  const r: BenchmarkParse = {
    format: 'none',
    prefixed: false,
    delegation: { status: 'unknown' },
    unsupportedOps: [],
    errors: [],
    warnings: [],
    fallbackDisallowed: false,
    failed: false,
    simulated: false,
    unconsumedFlags: [],
    noRuns: false,
  };
  const stats: RunStats[] = [];
  let inUnsupported = false;
  let inProfile = false;
  for (const raw of text.split(/\r?\n/)) {
    const line0 = raw.trimEnd();
    if (!line0.trim()) {
      inUnsupported = false;
      continue;
    }
    const pm = PREFIX.exec(line0.trimStart());
    const sev = pm?.[1];
    if (pm && (sev === 'INFO' || sev === 'WARN' || sev === 'ERROR')) r.prefixed = true;
    const line = pm ? line0.trimStart().slice(pm[0].length) : line0.trim();

    if (SIM_MARKER_LINE.test(line)) {
      r.simulated = true;
      continue;
    }

    if (inUnsupported) {
      const gpu = /^(\d+) operations will run on the GPU, and the remaining (\d+) operations will run on the CPU\./.exec(line);
      const none = /^No operations will run on the GPU, and all (\d+) operations will run on the CPU\./.exec(line);
      const older = /^First (\d+) operations will run on the GPU, and the remaining (\d+) on the CPU\./.exec(line);
      // the summary line ends the list: [GPU ops, CPU ops]
      const split = older ? [older[1], older[2]] : gpu ? [gpu[1], gpu[2]] : none ? [0, none[1]] : undefined;
      if (split) {
        r.delegation.gpuOps = Number(split[0]);
        r.delegation.cpuOps = Number(split[1]);
        inUnsupported = false;
        continue;
      }
      const op = /^([A-Z][A-Z0-9_]*(?: [A-Za-z0-9_]+)?):(?: (.*))?$/.exec(line);
      if (op && !sev) {
        r.unsupportedOps.push({ op: op[1]!, message: op[2] ?? '' });
        continue;
      }
      inUnsupported = false;
    }

    if (/(Following|Next) operations are not supported by GPU delegate:/.test(line)) {
      inUnsupported = true;
      continue;
    }
    if (/^(Operator-wise Profiling Info|Profiling Info for Benchmark Initialization)/.test(line)) inProfile = true;
    if (/^Timings \(microseconds\):/.test(line) || /^Memory \(bytes\):/.test(line)) continue;

    let m: RegExpExecArray | null;
    if ((m = CURRENT_TIMINGS.exec(line))) {
      r.format = 'current';
      r.initUs = num(m[1]);
      r.firstUs = num(m[2]);
      r.warmupAvgUs = num(m[3]);
      r.inferenceAvgUs = num(m[4]);
      continue;
    }
    if ((m = HISTORIC_TIMINGS.exec(line))) {
      r.format = 'historic';
      r.warmupAvgUs = num(m[1]);
      r.initUs = num(m[2]);
      r.inferenceAvgUs = num(m[3]);
      continue;
    }
    if (!inProfile && /^count=\d+/.test(line)) {
      const s = parseStats(line);
      if (s) stats.push(s);
      continue;
    }
    if ((m = MODEL_SIZE.exec(line))) {
      r.modelSizeMb = num(m[1]);
      continue;
    }
    if ((m = INIT_SESSION.exec(line))) {
      r.initSessionMs = num(m[1]);
      continue;
    }
    if ((m = MEMORY_DELTA.exec(line))) {
      r.memory = { ...r.memory, initMb: num(m[1]), overallMb: num(m[2]) };
      continue;
    }
    if ((m = PEAK_MEMORY.exec(line))) {
      r.memory = { ...r.memory, peakMb: num(m[1]) };
      continue;
    }
    if (/^(Explicitly applied|Applied) GPU delegate, and the model graph will be completely executed (by|w\/) the delegate\./.test(line)) {
      r.delegation.status = 'full';
      continue;
    }
    if ((m = /^(?:Explicitly applied|Applied) GPU delegate, and the model graph will be partially executed (?:by|w\/) the delegate w\/ (\d+) delegate kernels\./.exec(line))) {
      r.delegation.status = 'partial';
      r.delegation.kernels = Number(m[1]);
      continue;
    }
    if (/GPU delegate is explicitly applied, the model graph will not be executed by the delegate\./.test(line)) {
      r.delegation.status = 'none';
      continue;
    }
    if ((m = /^Created (\d+) GPU delegate kernels\./.exec(line))) {
      r.delegation.kernels ??= Number(m[1]);
      continue;
    }
    if ((m = /^Replacing (\d+)(?: out of (\d+))? node\(s\) with delegate \((\w+)\) node, yielding (\d+) partitions/.exec(line))) {
      r.delegation.replacedNodes = Number(m[1]);
      if (m[2]) r.delegation.totalNodes = Number(m[2]);
      r.delegation.partitions = Number(m[4]);
      continue;
    }
    if (/^Initialized OpenCL-based API\./.test(line)) {
      r.delegation.backend = 'OpenCL';
      continue;
    }
    if (/^Initialized OpenGL-based API\./.test(line)) {
      r.delegation.backend = 'OpenGL';
      continue;
    }
    if (/^Disallowed CPU fallback detected\./.test(line)) {
      r.fallbackDisallowed = true;
      r.errors.push(line);
      continue;
    }
    if (sev === 'ERROR' || sev === 'FATAL' || /^(Benchmarking failed|Failed to|Aborted|Segmentation fault|.*: not found$|.*can't execute)/.test(line)) {
      r.errors.push(line);
      continue;
    }
    if ((m = /^Unconsumed cmdline flags: (.*)$/.exec(line))) {
      r.unconsumedFlags.push(...m[1]!.trim().split(/\s+/).filter(Boolean));
      r.warnings.push(line);
      continue;
    }
    if (sev === 'WARN' || sev === 'WARNING') r.warnings.push(line);
  }
  // count= lines: the first follows the warm-up "Running benchmark" line, the second the real runs.
  if (stats.length >= 2) {
    r.warmup = stats[0];
    r.inference = stats[1];
  } else if (stats.length === 1) {
    r.inference = stats[0];
  }
  if (r.format === 'current' && r.firstUs === undefined) r.firstUs = r.warmup?.first;
  if (r.delegation.status === 'unknown' && r.delegation.gpuOps !== undefined) r.delegation.status = r.delegation.gpuOps > 0 ? 'partial' : 'none';
  // `--num_runs=abc` reads as 0 runs: the tool still prints `count=0` and `Inference (avg): 0`.
  r.noRuns = r.inference?.count === 0 || (r.inferenceAvgUs !== undefined && !(r.inferenceAvgUs > 0));
  if (r.noRuns) r.errors.push(`no inference ran (${r.inference ? `count=${r.inference.count}` : 'no run statistics'}, Inference (avg): ${r.inferenceAvgUs ?? '-'})`);
  r.failed = r.noRuns || r.inferenceAvgUs === undefined || r.fallbackDisallowed || r.errors.some((e) => /Benchmarking failed|Segmentation fault|Aborted|can't execute|not found/.test(e));
  return r;
}
