export { parseNpy, type NpyArray } from './npy.js';
export { DEFAULT_PREPROCESS, loadPreprocessFile, parsePreprocessYaml, preprocessFromFlags, type Preprocess, type PreprocessFlags, type ResizePolicy } from './preprocess-config.js';
export { decodeForModel, imageFileToInput, imageSpecFor, imageToInput } from './image-tensor.js';
export { openCalibSource, splitSamples, DEFAULT_CALIB_SAMPLES, DEFAULT_MAX_EVAL, type CalibSample, type CalibSource, type CalibSourceKind, type ModelInput, type SplitOptions } from './source.js';
