/**
 * Calibration with every other sample run and observed in the calibration worker gives exactly
 * the statistics of a calibration all in this thread (several exposure groups, MSE observer; two calibrations
 * sharing the worker at once); a worker that dies mid-calibration (or as its statistics are asked for) is a typed error, never a hang, and
 * the next calibration gets a new worker; a sample LiteRT refuses is the same typed error in the worker
 * as in this thread. Run through
 * tsx in a child process, as the CLI runs, since the worker loads TypeScript.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('calibration in a worker thread', () => {
  it('starts under tsx and matches in-thread observation exactly', () => {
    const tsx = createRequire(import.meta.url).resolve('tsx/cli');
    const out = execFileSync(process.execPath, [tsx, join(import.meta.dirname, 'calib-lanes-child.ts')], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { badInWorker: string; badInThread: string; workerStarted: boolean; tensors: number; identical: boolean; concurrentIdentical: boolean; stoppedCode?: string; lastStop: string; restartedIdentical: boolean };
    expect(r.workerStarted).toBe(true);
    expect(r.tensors).toBeGreaterThan(20);
    expect(r.identical).toBe(true);
    expect(r.concurrentIdentical).toBe(true);
    expect(r.stoppedCode).toBe('internal');
    expect(['resolved', 'internal']).toContain(r.lastStop);
    expect(r.restartedIdentical).toBe(true);
    expect(r.badInThread).toMatch(/^litert-failed \(exit 2\)$/);
    expect(r.badInWorker).toBe(r.badInThread);
  }, 120_000);
});
