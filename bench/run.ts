/**
 * `npm run bench`: performance as ratios against baselines measured in the same run
 * (these machines are noisy; absolute times mean little).
 */
import { runCliStartBench } from './cli-start.js';
import { runConvertBench } from './convert-large.js';
import { runManyNodesBench } from './convert-many-nodes.js';
import { runQuantizeCalibrationBench } from './quantize-calibration.js';
import { runLabNightlyBench } from './lab-nightly.js';
import { runTfConvertBench } from './convert-tf.js';
import { runLabMultihostBench } from './lab-multihost.js';
import { runQuantizeLargeBench } from './quantize-large.js';
import { runLabRemoteBuildBench } from './lab-remote-build.js';

const results = [runCliStartBench(), runConvertBench(), runManyNodesBench(), runTfConvertBench(), await runQuantizeCalibrationBench(), await runQuantizeLargeBench(), await runLabNightlyBench(), await runLabMultihostBench(), await runLabRemoteBuildBench()];
console.log(JSON.stringify({ bench: results }, null, 2));
