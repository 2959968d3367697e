/**
 * benchmark_model flags as devices.yaml and `mai deploy --flag` take them: `--name` or
 * `--name=value`, with the numeric and boolean flags the tool reads checked for a usable value
 * (the tool itself silently reads `--num_runs=abc` as 0 runs and reports an average of 0).
 */

const INT_FLAGS: Record<string, number> = {
  num_runs: 1,
  warmup_runs: 0,
  num_threads: -1,
  max_delegated_partitions: 0,
  min_nodes_per_partition: 0,
  memory_footprint_check_interval_ms: 1,
  seed: 0,
};
const NUMBER_FLAGS = new Set(['min_secs', 'max_secs', 'warmup_min_secs', 'run_delay', 'run_frequency']);
const BOOL_FLAGS = new Set([
  'use_gpu', 'gpu_precision_loss_allowed', 'gpu_experimental_enable_quant', 'gpu_inference_for_sustained_speed',
  'require_full_delegation', 'enable_op_profiling', 'report_peak_memory_footprint', 'use_xnnpack', 'use_nnapi', 'verbose',
]);

export const FLAG_SHAPE = /^--[A-Za-z0-9_]+(=.*)?$/;

/** What is wrong with one flag, or undefined when it is usable. */
export function flagProblem(f: string): string | undefined {
  if (!FLAG_SHAPE.test(f)) return `'${f}' is not a benchmark_model flag: each flag looks like --name=value`;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(f)) return `${JSON.stringify(f)}: a benchmark_model flag cannot contain control characters`;
  const eq = f.indexOf('=');
  const name = f.slice(2, eq < 0 ? undefined : eq);
  const value = eq < 0 ? undefined : f.slice(eq + 1);
  if (name in INT_FLAGS) {
    const min = INT_FLAGS[name]!;
    if (value === undefined || !/^[-+]?\d+$/.test(value.trim()) || Number(value) < min) return `${f}: --${name} needs an integer ≥ ${min}`;
  } else if (NUMBER_FLAGS.has(name)) {
    if (value === undefined || value.trim() === '' || !Number.isFinite(Number(value)) || Number(value) < 0) return `${f}: --${name} needs a number ≥ 0`;
  } else if (BOOL_FLAGS.has(name) && value !== undefined && !/^(true|false|1|0)$/.test(value)) {
    return `${f}: --${name} takes true or false`;
  }
  return undefined;
}

/** A CLI count option: an integer ≥ min, else the problem. */
export function parseCount(v: string, min: number): number | undefined {
  if (!/^\s*\d+\s*$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= min ? n : undefined;
}
