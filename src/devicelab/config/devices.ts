/**
 * `devices.yaml`: the lab's devices, validated with zod; errors name the file,
 * the line and the field. Format (see devices.yaml at the repository root and docs/devicelab.md):
 *
 *   version: 1
 *   defaults: { adb, deviceDir, benchmark: { host, device }, runs, warmupRuns, flags, timeoutSec, connectTimeoutSec, retries, throttleTempC }
 *   devices:
 *     - id, tags, serial, adb ("host:port" or "embedded"), soc, gpu, os, class, + any default overridden
 */
import { constants as fsConstants, promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LineCounter } from 'yaml';
import { z } from 'zod';
import { inputError } from '../../core/errors.js';
import { parseYamlWithLines, yamlLineAt, type YamlWithLines } from '../../core/yaml-lines.js';
import { devicePath } from './device-path.js';
import { flagProblem } from './flags.js';

const adbAddr = z.string().regex(/^(embedded|[A-Za-z0-9.\-[\]:]+:\d{1,5})$/, 'expected "host:port" (e.g. 127.0.0.1:5037) or "embedded"');

const settings = {
  adb: adbAddr.optional(),
  deviceDir: devicePath('dir').optional(),
  benchmark: z.strictObject({ host: z.string().min(1).optional(), device: devicePath('file').optional() }).optional(),
  runs: z.number().int().positive().optional(),
  warmupRuns: z.number().int().min(0).optional(),
  flags: z.array(z.string().superRefine((f, ctx) => {
    const p = flagProblem(f);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  })).optional(),
  timeoutSec: z.number().positive().optional(),
  /** Seconds to wait for the adb server to accept a connection and answer host:version. */
  connectTimeoutSec: z.number().positive().optional(),
  retries: z.number().int().min(0).max(10).optional(),
  throttleTempC: z.number().positive().optional(),
};

const deviceSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'ids use letters, digits, . _ -'),
  tags: z.array(z.string()).default([]),
  serial: z.string().min(1),
  soc: z.string().optional(),
  gpu: z.string().optional(),
  os: z.string().optional(),
  /** Device class for latency budgets (budgets.yaml `latency: { <class>: ms }`); default: soc. */
  class: z.string().optional(),
  ...settings,
});

const fileSchema = z.strictObject({
  version: z.literal(1).optional(),
  defaults: z.strictObject(settings).optional(),
  devices: z.array(deviceSchema),
});

export interface DeviceEntry {
  id: string;
  tags: string[];
  serial: string;
  /** "embedded" = the built-in simulator. */
  adb: { host: string; port: number } | 'embedded';
  soc?: string;
  gpu?: string;
  os?: string;
  deviceClass: string;
  deviceDir: string;
  benchmarkHost: string;
  benchmarkDevice: string;
  runs: number;
  warmupRuns: number;
  flags: string[];
  timeoutSec: number;
  connectTimeoutSec: number;
  retries: number;
  throttleTempC: number;
  line?: number;
  /** Where benchmark.host was set, `file:line: field` (for errors about the host binary). */
  benchmarkHostAt?: string;
}

/** The placeholder "binary" shipped for the simulated device (the simulator accepts any bytes). */
export const SIM_BENCHMARK_PLACEHOLDER = fileURLToPath(new URL('../sim/benchmark_model.SIMULATED', import.meta.url));

export const DEFAULT_FLAGS = ['--use_gpu=true', '--gpu_precision_loss_allowed=true', '--require_full_delegation=true'];

export const BUILTIN_DEFAULTS = {
  adb: '127.0.0.1:5037',
  deviceDir: '/data/local/tmp/mai',
  runs: 50,
  warmupRuns: 5,
  flags: DEFAULT_FLAGS,
  timeoutSec: 300,
  connectTimeoutSec: 5,
  retries: 3,
  throttleTempC: 45,
};

export function parseAdbAddr(s: string): DeviceEntry['adb'] {
  if (s === 'embedded') return 'embedded';
  const i = s.lastIndexOf(':');
  return { host: s.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(s.slice(i + 1)) };
}

function lineAt(doc: YamlWithLines['doc'], lc: LineCounter, path: ReadonlyArray<PropertyKey>): number | undefined {
  return yamlLineAt(doc.contents, lc, path).line;
}

/** Parse devices.yaml text. */
export function parseDevices(text: string, file = 'devices.yaml'): DeviceEntry[] {
  const { doc, lc } = parseYamlWithLines(text, file, 'devices-yaml', { file });
  const parsed = fileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((i) => {
      const path = i.code === 'unrecognized_keys' ? [...i.path, i.keys[0]!] : i.path;
      const line = lineAt(doc, lc, path) ?? 1;
      return `${file}:${line}: ${path.map(String).join('.') || '(top level)'}: ${i.code === 'unrecognized_keys' ? 'unknown field' : i.message}`;
    });
    throw inputError('devices-invalid', msgs[0]!, { file, hint: msgs.length > 1 ? msgs.slice(1).join('\n  ') : 'see docs/devicelab.md for the devices.yaml format' });
  }
  const d = { ...BUILTIN_DEFAULTS, ...parsed.data.defaults };
  const ids = new Set<string>();
  return parsed.data.devices.map((dev, i) => {
    if (ids.has(dev.id)) throw inputError('devices-invalid', `${file}:${lineAt(doc, lc, ['devices', i, 'id']) ?? 1}: devices.${i}.id: duplicate id '${dev.id}'`, { file });
    ids.add(dev.id);
    const deviceDir = dev.deviceDir ?? d.deviceDir;
    return {
      id: dev.id,
      tags: dev.tags,
      serial: dev.serial,
      adb: parseAdbAddr(dev.adb ?? d.adb),
      soc: dev.soc,
      gpu: dev.gpu,
      os: dev.os,
      deviceClass: dev.class ?? dev.soc ?? dev.tags[0] ?? dev.id,
      deviceDir,
      benchmarkHost: dev.benchmark?.host ?? d.benchmark?.host ?? SIM_BENCHMARK_PLACEHOLDER,
      benchmarkDevice: dev.benchmark?.device ?? d.benchmark?.device ?? `${deviceDir}/benchmark_model`,
      runs: dev.runs ?? d.runs,
      warmupRuns: dev.warmupRuns ?? d.warmupRuns,
      flags: dev.flags ?? d.flags,
      timeoutSec: dev.timeoutSec ?? d.timeoutSec,
      connectTimeoutSec: dev.connectTimeoutSec ?? d.connectTimeoutSec,
      retries: dev.retries ?? d.retries,
      throttleTempC: dev.throttleTempC ?? d.throttleTempC,
      line: lineAt(doc, lc, ['devices', i]),
      benchmarkHostAt: dev.benchmark?.host
        ? `${file}:${lineAt(doc, lc, ['devices', i, 'benchmark', 'host']) ?? 1}: devices.${i}.benchmark.host`
        : d.benchmark?.host
          ? `${file}:${lineAt(doc, lc, ['defaults', 'benchmark', 'host']) ?? 1}: defaults.benchmark.host`
          : undefined,
    };
  });
}

/** Read devices.yaml; undefined when the file does not exist (and `optional`). */
export async function loadDevices(path: string, optional = false): Promise<DeviceEntry[] | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && optional) return undefined;
    throw inputError('file-not-found', `devices file not found: ${path}`, { file: path });
  }
  return parseDevices(text, path);
}

/** Devices matching an id, or else a tag. */
export function selectDevices(devices: DeviceEntry[], idOrTag: string): DeviceEntry[] {
  const byId = devices.filter((d) => d.id === idOrTag);
  return byId.length ? byId : devices.filter((d) => d.tags.includes(idOrTag));
}

/** The entry used when devices.yaml names nothing for `--device kirin9000`: the embedded simulator. */
export function embeddedSimEntry(tag: string): DeviceEntry {
  return {
    id: 'sim-kirin9000',
    tags: [tag, 'simulated'],
    serial: 'sim-kirin9000-1',
    adb: 'embedded',
    soc: 'kirin9000',
    gpu: 'Mali-G78 MP24',
    os: 'HarmonyOS 2.0 (Android 10), simulated',
    deviceClass: 'kirin9000',
    deviceDir: BUILTIN_DEFAULTS.deviceDir,
    benchmarkHost: SIM_BENCHMARK_PLACEHOLDER,
    benchmarkDevice: `${BUILTIN_DEFAULTS.deviceDir}/benchmark_model`,
    runs: BUILTIN_DEFAULTS.runs,
    warmupRuns: BUILTIN_DEFAULTS.warmupRuns,
    flags: DEFAULT_FLAGS,
    timeoutSec: BUILTIN_DEFAULTS.timeoutSec,
    connectTimeoutSec: BUILTIN_DEFAULTS.connectTimeoutSec,
    retries: BUILTIN_DEFAULTS.retries,
    throttleTempC: BUILTIN_DEFAULTS.throttleTempC,
  };
}

/**
 * Every benchmark.host binary must be a readable file before anything is pushed; a missing one is a
 * configuration error (exit 2) naming the devices file, line and field.
 */
export async function checkBenchmarkBinaries(entries: DeviceEntry[], devicesFile: string): Promise<void> {
  for (const e of entries) {
    let ok = false;
    try {
      ok = (await fs.stat(e.benchmarkHost)).isFile();
      if (ok) await fs.access(e.benchmarkHost, fsConstants.R_OK);
    } catch {
      ok = false;
    }
    if (!ok) {
      const at = e.benchmarkHostAt ?? `${devicesFile}: benchmark.host`;
      throw inputError('benchmark-binary-missing', `${at}: benchmark_model not found on the host: ${e.benchmarkHost} (device ${e.id})`, {
        file: e.benchmarkHostAt ? devicesFile : undefined,
        hint: "point benchmark.host at TFLite's android_aarch64_benchmark_model (paths are relative to the current directory)",
      });
    }
  }
}
