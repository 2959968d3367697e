/**
 * `npm run bench`: performance as ratios against baselines measured in the same run
 * (these machines are noisy; absolute times mean little).
 */
import { runConvertBench } from './convert-large.js';
import { runManyNodesBench } from './convert-many-nodes.js';
import { runQuantizeCalibrationBench } from './quantize-calibration.js';
import { runQuantizeLargeBench } from './quantize-large.js';

const results = [await runConvertBench(), runManyNodesBench(), await runQuantizeCalibrationBench(), await runQuantizeLargeBench()];
console.log(JSON.stringify({ bench: results }, null, 2));
