/**
 * `npm run bench`: performance as ratios against baselines measured in the same run
 * (these machines are noisy; absolute times mean little).
 */
import { runConvertBench } from './convert-large.js';
import { runManyNodesBench } from './convert-many-nodes.js';
import { runQuantizeCalibrationBench } from './quantize-calibration.js';
import { runTfConvertBench } from './convert-tf.js';

const results = [await runConvertBench(), runManyNodesBench(), await runQuantizeCalibrationBench(), runTfConvertBench()];
console.log(JSON.stringify({ bench: results }, null, 2));
