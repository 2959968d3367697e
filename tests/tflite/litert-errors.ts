/**
 * LiteRT.js reports some failures (a kernel refusing a node in Prepare, an
 * XNNPACK setup error) only as "ERROR: …" log lines, and `run()` still returns
 * tensors. Tests capture those lines so such a run fails loudly.
 */
import { liteRt } from '../../src/runtime/litert.js';

const LEVELS = ['log', 'error', 'warn', 'info'] as const;

/** Runs `fn` and returns its result plus every "ERROR:" line LiteRT logged meanwhile. */
export async function captureLiteRtErrors<T>(fn: () => Promise<T>): Promise<{ result: T; errors: string[] }> {
  await liteRt(); // installs the runtime's own console filter first, so ours wraps it
  const errors: string[] = [];
  const saved = LEVELS.map((l) => console[l]);
  LEVELS.forEach((l, i) => {
    console[l] = (...args: unknown[]) => {
      const text = args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
      if (/^\s*ERROR\b/.test(text) || /\bERROR: /.test(text)) errors.push(text.trim());
      saved[i]!.apply(console, args);
    };
  });
  try {
    const result = await fn();
    return { result, errors };
  } finally {
    LEVELS.forEach((l, i) => (console[l] = saved[i]!));
  }
}
