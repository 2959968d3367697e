import { Command } from 'commander';
import { COMMANDS } from './commands/index.js';
import { processOutput, type Output } from './output.js';

export interface ProgramOptions {
  output?: Output;
  /** throw instead of exiting on commander usage errors (tests) */
  exitOverride?: boolean;
}

/** A fresh CLI program (one per test run). Commands register from ./commands/index.ts. */
export function createProgram(opts: ProgramOptions = {}): Command {
  const output = opts.output ?? processOutput;
  const program = new Command('mai')
    .description('ONNX / TF graphs → TFLite for the Kirin 9000 GPU delegate: convert, quantize, validate, deploy')
    .version('0.1.0')
    .showHelpAfterError();
  program.configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) });
  program.exitOverride();
  for (const register of COMMANDS) register(program, output);
  return program;
}
