/**
 * `lab.yaml`: what the nightly runs. Validated with zod; errors name
 * `file:line: field`. Relative paths resolve from the lab file's folder.
 *
 *   version: 1
 *   models:
 *     - { name, path, task: matting|bokeh|none, data, calib, inputShapes }
 *   precisions: [fp32, fp16, int8, dynamic]
 *   devices: [kirin9000]          # ids or tags of devices.yaml: each device its own cells
 *   pools:                        # with a PostgreSQL --db: phones of one kind sharing cells
 *     - { name: kirin9000-pool, devices: [kirin9000] }
 *   runs: 5                       # benchmark_model processes per cell
 *   iterations: 50                # inferences per run (warmupRuns before them)
 *   budgets: budgets.yaml
 *   build: host                   # or workers: with a PostgreSQL --db, \`mai lab worker --build\`s build the variants
 *   policy: { baselineNights, minNights, alpha, minRatio, minSigmas, confirmByRerun, ... }
 *   simulation: { runNoise, throttleChance, offline, offlineChance }   # the embedded simulator only
 */
import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { inputError } from '../../core/errors.js';
import { parseYamlWithLines, yamlLineAt } from '../../core/yaml-lines.js';

export const PRECISIONS = ['fp32', 'fp16', 'int8', 'dynamic'] as const;
export type Precision = (typeof PRECISIONS)[number];
export type LabTask = 'matting' | 'bokeh' | 'none';
export const BUILD_PLACES = ['host', 'workers'] as const;
export type BuildPlace = (typeof BUILD_PLACES)[number];

/** The bundled sample photos (data/samples): default validation and calibration data. */
export const BUNDLED_SAMPLES: Record<LabTask, string> = {
  matting: fileURLToPath(new URL('../../../data/samples/matting', import.meta.url)),
  bokeh: fileURLToPath(new URL('../../../data/samples/bokeh', import.meta.url)),
  none: fileURLToPath(new URL('../../../data/samples/matting', import.meta.url)),
};

/** A model name: also a file-name stem of the build cache (`<name>-<precision>-<key>.json`), so at most 128 characters. */
const name = z.string().regex(/^[A-Za-z0-9._-]+$/, 'names use letters, digits, . _ -').max(128, 'names are at most 128 characters long');

const modelSchema = z.strictObject({
  name,
  path: z.string().min(1),
  task: z.enum(['matting', 'bokeh', 'none']).default('none'),
  /** validation data (CelebAMat, EBB!, a folder); default: the bundled samples of the task */
  data: z.string().min(1).optional(),
  /** calibration data for int8; default: the validation data */
  calib: z.string().min(1).optional(),
  /** ONNX inputs with symbolic dims, as `mai convert --input-shape` */
  inputShapes: z.record(z.string(), z.array(z.number().int().min(0))).optional(),
});

const policySchema = z.strictObject({
  /** the baseline: run medians of the last N good nights */
  baselineNights: z.number().int().positive().default(7),
  /** fewer good nights than this → INSUFFICIENT_DATA */
  minNights: z.number().int().positive().default(5),
  /** one-sided Mann-Whitney U significance level */
  alpha: z.number().gt(0).lt(1).default(0.01),
  /** minimum effect: ratio of medians */
  minRatio: z.number().gt(1).default(1.05),
  /** minimum effect: shift in σ of the baseline (σ from the MAD) */
  minSigmas: z.number().min(0).default(2.5),
  /** confirm a first significant slowdown at once by running the cell again (else: the next night confirms) */
  confirmByRerun: z.boolean().default(false),
  /** bootstrap resamples for the ratio's confidence interval */
  bootstrapResamples: z.number().int().min(100).default(10_000),
  /** a throttled run is discarded and run again, at most this many times per run */
  throttleRetries: z.number().int().min(0).default(2),
  /** longest wait for a hot phone to cool down before a run, seconds */
  cooldownSec: z.number().min(0).default(120),
});

const simulationSchema = z.strictObject({
  /** relative σ of the per-process speed factor */
  runNoise: z.number().min(0).max(0.5).default(0.02),
  /** chance that a run throttles */
  throttleChance: z.number().min(0).max(1).default(0.05),
  /** device ids taken offline (as if unplugged) */
  offline: z.array(z.string()).default([]),
  /** chance per night that a simulated device is offline */
  offlineChance: z.number().min(0).max(1).default(0),
});

/** Phones of one kind (one device class) on any hosts: each of the pool's cells runs on whichever of them is free. */
const poolSchema = z.strictObject({
  name,
  /** ids or tags of devices.yaml, as `devices` */
  devices: z.array(z.string().min(1)).min(1),
});

const fileSchema = z.strictObject({
  version: z.literal(1),
  models: z.array(modelSchema).min(1),
  precisions: z.array(z.enum(PRECISIONS)).min(1).default(['fp32']),
  devices: z.array(z.string().min(1)).optional(),
  pools: z.array(poolSchema).default([]),
  runs: z.number().int().min(1).default(5),
  iterations: z.number().int().min(1).default(50),
  warmupRuns: z.number().int().min(0).default(5),
  budgets: z.string().min(1).optional(),
  /** samples validated per model and precision */
  validateSamples: z.number().int().positive().default(4),
  /** where the variants are built: the nightly's host, or the lab's build workers (PostgreSQL only) */
  build: z.enum(BUILD_PLACES).default('host'),
  policy: policySchema.default(policySchema.parse({})),
  simulation: simulationSchema.default(simulationSchema.parse({})),
});

export type RegressionPolicy = z.infer<typeof policySchema>;
export type SimulationSettings = z.infer<typeof simulationSchema>;
export const DEFAULT_POLICY: RegressionPolicy = policySchema.parse({});

export interface LabModel {
  name: string;
  /** absolute path */
  path: string;
  task: LabTask;
  data: string;
  calib: string;
  inputShapes?: Record<string, number[]>;
}

export interface LabPool {
  name: string;
  /** ids or tags of devices.yaml */
  devices: string[];
}

export interface LabConfig {
  file: string;
  models: LabModel[];
  precisions: Precision[];
  /** ids or tags of devices.yaml: each device its own cells */
  devices: string[];
  /** cells shared by the phones of a pool (the device column holds the pool's name) */
  pools: LabPool[];
  runs: number;
  iterations: number;
  warmupRuns: number;
  budgets?: string;
  validateSamples: number;
  /** where the variants are built (lab.yaml \`build\`, default host) */
  build: BuildPlace;
  policy: RegressionPolicy;
  simulation: SimulationSettings;
}

/** Parse lab.yaml text; `file` names it in errors and anchors relative paths. */
export function parseLabConfig(text: string, file: string): LabConfig {
  const { doc, lc } = parseYamlWithLines(text, file, 'lab-config-invalid', { file });
  const parsed = fileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((i) => {
      const path = i.code === 'unrecognized_keys' ? [...i.path, i.keys[0]!] : i.path;
      const line = yamlLineAt(doc.contents, lc, path).line ?? 1;
      return `${file}:${line}: ${path.map(String).join('.') || '(top level)'}: ${i.code === 'unrecognized_keys' ? 'unknown field' : i.message}`;
    });
    throw inputError('lab-config-invalid', msgs[0]!, { file, hint: msgs.length > 1 ? msgs.slice(1).join('\n  ') : 'see docs/devicelab.md for the lab.yaml format' });
  }
  const d = parsed.data;
  const base = dirname(resolve(file));
  const at = (p: string) => resolve(base, p);
  const seen = new Set<string>();
  d.models.forEach((m, i) => {
    if (seen.has(m.name)) throw inputError('lab-config-invalid', `${file}:${yamlLineAt(doc.contents, lc, ['models', i, 'name']).line ?? 1}: models.${i}.name: duplicate model name '${m.name}'`, { file });
    seen.add(m.name);
  });
  const lineOf = (path: Array<string | number>) => yamlLineAt(doc.contents, lc, path).line ?? 1;
  const pools = new Set<string>();
  d.pools.forEach((p, i) => {
    if (pools.has(p.name)) throw inputError('lab-config-invalid', `${file}:${lineOf(['pools', i, 'name'])}: pools.${i}.name: duplicate pool name '${p.name}'`, { file });
    pools.add(p.name);
  });
  const devices = d.devices ?? (d.pools.length ? [] : ['kirin9000']);
  if (!devices.length && !d.pools.length) throw inputError('lab-config-invalid', `${file}:${lineOf(['devices'])}: devices: name at least one device (or a pool)`, { file });
  return {
    file,
    models: d.models.map((m) => {
      const data = m.data ? at(m.data) : BUNDLED_SAMPLES[m.task];
      return { name: m.name, path: at(m.path), task: m.task, data, calib: m.calib ? at(m.calib) : data, ...(m.inputShapes ? { inputShapes: m.inputShapes } : {}) };
    }),
    precisions: [...new Set(d.precisions)],
    devices: [...new Set(devices)],
    pools: d.pools.map((p) => ({ name: p.name, devices: [...new Set(p.devices)] })),
    runs: d.runs,
    iterations: d.iterations,
    warmupRuns: d.warmupRuns,
    ...(d.budgets ? { budgets: at(d.budgets) } : {}),
    validateSamples: d.validateSamples,
    build: d.build,
    policy: d.policy,
    simulation: d.simulation,
  };
}

export async function loadLabConfig(path: string): Promise<LabConfig> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw inputError('file-not-found', code === 'ENOENT' ? `lab file not found: ${path}` : `cannot read the lab file ${path}: ${(e as Error).message}`, { file: path });
  }
  return parseLabConfig(text, path);
}
