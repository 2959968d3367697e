/**
 * Test helper: build ONNX models in TypeScript (onnx-proto) and seeded data.
 * The implementation lives in src/samples (the sample models use it too);
 * this file is the stable entry point for tests.
 *
 *   const bytes = buildOnnxModel({
 *     opset: 13,
 *     inputs: [{ name: 'x', shape: [1, 3, 8, 8] }],
 *     outputs: [{ name: 'y', shape: [1, 4, 8, 8] }],
 *     initializers: [{ name: 'w', shape: [4, 3, 3, 3], data: normalFloat32(108, 1) }],
 *     nodes: [{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attrs: { pads: [1, 1, 1, 1], strides: [1, 1] } }],
 *   });
 */
export {
  attr,
  buildOnnxModel,
  buildOnnxModelFiles,
  tensorProto,
  OnnxGraphBuilder,
  ONNX_DTYPE_CODE,
  type AttrValue,
  type OnnxDType,
  type OnnxModelSpec,
  type OnnxNodeSpec,
  type OnnxTensorSpec,
  type OnnxValueSpec,
  type TensorData,
} from '../../src/samples/onnx-model.js';
export { seededRandom, seededNormal, uniformFloat32, normalFloat32 } from '../../src/core/random.js';
