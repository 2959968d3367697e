/** The simulated lab behaviour: seeded per-process noise and throttling episodes that show in health and timings. */
import { describe, expect, it } from 'vitest';
import { parseBenchmarkOutput } from '../../src/devicelab/benchmark/parse.js';
import { runBenchmarkTool } from '../../src/devicelab/sim/benchmark-tool.js';
import { SimDevice } from '../../src/devicelab/sim/device.js';
import { RUN_NOISE, RunNoise, SimLabState } from '../../src/devicelab/sim/lab-behaviour.js';
import { readTflite } from '../../src/tflite/reader.js';
import { convChain } from './lab/fixtures.js';

const ARGS = ['--graph=/data/local/tmp/m.tflite', '--use_gpu=true', '--num_runs=30', '--warmup_runs=2', '--min_secs=0', '--warmup_min_secs=0'];

function device(throttleChance: number, seed = 5): SimDevice {
  const d = new SimDevice({ seed: 1, behaviour: { seed, runNoise: 0.02, throttleChance, cooldownMs: 150 } });
  // compute-bound enough (≈ 5 ms) that the capped clock shows; a tiny model is dominated by fixed per-inference costs
  d.fs.writeFile('/data/local/tmp/m.tflite', Buffer.from(convChain({ size: 128, channels: 64, depth: 4 })));
  return d;
}
const median = async (d: SimDevice) => parseBenchmarkOutput((await runBenchmarkTool(d, ARGS, readTflite)).output).inference!.median!;

describe('run-to-run noise of one benchmark process', () => {
  const steady = (n: RunNoise, count: number) => Array.from({ length: count }, () => n.factor(Infinity, 0));

  it('is seeded, right-skewed around 1 with occasional slow outliers', () => {
    const xs = steady(new RunNoise(11), 20000);
    expect(steady(new RunNoise(11), 50)).toEqual(xs.slice(0, 50));
    expect(steady(new RunNoise(12), 1)[0]).not.toBe(xs[0]);
    const sorted = [...xs].sort((a, b) => a - b);
    const median = sorted[xs.length >> 1]!;
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(median).toBeGreaterThan(0.99);
    expect(median).toBeLessThan(1.01);
    expect(mean).toBeGreaterThan(median); // right tail
    expect(1 - sorted[Math.floor(xs.length * 0.001)]!).toBeLessThan(sorted[Math.floor(xs.length * 0.999)]! - 1); // the slow tail is longer than the fast one
    const outliers = xs.filter((x) => x > 1.15).length / xs.length;
    expect(outliers).toBeGreaterThan(RUN_NOISE.outlierChance * 0.5);
    expect(outliers).toBeLessThan(RUN_NOISE.outlierChance * 1.5);
  });

  it('decays from a slower warm-up and throttles after sustained load', () => {
    const mean = (f: (n: RunNoise) => number) => {
      let s = 0;
      for (let seed = 1; seed <= 400; seed++) s += f(new RunNoise(seed));
      return s / 400;
    };
    const first = mean((n) => n.factor(0, 0));
    const later = mean((n) => n.factor(20, 0));
    expect(first / later).toBeGreaterThan(1 + RUN_NOISE.warmupExtra * 0.8);
    expect(later).toBeLessThan(1.01);
    expect(mean((n) => n.factor(Infinity, RUN_NOISE.throttleOnsetSec - 1))).toBeLessThan(1.01);
    const hot = mean((n) => n.factor(Infinity, RUN_NOISE.throttleOnsetSec + RUN_NOISE.throttleRampSec));
    expect(hot).toBeGreaterThan(1 + RUN_NOISE.throttleMax * 0.95);
  });

  it('a long benchmark (--min_secs past the onset) ends slower than it started', async () => {
    const d = new SimDevice({ seed: 3 });
    d.fs.writeFile('/data/local/tmp/m.tflite', Buffer.from(convChain({ size: 128, channels: 64, depth: 4 })));
    const short = parseBenchmarkOutput((await runBenchmarkTool(d, ARGS, readTflite)).output).inference!.median!;
    const long = parseBenchmarkOutput((await runBenchmarkTool(d, [...ARGS.filter((a) => !a.startsWith('--min_secs')), '--min_secs=200', '--max_secs=300'], readTflite)).output).inference!;
    expect(long.curr!).toBeGreaterThan(short * (1 + RUN_NOISE.throttleMax * 0.7)); // the last iteration, past onset + ramp
    expect(long.p5!).toBeLessThan(short * 1.05); // the first minute ran unthrottled
  });
});

describe('simulated lab behaviour', () => {
  it('is seeded: the same seed gives the same processes, another seed others; throttling at about its rate', () => {
    const a = new SimLabState({ seed: 7 });
    const b = new SimLabState({ seed: 7 });
    const c = new SimLabState({ seed: 8 });
    const xa = Array.from({ length: 2000 }, () => a.nextRun());
    expect(Array.from({ length: 2000 }, () => b.nextRun())).toEqual(xa);
    expect(c.nextRun()).not.toEqual(xa[0]);
    const rate = xa.filter((x) => x.throttles).length / xa.length;
    expect(rate).toBeGreaterThan(0.035);
    expect(rate).toBeLessThan(0.065);
    const logs = xa.map((x) => Math.log(x.factor));
    const sd = Math.sqrt(logs.reduce((s, v) => s + v * v, 0) / logs.length);
    expect(sd).toBeGreaterThan(0.018);
    expect(sd).toBeLessThan(0.022);
  });

  it('a throttling episode caps the GPU clock, heats the zones, slows the run, and passes after the cool-down', async () => {
    const cool = device(0);
    const hot = device(1);
    const m0 = await median(cool);
    const m1 = await median(hot);
    // 759 → 455 MHz: compute-bound work slows by up to 759/455 (fixed per-inference costs do not)
    expect(m1 / m0).toBeGreaterThan(1.2);
    expect(hot.gpuMaxHz()).toBe(455_000_000);
    expect(hot.zoneTemp(36000)).toBeGreaterThanOrEqual(52000);
    expect(cool.hot()).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(hot.hot()).toBe(false);
    expect(hot.gpuMaxHz()).toBe(759_000_000);
  });

  it('many throttled runs do not leave the phone hot for good: accumulated heat stays below the throttle threshold', async () => {
    const d = device(1);
    for (let i = 0; i < 40; i++) await median(d);
    await new Promise((r) => setTimeout(r, 200));
    expect(d.hot()).toBe(false);
    expect(d.zoneTemp(36500)).toBeLessThan(45000);
  });
});
