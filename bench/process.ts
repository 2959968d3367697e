/**
 * Runs a Node process as a user would and measures it from outside: wall time around the spawn
 * and the peak RSS the process reached, reported by a one-line `--import` hook on exit. The peak
 * is VmHWM of /proc/self/status: getrusage's maxRSS also counts the parent's memory at fork time
 * (Linux keeps it across exec), which would credit this benchmark's own size to a bare `node`.
 */
import { spawnSync } from 'node:child_process';

const RSS_TAG = 'MAI_BENCH_MAXRSS';
const RSS_HOOK =
  `data:text/javascript,import { readFileSync } from 'node:fs'; process.on('exit', () => { ` +
  `let kb; try { kb = Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]); } catch { kb = process.resourceUsage().maxRSS; } ` +
  `process.stderr.write('\\n${RSS_TAG} ' + kb * 1024 + '\\n'); })`;

export interface ProcessRun {
  ms: number;
  peakRss: number;
}

/** `node <args>`; throws with its stderr when it fails. */
export function runNode(args: string[], opts: { rss?: boolean } = {}): ProcessRun {
  const argv = opts.rss ? ['--import', RSS_HOOK, ...args] : args;
  const t = performance.now();
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr}`);
  const m = new RegExp(`${RSS_TAG} (\\d+)`).exec(r.stderr);
  return { ms, peakRss: m ? Number(m[1]) : NaN };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median wall time and median peak RSS of `repeats` runs; `before` runs ahead of each (untimed). */
export function medianRun(args: string[], repeats: number, opts: { rss?: boolean; before?: () => void } = {}): ProcessRun {
  const runs: ProcessRun[] = [];
  for (let i = 0; i < repeats; i++) {
    opts.before?.();
    runs.push(runNode(args, opts));
  }
  return { ms: median(runs.map((r) => r.ms)), peakRss: median(runs.map((r) => r.peakRss)) };
}
