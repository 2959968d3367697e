import { runCli } from '../../src/cli/run.js';
import type { Output } from '../../src/cli/output.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output (the same handler `mai` uses). */
export async function mai(...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const output: Output = {
    out: (t) => void (stdout += t.endsWith('\n') ? t : t + '\n'),
    err: (t) => void (stderr += t.endsWith('\n') ? t : t + '\n'),
    isTTY: false,
  };
  const code = await runCli(argv, output);
  return { code, stdout, stderr };
}
