#!/usr/bin/env node
import { flushProcessOutput } from './output.js';
import { runCli } from './run.js';

// The CLI's single exit point: runCli maps every error to an exit code.
const code = await runCli(process.argv.slice(2));
await flushProcessOutput();
process.exit(code);
