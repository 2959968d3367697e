/** Models, devices.yaml and lab.yaml for the nightly lab tests. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { DeviceEntry } from '../../../src/devicelab/config/devices.js';
import { HEALTH_STEPS } from '../../../src/devicelab/deploy/commands.js';
import { mergeFlags } from '../../../src/devicelab/deploy/deploy.js';
import type { SimDevice } from '../../../src/devicelab/sim/device.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { IrBuilder } from '../../helpers/ir-builder.js';

/** conv 3×3 (c) → conv 3×3 (c) × depth → conv 1×1 → logistic on a size² RGB input: fully delegated; the work grows with c² · depth. */
export function convChain(o: { size: number; channels: number; depth?: number; seed?: number }): Uint8Array {
  const b = new IrBuilder(o.seed ?? 21);
  let x = b.input('image', [1, o.size, o.size, 3]);
  x = b.conv2d(x, { out: o.channels, k: 3, activation: 'RELU' });
  for (let i = 0; i < (o.depth ?? 1); i++) x = b.conv2d(x, { out: o.channels, k: 3, activation: 'RELU' });
  x = b.conv2d(x, { out: 1, k: 1 });
  b.output(b.unary('LOGISTIC', x));
  return writeTflite(b.graph);
}

export const SIM_DEVICES_YAML = `version: 1
devices:
  - id: sim-a
    tags: [kirin9000]
    serial: sim-kirin9000-1
    adb: embedded
    soc: kirin9000
    class: kirin9000
`;

export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
}

/** The argv a simulated phone must run, in order, for one lab run of the artefact with this hash (the lab keeps the pushed model). */
export function labRunArgv(entry: DeviceEntry, device: SimDevice, sha256: string, iterations: number, warmupRuns: number): string[][] {
  const remote = posix.join(entry.deviceDir, `${sha256}.tflite`);
  const flags = mergeFlags(entry.flags, [], [`--graph=${remote}`, `--num_runs=${iterations}`, `--warmup_runs=${warmupRuns}`, '--min_secs=0', '--warmup_min_secs=0']);
  const health = HEALTH_STEPS.map((s) => s.argv.flatMap((w) => (typeof w === 'string' ? [w] : device.fs.glob(w.glob))));
  return [['getprop'], ['mkdir', '-p', entry.deviceDir], ['sha256sum', remote], ['sha256sum', entry.benchmarkDevice], ['chmod', '755', entry.benchmarkDevice], ...health, [entry.benchmarkDevice, ...flags], ['echo', '__RC=0'], ...health];
}
