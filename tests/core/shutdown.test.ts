import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { installSignalHandlers, onShutdown } from '../../src/core/shutdown.js';
import { trackTemp, trackedTemp } from '../../src/core/temp-files.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-shutdown-'));
let handlers: { remove(): void } | undefined;
afterEach(() => handlers?.remove());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Installs the handlers with a recording exit; resolves with the first exit code. */
function install(graceMs = 1000) {
  const codes: number[] = [];
  let resolveExit!: (c: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  handlers = installSignalHandlers({ graceMs, exit: (c) => (codes.push(c), resolveExit(c)) });
  return { codes, exited };
}

describe('signal handlers', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: runs the hooks, removes temp files, exits %i', async (signal, code) => {
    const { exited } = install();
    const tmp = trackTemp(join(dir, `${signal}.tmp`));
    writeFileSync(tmp, 'partial');
    const order: string[] = [];
    const off = onShutdown(async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push(`hook saw temp ${existsSync(tmp)}`);
    });
    process.emit(signal);
    expect(await exited).toBe(code);
    off();
    expect(order).toEqual(['hook saw temp true']);
    expect(existsSync(tmp)).toBe(false);
    expect(trackedTemp()).not.toContain(tmp);
  });

  it('a hook that hangs delays the exit by the grace time only; a second signal exits at once', async () => {
    const { codes, exited } = install(150);
    const off = onShutdown(() => new Promise(() => {}));
    const t = performance.now();
    process.emit('SIGTERM');
    expect(await exited).toBe(143);
    const waited = performance.now() - t;
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(1000);
    handlers!.remove();

    const second = install(60_000);
    process.emit('SIGINT');
    process.emit('SIGINT');
    expect(await second.exited).toBe(130);
    expect(second.codes).toEqual([130]);
    expect(codes).toEqual([143]);
    off();
  });

  it('an unregistered hook does not run', async () => {
    const { exited } = install();
    let ran = false;
    onShutdown(() => void (ran = true))();
    process.emit('SIGTERM');
    await exited;
    expect(ran).toBe(false);
  });
});
