/**
 * The device commands of a deploy, as argv lists (the words the phone's shell
 * must see) and as the `ShellLine`s sent over `shell:`. Remote model files are
 * named by content hash, so a model's own name never reaches the device.
 * `mai lab nightly` and the worker build their device steps from these.
 */
import { posix } from 'node:path';
import { internalError } from '../../core/errors.js';
import { commandLine, commandList, glob, withExitStatus, type ShellLine, type Word } from '../adb/quote.js';

export interface DeviceStep {
  /** The words the device shell must run (globs expanded by the device). */
  argv: Word[];
  line: ShellLine;
}

function step(argv: Word[], stderr?: 'discard' | 'stdout'): DeviceStep {
  return { argv, line: commandLine(argv, { stderr }) };
}

/** Where a model lives on the device: `<deviceDir>/<sha256>.tflite` (no user text). */
export function remoteModelPath(deviceDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw internalError(`not a sha256: ${sha256}`);
  return posix.join(deviceDir, `${sha256}.tflite`);
}

/** `sha256sum PATH 2>/dev/null`: the content hash of a device file (empty output when missing). */
export const sha256Step = (path: string) => step(['sha256sum', path], 'discard');
export const mkdirStep = (dir: string) => step(['mkdir', '-p', dir]);
export const chmodStep = (path: string, mode = '755') => step(['chmod', mode, path]);
export const removeStep = (path: string) => step(['rm', '-f', path]);
export const getpropStep = () => step(['getprop']);

/** `BIN FLAG… 2>&1; echo __RC=$?`: the benchmark with its output and exit status on stdout. */
export function benchmarkStep(binary: string, flags: readonly string[]): DeviceStep {
  const argv = [binary, ...flags];
  return { argv, line: withExitStatus(commandLine(argv, { stderr: 'stdout' })) };
}

/** Health in one round trip: thermal zones, GPU devfreq, battery (`parseHealth` reads the output). */
export const HEALTH_STEPS: readonly DeviceStep[] = [
  step(
    [
      'grep',
      '.',
      glob('/sys/class/thermal/thermal_zone*/type'),
      glob('/sys/class/thermal/thermal_zone*/temp'),
      glob('/sys/class/devfreq/*/cur_freq'),
      glob('/sys/class/devfreq/*/max_freq'),
    ],
    'discard',
  ),
  step(['dumpsys', 'battery'], 'discard'),
];
export const HEALTH_LINE: ShellLine = commandList(...HEALTH_STEPS.map((s) => s.line));
