/**
 * Start-up of the compiled CLI: `mai --version` (dist/cli/main.js, as `npx mai` runs it) against a
 * bare `node -e ""`, interleaved, median of 15 each. Aim: ≤ 3× bare Node and ≤ 0.2 s.
 */
import { DIST_MAIN, ensureDist } from '../scripts/dist.js';
import { median, runNode } from './process.js';

export function runCliStartBench(repeats = 15) {
  ensureDist();
  runNode(['-e', '']); // warm the file cache for both
  runNode([DIST_MAIN, '--version']);
  const bare: number[] = [];
  const cli: number[] = [];
  for (let i = 0; i < repeats; i++) {
    bare.push(runNode(['-e', '']).ms);
    cli.push(runNode([DIST_MAIN, '--version']).ms);
  }
  const result = {
    name: 'cli-start',
    bareNodeMs: +median(bare).toFixed(1),
    maiVersionMs: +median(cli).toFixed(1),
    ratio: +(median(cli) / median(bare)).toFixed(2),
    aim: { ratio: 3, maiVersionMs: 200 },
  };
  process.stderr.write(`mai --version ${result.maiVersionMs} ms vs node -e "" ${result.bareNodeMs} ms → ×${result.ratio} (aim ≤ 3 and ≤ 200 ms)\n`);
  return result;
}
