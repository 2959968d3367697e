/** Post-training quantization core: observers, calibration, int8 / fp16 / dynamic-range quantizers. */
export * from './observers/index.js';
export { exposeTensors } from './expose.js';
export { calibrate, activationTensors, isConstantDequantize, type TensorStats, type CalibrationStats, type CalibrateOptions } from './calibrate.js';
export { int8Params, symmetricScale } from './int8-params.js';
export type { QuantizedTensorInfo, IoType, Int8Options, KeptFloat, Int8Result } from './types.js';
export { quantizeInt8 } from './int8.js';
export { INT8_RULES, type Int8Rule, type FixedParams } from './int8-rules.js';
export { foldConstantDequantize, realValues } from './fold-dequantize.js';
export { quantizeWeightSymmetric, quantizeBias, quantizePerTensor } from './quantize-data.js';
export { quantizeFp16, toHalf } from './fp16.js';
export { quantizeDynamicRange, HYBRID_WEIGHTS, type DynamicRangeOptions } from './dynamic-range.js';
