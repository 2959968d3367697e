import { CommanderError } from 'commander';
import { INTERNAL_EXIT, InternalError, isMaiError, type ErrorCode } from '../core/errors.js';
import { createProgram } from './program.js';
import { processOutput, type Output } from './output.js';

const REPORT_LINE = 'this is a bug in mai: please report it with the command line (set MAI_DEBUG=1 for the stack)';

/** The one JSON error document for errors that carry no MaiError. */
const errorJson = (error: ErrorCode, message: string): string => JSON.stringify({ error, message }, null, 2);

/**
 * The one top-level handler: runs the CLI and maps every error to a message and
 * an exit code (1 verdict, 2 bad input, 3 device/environment, 70 internal error).
 * Returns the code.
 */
export async function runCli(argv: string[], output: Output = processOutput): Promise<number> {
  const json = argv.includes('--json');
  const program = createProgram({ output });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    return reportError(e, json, output);
  }
}

/** Prints one error as the CLI shows it (one JSON document with --json) and returns its exit code. */
export function reportError(e: unknown, json: boolean, output: Output): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
    // usage error: commander already printed it on stderr; --json still gets one document
    if (json) output.out(errorJson('usage', e.message.replace(/^error: /, '')));
    return 2;
  }
  if (isMaiError(e) && !(e instanceof InternalError)) {
    if (json) {
      if (!e.reported) output.out(JSON.stringify(e.toJSON(), null, 2));
    } else {
      output.err(`mai: error: ${e.message}`);
      for (const d of e.diagnostics) output.err(`  ${d.node ? `${d.node}` : '-'}${d.opType ? ` (${d.opType})` : ''}: ${d.reason}: ${d.message}`);
      if (e.hint) output.err(`  hint: ${e.hint}`);
    }
    return e.exit;
  }
  // an InternalError is a bug; so is any other untyped error but an operating-system failure (errno)
  const err = e as NodeJS.ErrnoException;
  const message = err?.message ?? String(e);
  if (!(e instanceof InternalError) && typeof err?.code === 'string' && /^E[A-Z]+$/.test(err.code)) {
    if (json) output.out(errorJson('system-error', message));
    else output.err(`mai: error: ${message}`);
    return 3;
  }
  if (json) output.out(errorJson('internal', message));
  else output.err(`mai: internal error: ${message}${process.env.MAI_DEBUG ? `\n${err?.stack}` : ''}\n  ${REPORT_LINE}`);
  return INTERNAL_EXIT;
}
