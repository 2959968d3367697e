import { ensureDist } from '../../scripts/dist.js';

/** vitest globalSetup: once per run, before any test file. */
export default function setup(): void {
  ensureDist();
}
