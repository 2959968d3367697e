/**
 * The catalogue of stable error codes: the `error` field of `--json` output and
 * the `reason` of per-node diagnostics. One meaning each, one line each; adding
 * a code is adding a line. The exit code comes from how the error is raised
 * (inputError 2, environmentError 3, verdictError 1; src/core/errors.ts).
 */
export const ERROR_CODES = {
  // command line and configuration files
  'usage': 'the command line does not parse (unknown option, missing argument)',
  'bad-option': 'a command-line or configuration option has a malformed value; the message names the option',
  'budgets-yaml': 'the budgets file is not valid YAML',
  'budgets-invalid': 'the budgets file breaks the budgets schema',
  'no-budget-match': 'the budgets file has budgets but none for the model validated (a CI must not pass on no verdicts)',
  'devices-yaml': 'devices.yaml is not valid YAML',
  'devices-invalid': 'devices.yaml breaks its schema',
  'preprocess-invalid': 'the preprocessing file is malformed or does not fit the model input',
  'preprocess-crop': 'a preprocessing crop does not fit inside the image',
  'unknown-target': 'no GPU target has this id',
  'unknown-device': 'no device in devices.yaml has this id or tag',
  'unknown-profile': 'no simulated device profile has this name (mai sim --profile)',
  'unknown-input': '--input-shape names an input the model does not have',

  // files
  'file-not-found': 'an input file does not exist',
  'file-unreadable': 'an input file exists but cannot be read',
  'file-is-directory': 'an input path is a folder where a file is expected',
  'empty-file': 'an input file is empty',
  'output-dir-missing': "the output file's folder does not exist",
  'output-is-directory': 'the output path is a folder',
  'output-overwrites-input': 'the output path is the input model itself',
  'write-failed': 'writing an accepted output path failed part-way (disk full, I/O error)',
  'output-unwritable': 'an output folder or file cannot be created or written (permissions, read-only mount)',
  'output-outside-folder': 'an output named after a sample or model would land outside --out',

  // models
  'unknown-format': 'the file is not a model format mai recognises',
  'unsupported-format': 'the model format is recognised but not supported',
  'already-tflite': 'mai convert was given a TFLite model',
  'onnx-decode-failed': 'the ONNX protobuf cannot be decoded',
  'onnx-graph-cycle': 'the ONNX graph has a cycle: no node order computes it',
  'onnx-no-opset': 'the ONNX model declares no opset for the default domain',
  'external-data-missing': "an ONNX tensor's external data file is missing or short",
  'tf-decode-failed': 'a TF graph (model.json, GraphDef, SavedModel) cannot be decoded',
  'tf-weights-missing': "a TensorFlow.js model's weight shard is missing",
  'tf-weights-short': "a TensorFlow.js model's weight shards hold fewer bytes than its manifest",
  'tf-variables-missing': "a SavedModel's variables/ (index or shard) is missing or lacks a variable",
  'tf-bundle-corrupt': "a SavedModel's variables tensor bundle is malformed",
  'tf-graph-loop': 'a TF graph holds a data-dependent loop (a cycle), which TFLite cannot run here',
  'unknown-signature': 'no SavedModel signature has this name',
  'unknown-output': '--outputs names a tensor the model does not have',
  'tflite-decode-failed': 'the TFLite flatbuffer cannot be decoded',
  'invalid-model': 'the model is internally inconsistent (dangling names, wrong constant sizes)',
  'unsupported-model': 'some nodes cannot be converted; the diagnostics list each one',
  'unsupported-op': 'an op has no conversion',
  'unsupported-attribute': "an op's attribute value has no conversion",
  'requires-constant-input': 'an op input must be a constant but is computed at run time',
  'unsupported-dtype': 'a tensor element type has no conversion',
  'unsupported-shape': 'a tensor shape has no conversion',
  'shape-mismatch': 'two shapes that must agree do not',
  'dynamic-shape': 'a shape is not static and no --input-shape fixes it',
  'gpu-rank-above-4': 'a tensor has more than 4 dimensions, which the GPU delegate refuses',
  'model-too-large': 'the model does not fit in one TFLite flatbuffer (2 GiB)',
  'not-a-float-model': 'mai quantize was given a model that is not float',
  'unsupported-input': 'a model input cannot be fed from the given data (e.g. its channel count)',
  'unsupported-output': 'a model output cannot be read as an image',
  'missing-input': 'no value was given for a model input',
  'no-output': 'a model returned no output',

  // runtimes
  'onnx-load-failed': 'onnxruntime refused the ONNX model',
  'onnxruntime-missing': 'onnxruntime-node cannot be loaded',
  'tfjs-unavailable': 'TensorFlow.js (tfjs-converter / tfjs-backend-cpu) cannot be loaded',
  'tfjs-run-failed': 'TensorFlow.js cannot run the source graph (the reference for --check)',
  'tfjs-unsupported-input': 'a TF graph input has a type TensorFlow.js cannot be fed',
  'tflite-load-failed': 'LiteRT refused the TFLite model',
  'litert-load-failed': 'the LiteRT.js runtime cannot be loaded',
  'litert-failed': 'LiteRT failed while running the model',
  'litert-out-of-memory': "the model's tensors (with those of the other models loaded) do not fit LiteRT.js's 2 GiB WebAssembly heap",

  // data
  'dataset-empty': 'the dataset folder holds no images',
  'dataset-ambiguous': 'two images in a dataset folder share a name',
  'dataset-missing-pair': 'an image has no ground truth (or input) partner',
  'dataset-task-mismatch': "the dataset's layout is for another task",
  'dataset-unreadable': 'the dataset folder cannot be listed',
  'dataset-unsupported': 'the dataset path is not an image or a known dataset layout',
  'image-unreadable': 'an image file cannot be decoded',
  'npy-invalid': 'a .npy file is malformed or of an unsupported dtype',
  'calib-required': 'int8 quantization needs calibration data (at least one sample)',
  'calib-multi-input': 'image calibration data cannot feed a model with several inputs',
  'calib-shape-mismatch': 'a calibration sample does not fit the model inputs (tensor count or shape)',
  'calib-too-few': 'the held-out evaluation samples leave no calibration samples',
  'task-budget-channels': "a model output's channels do not match the task's ground truth",
  'task-budget-no-ground-truth': 'a task-metric budget needs ground truth the data lacks',
  'task-budget-no-samples': 'a task-metric budget has no held-out samples to score',

  // verdicts
  'check-failed': 'the converted model differs from the source beyond tolerance',
  'gpu-fallback': 'ops run (or would run) on the CPU instead of the GPU delegate',
  'budget-failed': 'an accuracy or latency budget is not met',

  // devices and the lab
  'adb-unreachable': 'no adb server answers at the address',
  'adb-no-answer': 'the adb server accepted the connection but does not answer',
  'adb-failed': 'an adb command failed after its retries',
  'shell-nul': 'a device command argument holds a NUL byte, which no shell line can carry',
  'shell-line-too-long': 'a device command line is longer than adb can carry',
  'device-not-found': 'the device is not connected to the adb server',
  'device-not-ready': 'the device is connected but offline or unauthorized',
  'no-device-entry': 'an adb server runs but devices.yaml names no device for it',
  'benchmark-binary-missing': 'benchmark_model is not on the host where devices.yaml says',
  'benchmark-failed': 'benchmark_model failed on the device',
  'benchmark-no-runs': 'benchmark_model reported no timed runs',
  'deploy-failed': 'a deploy job failed without a more precise code',
  'no-runs': 'the deploy ran nothing',
  'db-unreachable': 'the results database (SQLite file or PostgreSQL server) cannot be opened, reached, or refused the connection',
  'db-required': 'the command needs a PostgreSQL results database (--db postgres://… or MAI_DB)',
  'artifact-mismatch': 'a build artefact fetched from the results database does not have the content hash it was stored under',
  'worker-no-devices': 'the worker was given no device it could own',
  'remote-build-data': 'a build on the lab workers names validation or calibration data other than the bundled samples',
  'lab-config-invalid': 'lab.yaml is not valid YAML or breaks its schema',
  'lab-failed': 'the nightly lab itself failed (no device, adb gone): cells were not run',
  'lab-verdict': 'a nightly cell failed a budget, changed delegation, errored or regressed',
  'no-history': 'the results database holds no nightly history for the model asked for',
  'port-in-use': 'the simulator port is taken',
  'listen-failed': 'the simulator cannot listen on its port',

  // bugs and the operating system
  'system-error': 'the operating system refused an operation (no space, permission denied…)',
  'internal': 'an invariant of mai itself failed: a bug to report',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(s: string): s is ErrorCode {
  return Object.hasOwn(ERROR_CODES, s);
}
