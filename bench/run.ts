/**
 * `npm run bench`: performance as ratios against baselines measured in the same run
 * (these machines are noisy; absolute times mean little).
 */
import { runConvertBench } from './convert-large.js';
import { runManyNodesBench } from './convert-many-nodes.js';
import { runQuantizeCalibrationBench } from './quantize-calibration.js';
import { runLabNightlyBench } from './lab-nightly.js';
import { runLabMultihostBench } from './lab-multihost.js';

const results = [await runConvertBench(), runManyNodesBench(), await runQuantizeCalibrationBench(), await runLabNightlyBench(), await runLabMultihostBench()];
console.log(JSON.stringify({ bench: results }, null, 2));
