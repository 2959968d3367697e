import { CommanderError } from 'commander';
import { isMaiError } from '../core/errors.js';
import { createProgram } from './program.js';
import { processOutput, type Output } from './output.js';

/**
 * The one top-level handler: runs the CLI and maps every error to a message and
 * an exit code (1 verdict, 2 bad input, 3 device/environment). Returns the code.
 */
export async function runCli(argv: string[], output: Output = processOutput): Promise<number> {
  const json = argv.includes('--json');
  const program = createProgram({ output });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      // usage error: commander already printed it on stderr; --json still gets one document
      if (json) output.out(JSON.stringify({ error: 'usage', message: e.message.replace(/^error: /, '') }, null, 2));
      return 2;
    }
    if (isMaiError(e)) {
      if (json) {
        if (!e.reported) output.out(JSON.stringify(e.toJSON(), null, 2));
      } else {
        output.err(`mai: error: ${e.message}`);
        for (const d of e.diagnostics) output.err(`  ${d.node ? `${d.node}` : '-'}${d.opType ? ` (${d.opType})` : ''}: ${d.reason}: ${d.message}`);
        if (e.hint) output.err(`  hint: ${e.hint}`);
      }
      return e.exit;
    }
    const err = e as Error;
    if (json) output.out(JSON.stringify({ error: 'internal', message: err.message }, null, 2));
    else output.err(`mai: internal error: ${err?.message ?? String(e)}${process.env.MAI_DEBUG ? `\n${err?.stack}` : '\n  (set MAI_DEBUG=1 for the stack; please report this)'}`);
    return 3;
  }
}
