/**
 * What the simulated device's shell ran, in order: one entry per simple command
 * with its argv after expansion, and one per line the shell refused. Tests read
 * it to see exactly which commands a deploy made the phone run; an unknown
 * command or a syntax error is an entry with `error`, so an injection shows up.
 */

export interface CommandLogEntry {
  /** The command line the `shell:` / `exec:` service received. */
  line: string;
  /** One simple command's words after expansion (absent when the line did not parse). */
  argv?: string[];
  exitCode: number;
  /** Unknown command, not executable, syntax error, unsupported construct. */
  error?: string;
}

export class CommandLog {
  readonly entries: CommandLogEntry[] = [];

  record(e: CommandLogEntry): void {
    this.entries.push(e);
  }

  /** The argv of every command run, in order. */
  argvs(): string[][] {
    return this.entries.filter((e) => e.argv).map((e) => e.argv!);
  }

  errors(): CommandLogEntry[] {
    return this.entries.filter((e) => e.error !== undefined);
  }

  clear(): void {
    this.entries.length = 0;
  }
}
