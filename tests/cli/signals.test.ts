/**
 * SIGINT / SIGTERM stop the compiled CLI promptly with exit 130 / 143 and leave nothing behind:
 * a large conversion interrupted at its output check, in the middle of converting and while the
 * output is written leaves no output and no temp file, and the process is gone. Points are found
 * by watching the output folder: the first `.large.tflite.*.tmp` is the writability probe, the
 * second the output being written; "converting" is halfway between them in an uninterrupted run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLargeOnnx } from '../../src/samples/large-model.js';
import { DIST_MAIN } from '../../scripts/dist.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-signals-'));
const model = join(dir, 'large.onnx');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** ms from spawn to each new temp file in the output folder */
  temps: number[];
  /** ms from the signal to the exit */
  stopMs?: number;
  left: string[];
  pid: number;
}

/** Converts `model` into a fresh folder; `when` decides, on each new temp file, when to send `signal`. */
function convert(signal?: NodeJS.Signals, when?: { tempIndex: number; delayMs: number }): Promise<Run> {
  const out = mkdtempSync(join(dir, 'out-'));
  const started = performance.now();
  const temps: number[] = [];
  const seen = new Set<string>();
  let signalledAt: number | undefined;
  const child = spawn(process.execPath, [DIST_MAIN, 'convert', model, '-o', join(out, 'large.tflite'), '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const watcher = watch(out, (_event, name) => {
    if (!name || !/^\.large\.tflite\.[0-9a-f]+\.tmp$/.test(name) || seen.has(name)) return;
    seen.add(name);
    temps.push(performance.now() - started);
    if (signal && when && seen.size === when.tempIndex + 1) {
      const send = () => ((signalledAt = performance.now()), child.kill(signal));
      if (when.delayMs > 0) setTimeout(send, when.delayMs);
      else send();
    }
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, sig) => {
      watcher.close();
      if (code !== 0 && code !== 130 && code !== 143) return reject(new Error(`convert exited ${code ?? sig}: ${stderr}`));
      resolve({ code, signal: sig, temps, stopMs: signalledAt === undefined ? undefined : performance.now() - signalledAt, left: readdirSync(out), pid: child.pid! });
    });
  });
}

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

let convertingDelay = 0;
beforeAll(async () => {
  writeFileSync(model, buildLargeOnnx({ weightsMB: 64 }));
  const base = await convert();
  expect(base.left).toEqual(['large.tflite']);
  expect(base.temps).toHaveLength(2); // the probe, then the output
  convertingDelay = Math.max(1, (base.temps[1]! - base.temps[0]!) / 2);
}, 120_000);

describe('signals during a large conversion', () => {
  const points = [
    ['the output check', 0, () => 0],
    ['converting', 0, () => convertingDelay],
    ['writing the output', 1, () => 0],
  ] as const;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    for (const [point, tempIndex, delay] of points) {
      it(`${signal} while ${point}: exit ${code}, no output, no temp file, process gone`, async () => {
        // On a loaded machine the signal can land after the conversion already finished (exit 0,
        // a complete output): that run says nothing about interruption, so it is tried again.
        let r = await convert(signal, { tempIndex, delayMs: delay() });
        for (let retry = 0; retry < 3 && r.code === 0; retry++) r = await convert(signal, { tempIndex, delayMs: delay() });
        expect({ code: r.code, signal: r.signal }).toEqual({ code, signal: null });
        expect(r.left).toEqual([]);
        expect(gone(r.pid)).toBe(true);
        expect(r.stopMs!).toBeLessThan(3000);
      }, 60_000);
    }
  }
});
