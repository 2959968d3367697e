#!/usr/bin/env node
import { installSignalHandlers } from '../core/shutdown.js';
import { flushProcessOutput } from './output.js';
import { runCli } from './run.js';

// SIGINT / SIGTERM: hooks run, temporary files go, exit 130 / 143 (src/core/shutdown.ts).
installSignalHandlers();
// A reader that went away (`mai inspect m.tflite --json | head`) is no error of the command: the
// rest of its output is dropped, and it still finishes its work and exits with its own code.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}
// The CLI's single exit point: runCli maps every error to an exit code.
const code = await runCli(process.argv.slice(2));
await flushProcessOutput();
process.exit(code);
