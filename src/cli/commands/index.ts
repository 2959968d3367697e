import type { Command } from 'commander';
import type { Output } from '../output.js';

/** One line per command: each file under ./ exports a register function. */
export const COMMANDS: Array<(program: Command, output: Output) => void> = [];
