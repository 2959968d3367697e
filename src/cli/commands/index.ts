import type { Command } from 'commander';
import type { Output } from '../output.js';
import { registerConvert } from './convert.js';
import { registerInspect } from './inspect.js';
import { registerMetrics } from './metrics.js';
import { registerValidate } from './validate.js';
import { registerDeploy } from './deploy.js';
import { registerDevices } from './devices.js';
import { registerSim } from './sim.js';
import { registerQuantize } from './quantize.js';
import { registerLab } from './lab.js';

/** One line per command: each file under ./ exports a register function. */
export const COMMANDS: Array<(program: Command, output: Output) => void> = [
  registerConvert,
  registerInspect,
  registerValidate,
  registerMetrics,
  registerDeploy,
  registerDevices,
  registerSim,
  registerQuantize,
  registerLab,
];
