/**
 * What makes the simulated device behave like a phone in a lab over many
 * nights, all seeded: every benchmark_model process runs a little faster or
 * slower than the last (a per-process factor: clocks, memory placement), and
 * now and then a run heats the phone until the thermal governor caps the GPU
 * clock (the run is then slower, its health shows it, and the phone stays hot
 * for `cooldownMs` after it). Numbers stay marked
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
