#!/usr/bin/env node
import { installSignalHandlers } from '../core/shutdown.js';
import { flushProcessOutput } from './output.js';
import { runCli } from './run.js';

// SIGINT / SIGTERM: hooks run, temporary files go, exit 130 / 143 (src/core/shutdown.ts).
installSignalHandlers();
// The CLI's single exit point: runCli maps every error to an exit code.
const code = await runCli(process.argv.slice(2));
await flushProcessOutput();
process.exit(code);
