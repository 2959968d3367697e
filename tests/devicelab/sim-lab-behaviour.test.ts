/** The simulated lab behaviour: seeded per-process noise and throttling episodes that show in health and timings. */
import { describe, expect, it } from 'vitest';
import { parseBenchmarkOutput } from '../../src/devicelab/benchmark/parse.js';
import { runBenchmarkTool } from '../../src/devicelab/sim/benchmark-tool.js';
import { SimDevice } from '../../src/devicelab/sim/device.js';
import { SimLabState } from '../../src/devicelab/sim/lab-behaviour.js';
import { readTflite } from '../../src/tflite/reader.js';
import { convChain } from './lab/fixtures.js';

const ARGS = ['--graph=/data/local/tmp/m.tflite', '--use_gpu=true', '--num_runs=30', '--warmup_runs=2', '--min_secs=0', '--warmup_min_secs=0'];

function device(throttleChance: number, seed = 5): SimDevice {
  const d = new SimDevice({ seed: 1, behaviour: { seed, runNoise: 0.02, throttleChance, cooldownMs: 150 } });
  d.fs.writeFile('/data/local/tmp/m.tflite', Buffer.from(convChain({ size: 64, channels: 32, depth: 2 })));
  return d;
}
const median = async (d: SimDevice) => parseBenchmarkOutput((await runBenchmarkTool(d, ARGS, readTflite)).output).inference!.median!;

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
    // 759 → 455 MHz: compute-bound work slows by up to 759/455
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
