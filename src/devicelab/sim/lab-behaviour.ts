/**
 * What makes the simulated device behave like a phone, all seeded. Within one
 * benchmark_model process (RunNoise): every iteration varies with a
 * right-skewed (log-normal) jitter, now and then one is a slow outlier, the
 * first iterations after the first inference are slower (warm-up decay), and
 * sustained load throttles. Over many nights (SimLabState): every process runs
 * a little faster or slower than the last (a per-process factor: clocks,
 * memory placement), and now and then a run heats the phone until the thermal
 * governor caps the GPU clock (the run is then slower, its health shows it,
 * and the phone stays hot for `cooldownMs` after it). Numbers stay marked
 * SIMULATED like everything else the simulator prints.
 */
import { seededNormal, seededRandom } from '../../core/random.js';

export interface SimLabBehaviour {
  /** Seed of this device's behaviour (e.g. derived from the night and the device id). */
  seed: number;
  /** Relative standard deviation of the per-process speed factor (default 0.02). */
  runNoise?: number;
  /** Chance that one benchmark run throttles (default 0.05). */
  throttleChance?: number;
  /** How long (wall-clock ms) a throttled phone stays hot after its run (default 300). */
  cooldownMs?: number;
}

/** Per-device state of the behaviour: one draw per benchmark process. */
export class SimLabState {
  private readonly normal: () => number;
  private readonly uniform: () => number;
  constructor(readonly behaviour: SimLabBehaviour) {
    this.normal = seededNormal(behaviour.seed >>> 0);
    this.uniform = seededRandom((behaviour.seed ^ 0x5bd1e995) >>> 0);
  }

  /** Draw the next process: its speed factor and whether it throttles. */
  nextRun(): { factor: number; throttles: boolean } {
    const sd = this.behaviour.runNoise ?? 0.02;
    const factor = Math.exp(sd * this.normal());
    const throttles = this.uniform() < (this.behaviour.throttleChance ?? 0.05);
    return { factor, throttles };
  }
}

/** Shape of the iteration-to-iteration variation of one benchmark process. Every value is an assumption (docs/devicelab.md). */
export interface RunNoiseParams {
  /** σ of the log-normal per-iteration jitter: right-skewed, median 1. */
  jitterSigma: number;
  /** Chance an iteration is a slow outlier (preemption, a DVFS step, a driver flush). */
  outlierChance: number;
  /** Mean extra time of an outlier, relative (exponentially distributed). */
  outlierMean: number;
  /** Warm-up decay: iteration i (after the first inference) runs slower by warmupExtra · exp(−i / warmupIters). */
  warmupExtra: number;
  warmupIters: number;
  /** Thermal throttling under sustained load: after `throttleOnsetSec` of continuous inference the slowdown ramps linearly to `throttleMax` over `throttleRampSec`. */
  throttleOnsetSec: number;
  throttleRampSec: number;
  throttleMax: number;
}

export const RUN_NOISE: RunNoiseParams = {
  jitterSigma: 0.025,
  outlierChance: 0.01,
  outlierMean: 0.4,
  warmupExtra: 0.12,
  warmupIters: 3,
  throttleOnsetSec: 60,
  throttleRampSec: 120,
  throttleMax: 0.3,
};

/** The variation of one benchmark process, seeded: the same seed gives the same iterations. */
export class RunNoise {
  private readonly normal: () => number;
  private readonly uniform: () => number;
  constructor(seed: number, readonly params: RunNoiseParams = RUN_NOISE) {
    this.normal = seededNormal(seed >>> 0);
    this.uniform = seededRandom((seed ^ 0x27d4eb2f) >>> 0);
  }

  /** One standard normal draw (for numbers outside the iteration loop, e.g. init time). */
  gauss(): number {
    return this.normal();
  }

  /**
   * Multiplier of the steady-state latency for iteration `i` (0 = the first after the first inference; pass
   * Infinity for no warm-up) after `loadSec` seconds of sustained inference in this process.
   */
  factor(i: number, loadSec: number): number {
    const p = this.params;
    const jitter = Math.exp(p.jitterSigma * this.normal());
    const outlier = this.uniform() < p.outlierChance ? 1 - p.outlierMean * Math.log(1 - this.uniform()) : 1;
    const warm = Number.isFinite(i) ? 1 + p.warmupExtra * Math.exp(-i / p.warmupIters) : 1;
    const thermal = 1 + p.throttleMax * Math.min(1, Math.max(0, (loadSec - p.throttleOnsetSec) / p.throttleRampSec));
    return jitter * outlier * warm * thermal;
  }
}
