/**
 * The simulated device's `benchmark_model`: reads the pushed .tflite with the
 * project's reader, applies the GPU delegate rule table (`checkGpuCompat`) and
 * prints what the real tool prints (notes §4.2, §2.6), with timings from the
 * Mali-G78 MP24 cost model plus seeded noise. One extra line marks the output
 * as SIMULATED.
 */
import { createHash } from 'node:crypto';
import { checkGpuCompat, unsupportedOpsLog } from '../../convert/gpu/check.js';
import { simMarker } from '../benchmark/parse.js';
import { estimateCost } from './cost-model.js';
import type { GraphReader, SimDevice } from './device.js';
import { RunNoise } from './lab-behaviour.js';

export interface ToolResult {
  output: string;
  exitCode: number;
  /** Simulated wall time of the run, seconds (heats the device). */
  seconds: number;
}

const KNOWN_FLAGS = new Set([
  'graph', 'num_threads', 'num_runs', 'min_secs', 'max_secs', 'warmup_runs', 'warmup_min_secs', 'run_delay', 'run_frequency',
  'enable_op_profiling', 'use_gpu', 'gpu_precision_loss_allowed', 'gpu_experimental_enable_quant', 'gpu_inference_for_sustained_speed',
  'gpu_backend', 'max_delegated_partitions', 'min_nodes_per_partition', 'require_full_delegation', 'report_peak_memory_footprint',
  'memory_footprint_check_interval_ms', 'use_xnnpack', 'use_nnapi', 'verbose', 'input_layer', 'input_layer_shape', 'seed',
]);

/** C++ ostream default formatting of a double (6 significant digits, %g rules). */
export function fmtG(x: number): string {
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  const rounded = Number(x.toPrecision(6));
  const e2 = Math.floor(Math.log10(Math.abs(rounded)));
  if (e2 < -4 || e2 >= 6 || exp >= 6) {
    const [m, e] = rounded.toExponential(5).split('e') as [string, string];
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const en = Number(e);
    return `${mant}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  return String(rounded);
}

function parseFlags(args: string[]): { flags: Map<string, string>; unknown: string[] } {
  const flags = new Map<string, string>();
  const unknown: string[] = [];
  for (const a of args) {
    const m = /^--?([A-Za-z0-9_]+)(?:=(.*))?$/.exec(a);
    if (!m || !KNOWN_FLAGS.has(m[1]!)) {
      unknown.push(a);
      continue;
    }
    flags.set(m[1]!, m[2] ?? 'true');
  }
  return { flags, unknown };
}

const bool = (v: string | undefined, d: boolean) => (v === undefined ? d : v === 'true' || v === '1');

function statsLine(values: number[]): string {
  const n = values.length;
  if (n === 0) return 'count=0';
  const ints = values.map((v) => Math.round(v));
  const allSame = ints.every((v) => v === ints[0]);
  if (allSame) return `count=${n} curr=${ints[n - 1]}${n > 1 ? ' (all same)' : ''}`;
  const avg = values.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - avg) ** 2, 0) / n);
  const sorted = [...ints].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.round((p / 100) * (n - 1))))]!;
  return `count=${n} first=${ints[0]} curr=${ints[n - 1]} min=${sorted[0]} max=${sorted[n - 1]} avg=${fmtG(avg)} std=${Math.round(std)} p5=${pct(5)} median=${pct(50)} p95=${pct(95)}`;
}

export async function runBenchmarkTool(device: SimDevice, args: string[], readGraph: GraphReader): Promise<ToolResult> {
  const out: string[] = [];
  const I = (s: string) => out.push(`INFO: ${s}`);
  const E = (s: string) => out.push(`ERROR: ${s}`);
  const { flags, unknown } = parseFlags(args);
  const fail = (msg: string[]): ToolResult => {
    msg.forEach(E);
    E('Benchmarking failed.');
    return { output: out.join('\n') + '\n', exitCode: 1, seconds: 0.1 };
  };
  I('STARTING!');
  I(simMarker(device.profile.soc.replace(/^HiSilicon /, ''), device.profile.gpu));
  if (unknown.length) out.push(`WARN: Unconsumed cmdline flags: ${unknown.join(' ')}`);
  const graphPath = flags.get('graph');
  if (!graphPath) return fail(['Please specify the name of your TF Lite input file with --graph']);
  // The real tool reads a number it cannot parse (e.g. --num_runs=NaN) as 0; so does this one.
  const count = (v: string | undefined, d: number) => (v === undefined ? d : Number.isFinite(Number(v)) ? Number(v) : 0);
  const zero = device.take('zeroRuns');
  const numRuns = zero ? 0 : count(flags.get('num_runs'), 50);
  const warmupRuns = zero ? 0 : count(flags.get('warmup_runs'), 1);
  const minSecs = zero ? 0 : count(flags.get('min_secs'), 1);
  const warmupMinSecs = zero ? 0 : count(flags.get('warmup_min_secs'), 0.5);
  const maxSecs = Number(flags.get('max_secs') ?? 150);
  const useGpu = bool(flags.get('use_gpu'), false);
  const fp16 = bool(flags.get('gpu_precision_loss_allowed'), true);
  const requireFull = bool(flags.get('require_full_delegation'), false);
  const maxParts = Number(flags.get('max_delegated_partitions') ?? 1);
  I('Log parameter values verbosely: [0]');
  I(`Min num runs: [${numRuns}]`);
  I(`Min runs duration (seconds): [${minSecs}]`);
  I(`Num warmup runs: [${warmupRuns}]`);
  I(`Min warmup runs duration (seconds): [${warmupMinSecs}]`);
  I(`Graph: [${graphPath}]`);
  if (requireFull) I('Require full delegation: [1]');
  if (useGpu) {
    I('Use gpu: [1]');
    I(`Allow lower precision in gpu: [${fp16 ? 1 : 0}]`);
  }
  const bytes = device.fs.readFile(graphPath);
  if (!bytes) return fail([`Could not open '${graphPath}'.`, `Failed to mmap model ${graphPath}`]);
  let g;
  try {
    g = await readGraph(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), graphPath);
  } catch (e) {
    return fail([`Model provided has model identifier '${bytes.subarray(4, 8).toString('latin1')}', should be 'TFL3'`, `Failed to mmap model ${graphPath} (${(e as Error).message})`]);
  }
  I(`Loaded model ${graphPath}`);
  if (device.take('benchmarkCrash')) {
    // Killed by SIGSEGV mid-run: the shell prints this and the exit status is 139.
    out.push('Segmentation fault ');
    return { output: out.join('\n') + '\n', exitCode: 139, seconds: 0.5 };
  }
  // Lab behaviour: this process's speed factor, and whether it heats the phone until it throttles.
  const labRun = device.lab?.nextRun();
  if (labRun?.throttles) device.throttleUntil = Infinity;
  const report = checkGpuCompat(g, { maxDelegatedPartitions: maxParts });
  const throttled = device.hot();
  const gpuMHz = device.gpuMaxHz() / 1e6;
  if (useGpu) {
    I('Created TensorFlow Lite delegate for GPU.');
    I('GPU delegate created.');
    out.push(...unsupportedOpsLog(report));
    if (report.delegatedNodeCount > 0) {
      I('Loaded OpenCL library with dlopen.');
      I('Initialized OpenCL-based API.');
      I(`Created ${report.delegatedPartitionCount} GPU delegate kernels.`);
      out.push(
        `VERBOSE: Replacing ${report.delegatedNodeCount} out of ${report.nodes.length} node(s) with delegate (TfLiteGpuDelegateV2) node, yielding ${report.delegatedPartitionCount} partitions for subgraph 0 (main).`,
      );
    }
    if (requireFull && !report.fullyDelegated) return fail(['Disallowed CPU fallback detected.']);
    if (report.fullyDelegated) I('Explicitly applied GPU delegate, and the model graph will be completely executed by the delegate.');
    else if (report.delegatedNodeCount > 0)
      I(`Explicitly applied GPU delegate, and the model graph will be partially executed by the delegate w/ ${report.delegatedPartitionCount} delegate kernels.`);
    else I('Though GPU delegate is explicitly applied, the model graph will not be executed by the delegate.');
  } else if (requireFull) {
    return fail(['Disallowed CPU fallback detected.']);
  }
  const cpuOnly = useGpu ? report : { ...report, nodes: report.nodes.map((n) => ({ ...n, delegated: false })), delegatedNodeCount: 0, cpuNodeCount: report.nodes.length };
  const estimate = estimateCost(g, cpuOnly, bytes.length, { fp16, gpuFreqMHz: gpuMHz, profile: device.profile });
  const f = labRun?.factor ?? 1;
  const cost = { ...estimate, inferenceUs: estimate.inferenceUs * f, firstUs: estimate.firstUs * f };
  // Seeded noise (lab-behaviour.ts RunNoise): the same model on the same device seed gives the same numbers for the same run index.
  const h = createHash('sha256').update(bytes).digest().readUInt32LE(0);
  const noise = new RunNoise((h ^ device.seed ^ Math.imul(device.runs + 1, 0x9e3779b1)) >>> 0);
  device.runs++;
  const initMs = cost.initMs * (1 + 0.02 * noise.gauss());
  I(`The input model file size (MB): ${fmtG(bytes.length / 1e6)}`);
  I(`Initialized session in ${fmtG(Number(initMs.toFixed(3)))}ms.`);
  // Iterations after the first inference count for the warm-up decay; simulated busy time for thermal throttling.
  let iteration = 0;
  let busyUs = 0;
  const loop = (runs: number, secs: number, first: number) => {
    const vals: number[] = [];
    let t = 0;
    while ((vals.length < runs || t / 1e6 < secs) && t / 1e6 <= maxSecs) {
      const v = vals.length === 0 && first > 0 ? first : cost.inferenceUs * noise.factor(iteration++, busyUs / 1e6);
      vals.push(v);
      t += v;
      busyUs += v;
    }
    return vals;
  };
  I(`Running benchmark for at least ${warmupRuns} iterations and at least ${warmupMinSecs} seconds but terminate if exceeding ${maxSecs} seconds.`);
  const warm = loop(warmupRuns, warmupMinSecs, cost.firstUs * noise.factor(Infinity, 0));
  I(statsLine(warm));
  out.push('');
  I(`Running benchmark for at least ${numRuns} iterations and at least ${minSecs} seconds but terminate if exceeding ${maxSecs} seconds.`);
  const runs = loop(numRuns, minSecs, 0);
  I(statsLine(runs));
  out.push('');
  const avg = (a: number[]) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : 0);
  I(`Inference timings in us: Init: ${Math.round(initMs * 1000)}, First inference: ${Math.round(warm[0] ?? 0)}, Warmup (avg): ${fmtG(avg(warm))}, Inference (avg): ${fmtG(avg(runs))}`);
  I('Note: as the benchmark tool itself affects memory footprint, the following is only APPROXIMATE to the actual memory footprint of the model at runtime. Take the information at your discretion.');
  I(`Memory footprint delta from the start of the tool (MB): init=${fmtG(cost.memory.initMb)} overall=${fmtG(cost.memory.overallMb)}`);
  if (bool(flags.get('report_peak_memory_footprint'), false)) I(`Overall peak memory footprint (MB) via periodic monitoring: ${fmtG(cost.memory.overallMb * 1.08)}`);
  const seconds = (warm.reduce((a, b) => a + b, 0) + runs.reduce((a, b) => a + b, 0)) / 1e6 + initMs / 1e3;
  if (device.throttleUntil === Infinity) device.throttleUntil = Date.now() + (device.lab?.behaviour.cooldownMs ?? 300);
  if (throttled) device.heatMilliC = Math.min(8000, device.heatMilliC + 500);
  else device.heatMilliC = Math.min(8000, device.heatMilliC + seconds * 400);
  return { output: out.join('\n') + '\n', exitCode: 0, seconds };
}
