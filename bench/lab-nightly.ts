/**
 * A nightly of 10 models × 3 precisions (fp32, fp16, int8 calibrated) × 1 simulated Kirin 9000,
 * 5 runs per cell (target: under 10 minutes on 2 cores). Night 1 builds everything (convert,
 * quantize, validate); night 2 finds the builds cached and only benchmarks. Printed as time per
 * cell, and as a ratio against a baseline measured in the same run: plain `deployOne` of the same
 * .tflite files, 5 runs each, i.e. what the benchmark part would cost without the nightly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, deployOne } from '../src/devicelab/deploy/deploy.js';
import { openLab } from '../src/devicelab/deploy/lab.js';
import { loadLabConfig } from '../src/devicelab/lab/config.js';
import { runNightly } from '../src/devicelab/lab/run.js';
import { buildEncoderDecoderOnnx } from '../src/samples/encoder-decoder.js';

const MODELS = Number(process.env.MAI_BENCH_LAB_MODELS ?? 10);
const PRECISIONS = ['fp32', 'fp16', 'int8'];
const RUNS = 5;

export async function runLabNightlyBench() {
  const dir = mkdtempSync(join(tmpdir(), 'mai-bench-lab-'));
  try {
    const lines = ['version: 1', 'models:'];
    for (let i = 0; i < MODELS; i++) {
      // the demo's matting encoder–decoder at 128 px, widths 8…17: ten different models
      writeFileSync(join(dir, `m${i}.onnx`), buildEncoderDecoderOnnx({ size: 128, width: 8 + i, seed: 1 + i }));
      lines.push(`  - { name: m${i}, path: m${i}.onnx, task: matting }`);
    }
    lines.push(`precisions: [${PRECISIONS.join(', ')}]`, `runs: ${RUNS}`, 'validateSamples: 2');
    writeFileSync(join(dir, 'lab.yaml'), lines.join('\n') + '\n');
    writeFileSync(join(dir, 'devices.yaml'), 'version: 1\ndevices:\n  - { id: sim, tags: [kirin9000], serial: sim-kirin9000-1, adb: embedded, soc: kirin9000 }\n');
    const config = await loadLabConfig(join(dir, 'lab.yaml'));
    const cells = MODELS * PRECISIONS.length;
    const night = async (n: string) => {
      const t = performance.now();
      let last = 0;
      const onProgress = (p: { done: number; total: number; label: string }) => {
        if (Date.now() - last < 10_000 && p.done < p.total) return;
        last = Date.now();
        process.stderr.write(`  ${n}: ${p.done}/${p.total} ${p.label} (${((performance.now() - t) / 1000).toFixed(0)} s)\n`);
      };
      const r = await runNightly({ onProgress, config, night: n, outDir: join(dir, 'out', n), db: join(dir, 'r.db'), devicesFile: join(dir, 'devices.yaml'), devicesFileExplicit: true });
      return { ms: performance.now() - t, r };
    };
    const cold = await night('2026-12-01');
    const warm = await night('2026-12-02');
    // baseline: the same variants deployed plainly, 5 runs each, on the same simulator
    const lab = await openLab('kirin9000', { devicesFile: join(dir, 'devices.yaml'), devicesFileExplicit: true });
    const t = performance.now();
    try {
      for (const v of cold.r.variants) {
        const info = await loadModel(v.path!, v.precision);
        for (let k = 0; k < RUNS; k++) await deployOne(lab.clientFor(lab.entries[0]!), lab.entries[0]!, info, { runs: 50, warmupRuns: 5, keep: true });
      }
    } finally {
      await lab.close();
    }
    const baselineMs = performance.now() - t;
    const result = {
      name: 'lab-nightly-10x3x1',
      cells,
      runsPerCell: RUNS,
      coldNightSec: +(cold.ms / 1000).toFixed(1),
      coldPerCellSec: +(cold.ms / cells / 1000).toFixed(2),
      warmNightSec: +(warm.ms / 1000).toFixed(1),
      warmPerCellSec: +(warm.ms / cells / 1000).toFixed(2),
      baselineDeployPerCellSec: +(baselineMs / cells / 1000).toFixed(2),
      warmVsBaseline: +(warm.ms / baselineMs).toFixed(2),
      target: 'cold night < 600 s on 2 cores',
      verdicts: Object.fromEntries([...new Set(cold.r.cells.map((c) => c.verdict))].map((v) => [v, cold.r.cells.filter((c) => c.verdict === v).length])),
    };
    process.stderr.write(
      `lab nightly ${MODELS}×${PRECISIONS.length}×1, ${RUNS} runs/cell: cold ${result.coldNightSec} s (${result.coldPerCellSec} s/cell), ` +
        `warm ${result.warmNightSec} s (${result.warmPerCellSec} s/cell); plain deploy ${result.baselineDeployPerCellSec} s/cell → warm ×${result.warmVsBaseline}\n`,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('lab-nightly.ts')) console.log(JSON.stringify(await runLabNightlyBench(), null, 2));
