import { ensureDist } from './dist-cli.js';

/** vitest globalSetup: once per run, before any test file. */
export default function setup(): void {
  ensureDist();
}
