/**
 * Where commands print. Human text goes to `out`, diagnostics to `err`; with
 * --json a command prints exactly one JSON document on `out` and nothing else.
 */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** true when stdout is an interactive terminal (progress bars allowed) */
  isTTY: boolean;
}

export const processOutput: Output = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  get isTTY() {
    return Boolean(process.stderr.isTTY);
  },
};

/**
 * Resolves once everything written to stdout and stderr has been handed to the OS. `process.exit`
 * right after a large write to a pipe would cut it off (Node writes pipes asynchronously): a
 * `--json` document over 64 KiB arrived truncated.
 */
export async function flushProcessOutput(): Promise<void> {
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((resolve) => s.write('', () => resolve()))));
}

export function printJson(o: Output, value: unknown): void {
  o.out(JSON.stringify(value, null, 2));
}

export { table } from '../core/text-table.js';
