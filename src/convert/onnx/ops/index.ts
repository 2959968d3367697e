/**
 * The ONNX op table: one row per op and opset range. A new op is one file plus one row here.
 * `check` holds the op's shape-independent checks; it also runs for nodes downstream of a failure.
 */
import type { OpImporter } from './types.js';
import { checkBatchNorm, checkBatchNormTraining, importBatchNorm, importBatchNormTrainingMode } from './batchnorm.js';
import { binary, binaryLegacy, checkLegacyBroadcast } from './binary.js';
import { checkCast, importCast } from './cast.js';
import { checkClipInputs, clip, clipAttributeBounds, clipInputBounds } from './clip.js';
import { importConcat } from './concat.js';
import { importConstant } from './constant.js';
import { checkConv, importConv } from './conv.js';
import { importGemm } from './gemm.js';
import { checkDropoutTraining, importDropout, importIdentity } from './identity.js';
import { importMatMul } from './matmul.js';
import { lift1d } from '../lowering/lift-1d.js';
import { checkReshape, importFlatten, importReshape } from './reshape.js';
import { checkResize, resize, RESIZE_11, UPSAMPLE_7, UPSAMPLE_9 } from './resize.js';
import { importSoftmax, importSoftmaxFlattened } from './softmax.js';
import { importTranspose } from './transpose.js';
import { unary } from './unary.js';
import { checkGelu, checkPRelu, importElu, importGelu, importHardSigmoid, importHardSwish, importLeakyRelu, importPRelu, importPReluLegacy } from './activations.js';
import { checkErf, importErf } from './erf.js';
import { comparison, importNot, importWhere, logical } from './compare.js';
import { minMax } from './minmax.js';
import { checkMean, importMean, importSum } from './variadic.js';
import { checkPowLegacy, importPow, importReciprocal } from './pow.js';
import { reduce } from './reduce.js';
import { reduceComposite } from './reduce-composite.js';
import { fusedOnly } from '../patterns/index.js';
import { checkConvTranspose, importConvTranspose } from './conv-transpose.js';
import { checkSliceInputs, slice, sliceAttributes, sliceInputs } from './slice.js';
import { checkSplitInput, split, SPLIT_1, SPLIT_13, SPLIT_18 } from './split.js';
import { squeeze, unsqueeze } from './squeeze.js';
import { axesAttribute, axesInput, checkAxesInput, type AxesSource } from '../lowering/axes.js';
import { checkTileInput, importExpand, importTile } from './tile.js';
import { checkPad, checkPadInputs, pad, PAD_ATTRIBUTES, PAD_INPUTS } from './pad.js';
import { importShapeOf } from './fold-only.js';
import { checkConstantOfShape, importConstantOfShape } from './constant-of-shape.js';
import { importRange } from './range.js';
import { importCastLike } from './cast-like.js';
import { checkGather, importGather } from './gather.js';
import { checkQuantParams, importDequantizeLinear, importDynamicQuantizeLinear, importQuantizeLinear } from './quant.js';
import { checkIntegerOp, importConvInteger, importMatMulInteger } from './conv-matmul-integer.js';
import { checkDepthSpace, importDepthToSpace, importSpaceToDepth } from './depth-space.js';
import { checkPool, importGlobalAveragePool, importGlobalMaxPool, pool } from './pool.js';
import { checkNormalization, importInstanceNorm, importLayerNorm } from './normalization.js';

import { importMish, importSoftplus } from './softplus.js';
import { argExtreme, checkArgExtreme } from './arg-extreme.js';
import { importSoftsign } from './softsign.js';
import { groupNorm } from './group-norm.js';
import { checkLpNorm, importLpNorm } from './lp-norm.js';
import { checkLrn, importLrn } from './lrn.js';
import { checkTrilu, importTrilu } from './trilu.js';
import { checkIndices, importGatherNd } from './gather-nd.js';
import { importGatherElements } from './gather-elements.js';
import { checkScatterNd, importScatterNd } from './scatter-nd.js';
import { importScatterElements } from './scatter-elements.js';
import { importIsInf, importIsNaN } from './nan-inf.js';
import { refuseNonMaxSuppression } from './non-max-suppression.js';
import { importRmsNorm } from './rms-norm.js';
import { checkRotaryEmbedding, importRotaryEmbedding } from './rotary-embedding.js';
import { checkLogSoftmax, logSoftmax } from './log-softmax.js';
import { checkTopKInput, topK, TOPK_1, TOPK_10, TOPK_11 } from './topk.js';
import { importEinsum } from './einsum.js';
import { checkGridSample, gridSample } from './grid-sample.js';
import { checkCumSum, importCumSum } from './cumsum.js';
import { hardmax } from './hardmax.js';
import { checkOneHot, importOneHot } from './one-hot.js';
import { checkAffineGrid, importAffineGrid } from './affine-grid.js';
import { checkAttention, importAttention } from './attention.js';

export type { OpImporter } from './types.js';

/**
 * The two rows of an op whose `axes` moved from an attribute (opsets `attr`) to constant input 1
 * (opsets `input`): each row names its axes source and lowers with it.
 */
function axesRows(onnxOp: string, [attr, input]: [string, string], emits: OpImporter['emits'], lower: (axes: AxesSource) => OpImporter['import']): OpImporter[] {
  return [
    { onnxOp, opsets: attr, emits, axes: axesAttribute, import: lower(axesAttribute) },
    { onnxOp, opsets: input, emits, check: checkAxesInput, axes: axesInput, import: lower(axesInput) },
  ];
}

export const ONNX_OPS: readonly OpImporter[] = [
  { onnxOp: 'Conv', opsets: '1+', emits: ['CONV_2D', 'DEPTHWISE_CONV_2D', 'SPLIT', 'CONCATENATION', 'PAD', 'RESHAPE', 'CONV_3D', 'TRANSPOSE'], check: checkConv, import: lift1d(importConv) },
  { onnxOp: 'BatchNormalization', opsets: '1-13', emits: ['MUL', 'ADD'], check: checkBatchNorm, import: importBatchNorm },
  { onnxOp: 'BatchNormalization', opsets: '14+', emits: ['MUL', 'ADD'], check: checkBatchNormTraining, import: importBatchNormTrainingMode },
  { onnxOp: 'Relu', opsets: '1+', emits: ['RELU'], import: unary('RELU') },
  { onnxOp: 'Sigmoid', opsets: '1+', emits: ['LOGISTIC'], import: unary('LOGISTIC') },
  { onnxOp: 'Tanh', opsets: '1+', emits: ['TANH'], import: unary('TANH') },
  { onnxOp: 'Clip', opsets: '1-10', emits: ['RELU6', 'RELU_N1_TO_1', 'RELU', 'MAXIMUM', 'MINIMUM'], import: clip(clipAttributeBounds) },
  { onnxOp: 'Clip', opsets: '11+', emits: ['RELU6', 'RELU_N1_TO_1', 'RELU', 'MAXIMUM', 'MINIMUM'], check: checkClipInputs, import: clip(clipInputBounds) },
  { onnxOp: 'Add', opsets: '1-6', emits: ['ADD', 'CAST', 'BITCAST'], check: checkLegacyBroadcast, import: binaryLegacy('ADD') },
  { onnxOp: 'Add', opsets: '7+', emits: ['ADD', 'CAST', 'BITCAST'], import: binary('ADD') },
  { onnxOp: 'Sub', opsets: '1-6', emits: ['SUB', 'CAST', 'BITCAST'], check: checkLegacyBroadcast, import: binaryLegacy('SUB') },
  { onnxOp: 'Sub', opsets: '7+', emits: ['SUB', 'CAST', 'BITCAST'], import: binary('SUB') },
  { onnxOp: 'Mul', opsets: '1-6', emits: ['MUL', 'CAST', 'BITCAST'], check: checkLegacyBroadcast, import: binaryLegacy('MUL') },
  { onnxOp: 'Mul', opsets: '7+', emits: ['MUL', 'CAST', 'BITCAST'], import: binary('MUL') },
  { onnxOp: 'Div', opsets: '1-6', emits: ['DIV', 'CAST', 'GREATER_EQUAL', 'SELECT_V2', 'SUB', 'MUL', 'ADD', 'BITCAST', 'LESS', 'MAXIMUM'], check: checkLegacyBroadcast, import: binaryLegacy('DIV') },
  { onnxOp: 'Div', opsets: '7+', emits: ['DIV', 'CAST', 'GREATER_EQUAL', 'SELECT_V2', 'SUB', 'MUL', 'ADD', 'BITCAST', 'LESS', 'MAXIMUM'], import: binary('DIV') },
  { onnxOp: 'Concat', opsets: '4+', emits: ['CONCATENATION'], import: importConcat },
  { onnxOp: 'MaxPool', opsets: '1+', emits: ['MAX_POOL_2D', 'PADV2', 'RESHAPE', 'STRIDED_SLICE', 'MAXIMUM', 'CAST', 'TRANSPOSE'], check: checkPool, import: lift1d(pool('max')) },
  { onnxOp: 'AveragePool', opsets: '1+', emits: ['AVERAGE_POOL_2D', 'PAD', 'MUL', 'RESHAPE', 'STRIDED_SLICE', 'ADD', 'DEPTHWISE_CONV_2D', 'TRANSPOSE'], check: checkPool, import: lift1d(pool('avg')) },
  { onnxOp: 'GlobalAveragePool', opsets: '1+', emits: ['MEAN'], import: importGlobalAveragePool },
  { onnxOp: 'ConvTranspose', opsets: '1+', emits: ['TRANSPOSE_CONV', 'SLICE', 'PAD', 'ADD', 'RESHAPE', 'CONV_3D_TRANSPOSE', 'TRANSPOSE'], check: checkConvTranspose, import: lift1d(importConvTranspose) },
  { onnxOp: 'Pad', opsets: '1-10', emits: ['PAD', 'PADV2', 'MIRROR_PAD', 'SLICE', 'CONCATENATION', 'RESHAPE'], check: checkPad, import: pad(PAD_ATTRIBUTES) },
  { onnxOp: 'Pad', opsets: '11+', emits: ['PAD', 'PADV2', 'MIRROR_PAD', 'SLICE', 'CONCATENATION', 'RESHAPE'], check: checkPadInputs, import: pad(PAD_INPUTS) },
  { onnxOp: 'DepthToSpace', opsets: '1+', emits: ['DEPTH_TO_SPACE', 'CONV_2D', 'RESHAPE'], check: checkDepthSpace, import: importDepthToSpace },
  { onnxOp: 'SpaceToDepth', opsets: '1+', emits: ['SPACE_TO_DEPTH', 'RESHAPE'], check: checkDepthSpace, import: importSpaceToDepth },
  { onnxOp: 'GlobalMaxPool', opsets: '1+', emits: ['MAX_POOL_2D', 'REDUCE_MAX'], import: importGlobalMaxPool },
  { onnxOp: 'InstanceNormalization', opsets: '1+', emits: ['MEAN', 'SUB', 'MUL', 'ADD', 'RSQRT'], check: checkNormalization, import: importInstanceNorm },
  { onnxOp: 'LayerNormalization', opsets: '1-16', emits: ['MEAN', 'SUB', 'MUL', 'ADD', 'RSQRT', 'RESHAPE'], check: (ctx, node) => { fusedOnly(17)(ctx, node); checkNormalization(ctx, node); }, import: importLayerNorm },
  { onnxOp: 'LayerNormalization', opsets: '17+', emits: ['MEAN', 'SUB', 'MUL', 'ADD', 'RSQRT', 'RESHAPE'], check: checkNormalization, import: importLayerNorm },
  { onnxOp: 'Upsample', opsets: '7-8', emits: ['RESIZE_BILINEAR', 'RESIZE_NEAREST_NEIGHBOR'], check: checkResize(UPSAMPLE_7), import: resize(UPSAMPLE_7) },
  { onnxOp: 'Upsample', opsets: '9', emits: ['RESIZE_BILINEAR', 'RESIZE_NEAREST_NEIGHBOR'], check: checkResize(UPSAMPLE_9), import: resize(UPSAMPLE_9) },
  { onnxOp: 'Resize', opsets: '10', emits: ['RESIZE_BILINEAR', 'RESIZE_NEAREST_NEIGHBOR'], check: checkResize(UPSAMPLE_9), import: resize(UPSAMPLE_9) },
  { onnxOp: 'Resize', opsets: '11+', emits: ['RESIZE_BILINEAR', 'RESIZE_NEAREST_NEIGHBOR'], check: checkResize(RESIZE_11), import: resize(RESIZE_11) },
  { onnxOp: 'Reshape', opsets: '5+', emits: ['RESHAPE'], check: checkReshape, import: importReshape },
  { onnxOp: 'Flatten', opsets: '1+', emits: ['RESHAPE'], import: importFlatten },
  { onnxOp: 'Transpose', opsets: '1+', emits: ['TRANSPOSE'], import: importTranspose },
  { onnxOp: 'Softmax', opsets: '1-12', emits: ['SOFTMAX', 'RESHAPE', 'TRANSPOSE'], import: importSoftmaxFlattened },
  { onnxOp: 'Softmax', opsets: '13+', emits: ['SOFTMAX', 'RESHAPE', 'TRANSPOSE'], import: importSoftmax },
  { onnxOp: 'Gemm', opsets: '1+', emits: ['FULLY_CONNECTED', 'BATCH_MATMUL', 'MUL', 'ADD'], import: importGemm },
  { onnxOp: 'MatMul', opsets: '1+', emits: ['FULLY_CONNECTED', 'BATCH_MATMUL'], import: importMatMul },
  { onnxOp: 'Identity', opsets: '1+', emits: [], import: importIdentity },
  { onnxOp: 'Dropout', opsets: '1-11', emits: [], import: importDropout },
  { onnxOp: 'Dropout', opsets: '12+', emits: [], check: checkDropoutTraining, import: importDropout },
  { onnxOp: 'Constant', opsets: '1+', emits: [], import: importConstant },
  { onnxOp: 'Cast', opsets: '6+', emits: ['CAST', 'BITCAST'], check: checkCast, import: importCast },
  { onnxOp: 'Slice', opsets: '1-9', emits: ['SLICE', 'STRIDED_SLICE', 'CONCATENATION', 'RESHAPE'], import: slice(sliceAttributes) },
  { onnxOp: 'Slice', opsets: '10+', emits: ['SLICE', 'STRIDED_SLICE', 'CONCATENATION', 'RESHAPE'], check: checkSliceInputs, import: slice(sliceInputs) },
  { onnxOp: 'Split', opsets: '1-12', emits: ['SPLIT', 'SPLIT_V'], import: split(SPLIT_1) },
  { onnxOp: 'Split', opsets: '13-17', emits: ['SPLIT', 'SPLIT_V'], check: checkSplitInput, import: split(SPLIT_13) },
  { onnxOp: 'Split', opsets: '18+', emits: ['SPLIT', 'SPLIT_V'], check: checkSplitInput, import: split(SPLIT_18) },
  ...axesRows('Squeeze', ['1-12', '13+'], ['RESHAPE', 'TRANSPOSE'], squeeze),
  ...axesRows('Unsqueeze', ['1-12', '13+'], ['RESHAPE', 'TRANSPOSE'], unsqueeze),
  { onnxOp: 'Expand', opsets: '8+', emits: ['TILE', 'RESHAPE', 'TRANSPOSE'], check: checkTileInput, import: importExpand },
  { onnxOp: 'Tile', opsets: '6+', emits: ['TILE'], check: checkTileInput, import: importTile },
  // only valid when folded at import (fold/ runs first); these rows report the nodes that could not be
  { onnxOp: 'Shape', opsets: '1+', emits: [], import: importShapeOf },
  { onnxOp: 'Size', opsets: '1+', emits: [], import: importShapeOf },
  // fold at import from constant inputs; from run-time ones the output takes the shape the model declares (declared-shape.ts)
  { onnxOp: 'ConstantOfShape', opsets: '9+', emits: ['NOT_EQUAL', 'CAST', 'SUM', 'GATHER', 'FILL'], check: checkConstantOfShape, import: importConstantOfShape },
  { onnxOp: 'Range', opsets: '11+', emits: ['RANGE', 'RESHAPE'], import: importRange },
  ...axesRows('ReduceProd', ['1-17', '18+'], ['REDUCE_PROD', 'TRANSPOSE', 'RESHAPE'], (axes) => reduce('REDUCE_PROD', axes)),
  { onnxOp: 'CastLike', opsets: '15+', emits: ['CAST', 'BITCAST'], import: importCastLike },
  { onnxOp: 'Gather', opsets: '1+', emits: ['GATHER', 'SLICE', 'CONCATENATION', 'RESHAPE', 'TRANSPOSE', 'LESS', 'ADD', 'SELECT_V2'], check: checkGather, import: importGather },
  // QDQ / integer-quantized exports: constants fold (fold/quant.ts), activation Q→DQ pairs keep the float tensor + its quant params,
  // other run-time ones are computed exactly in float32 (quant-runtime.ts); lone ConvInteger / MatMulInteger: conv-matmul-integer.ts
  { onnxOp: 'QuantizeLinear', opsets: '10+', emits: ['DIV', 'ROUND', 'ADD', 'MAXIMUM', 'MINIMUM', 'CAST'], check: checkQuantParams, import: importQuantizeLinear },
  { onnxOp: 'DequantizeLinear', opsets: '10+', emits: ['DEQUANTIZE', 'CAST', 'SUB', 'MUL'], check: checkQuantParams, import: importDequantizeLinear },
  { onnxOp: 'DynamicQuantizeLinear', opsets: '11+', emits: ['REDUCE_MIN', 'REDUCE_MAX', 'MINIMUM', 'MAXIMUM', 'SUB', 'DIV', 'EQUAL', 'SELECT_V2', 'NEG', 'ROUND', 'ADD', 'CAST'], import: importDynamicQuantizeLinear },
  { onnxOp: 'ConvInteger', opsets: '10+', emits: ['CAST', 'SUB', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'SPLIT', 'CONCATENATION', 'PAD', 'RESHAPE', 'CONV_3D', 'TRANSPOSE'], check: checkIntegerOp, import: importConvInteger },
  { onnxOp: 'MatMulInteger', opsets: '10+', emits: ['CAST', 'SUB', 'FULLY_CONNECTED', 'BATCH_MATMUL', 'RESHAPE'], check: checkIntegerOp, import: importMatMulInteger },
  { onnxOp: 'LeakyRelu', opsets: '1+', emits: ['LEAKY_RELU'], import: importLeakyRelu },
  { onnxOp: 'PRelu', opsets: '1-6', emits: ['PRELU', 'MINIMUM', 'MUL', 'ADD'], check: checkPRelu, import: importPReluLegacy },
  { onnxOp: 'PRelu', opsets: '7+', emits: ['PRELU', 'MINIMUM', 'MUL', 'ADD'], check: checkPRelu, import: importPRelu },
  { onnxOp: 'Elu', opsets: '1+', emits: ['ELU', 'MINIMUM', 'MUL', 'ADD'], import: importElu },
  { onnxOp: 'HardSigmoid', opsets: '1+', emits: ['MUL', 'ADD'], import: importHardSigmoid },
  { onnxOp: 'HardSwish', opsets: '1-13', emits: ['HARD_SWISH'], check: fusedOnly(14), import: importHardSwish },
  { onnxOp: 'HardSwish', opsets: '14+', emits: ['HARD_SWISH'], import: importHardSwish },
  { onnxOp: 'Gelu', opsets: '1-19', emits: ['GELU'], check: fusedOnly(20), import: importGelu },
  { onnxOp: 'Gelu', opsets: '20+', emits: ['GELU'], check: checkGelu, import: importGelu },
  { onnxOp: 'Erf', opsets: '9+', emits: ['MINIMUM', 'MAXIMUM', 'MUL', 'ADD', 'DIV'], check: checkErf, import: importErf },
  { onnxOp: 'Exp', opsets: '1+', emits: ['EXP'], import: unary('EXP') },
  { onnxOp: 'Log', opsets: '1+', emits: ['LOG'], import: unary('LOG') },
  { onnxOp: 'Sqrt', opsets: '1+', emits: ['SQRT'], import: unary('SQRT') },
  { onnxOp: 'Abs', opsets: '1+', emits: ['ABS'], import: unary('ABS') },
  { onnxOp: 'Neg', opsets: '1+', emits: ['NEG'], import: unary('NEG') },
  // ROUND rounds half to even, as ONNX Round does (TFLite's reference kernel and XNNPACK's bankers rounding)
  { onnxOp: 'Round', opsets: '11+', emits: ['ROUND'], import: unary('ROUND') },
  { onnxOp: 'Floor', opsets: '1+', emits: ['FLOOR'], import: unary('FLOOR') },
  { onnxOp: 'Ceil', opsets: '1+', emits: ['CEIL'], import: unary('CEIL') },
  { onnxOp: 'Sin', opsets: '7+', emits: ['SIN'], import: unary('SIN') },
  { onnxOp: 'Cos', opsets: '7+', emits: ['COS'], import: unary('COS') },
  { onnxOp: 'Sign', opsets: '9+', emits: ['SIGN'], import: unary('SIGN') },
  { onnxOp: 'ArgMax', opsets: '1+', emits: ['ARG_MAX', 'RESHAPE', 'TRANSPOSE'], check: checkArgExtreme, import: argExtreme('ARG_MAX') },
  { onnxOp: 'ArgMin', opsets: '1+', emits: ['ARG_MIN', 'RESHAPE', 'TRANSPOSE'], check: checkArgExtreme, import: argExtreme('ARG_MIN') },
  { onnxOp: 'Softplus', opsets: '1+', emits: ['ABS', 'NEG', 'EXP', 'ADD', 'SUB', 'DIV', 'LOG', 'RELU'], import: importSoftplus },
  { onnxOp: 'Mish', opsets: '1-17', emits: ['ABS', 'NEG', 'EXP', 'ADD', 'MUL', 'DIV', 'GREATER_EQUAL', 'SELECT_V2'], check: fusedOnly(18), import: importMish },
  { onnxOp: 'Mish', opsets: '18+', emits: ['ABS', 'NEG', 'EXP', 'ADD', 'MUL', 'DIV', 'GREATER_EQUAL', 'SELECT_V2'], import: importMish },
  { onnxOp: 'Softsign', opsets: '1+', emits: ['ABS', 'ADD', 'DIV'], import: importSoftsign },
  { onnxOp: 'Reciprocal', opsets: '1+', emits: ['DIV'], import: importReciprocal },
  { onnxOp: 'Pow', opsets: '1-6', emits: ['MUL', 'SQRT', 'RSQRT', 'DIV', 'POW', 'CAST', 'SUB', 'ADD'], check: checkPowLegacy, import: importPow },
  { onnxOp: 'Pow', opsets: '7+', emits: ['MUL', 'SQRT', 'RSQRT', 'DIV', 'POW', 'CAST', 'SUB', 'ADD'], import: importPow },
  { onnxOp: 'Min', opsets: '1+', emits: ['MINIMUM', 'CAST', 'ADD', 'BITCAST'], import: minMax('MINIMUM') },
  { onnxOp: 'Max', opsets: '1+', emits: ['MAXIMUM', 'CAST', 'ADD', 'BITCAST'], import: minMax('MAXIMUM') },
  { onnxOp: 'Sum', opsets: '1+', emits: ['ADD', 'CAST', 'BITCAST'], import: importSum },
  { onnxOp: 'Mean', opsets: '1+', emits: ['ADD', 'MUL'], check: checkMean, import: importMean },
  { onnxOp: 'Equal', opsets: '7+', emits: ['EQUAL', 'CAST', 'BITCAST'], import: comparison('EQUAL') },
  { onnxOp: 'Less', opsets: '7+', emits: ['LESS', 'CAST', 'ADD', 'BITCAST'], import: comparison('LESS') },
  { onnxOp: 'Greater', opsets: '7+', emits: ['GREATER', 'CAST', 'ADD', 'BITCAST'], import: comparison('GREATER') },
  { onnxOp: 'LessOrEqual', opsets: '12+', emits: ['LESS_EQUAL', 'CAST', 'ADD', 'BITCAST'], import: comparison('LESS_EQUAL') },
  { onnxOp: 'GreaterOrEqual', opsets: '12+', emits: ['GREATER_EQUAL', 'CAST', 'ADD', 'BITCAST'], import: comparison('GREATER_EQUAL') },
  { onnxOp: 'Where', opsets: '9+', emits: ['SELECT_V2'], import: importWhere },
  { onnxOp: 'Not', opsets: '1+', emits: ['LOGICAL_NOT'], import: importNot },
  { onnxOp: 'And', opsets: '7+', emits: ['LOGICAL_AND'], import: logical('LOGICAL_AND') },
  { onnxOp: 'Or', opsets: '7+', emits: ['LOGICAL_OR'], import: logical('LOGICAL_OR') },
  { onnxOp: 'Xor', opsets: '7+', emits: ['NOT_EQUAL'], import: logical('NOT_EQUAL') },
  ...axesRows('ReduceMean', ['1-17', '18+'], ['MEAN', 'TRANSPOSE', 'RESHAPE'], (axes) => reduce('MEAN', axes)),
  ...axesRows('ReduceSum', ['1-12', '13+'], ['SUM', 'TRANSPOSE', 'RESHAPE'], (axes) => reduce('SUM', axes)),
  ...axesRows('ReduceMax', ['1-17', '18+'], ['REDUCE_MAX', 'TRANSPOSE', 'RESHAPE', 'CAST'], (axes) => reduce('REDUCE_MAX', axes)),
  ...axesRows('ReduceMin', ['1-17', '18+'], ['REDUCE_MIN', 'TRANSPOSE', 'RESHAPE', 'CAST'], (axes) => reduce('REDUCE_MIN', axes)),
  ...axesRows('ReduceL1', ['1-17', '18+'], ['ABS', 'SUM', 'TRANSPOSE', 'RESHAPE'], reduceComposite),
  ...axesRows('ReduceL2', ['1-17', '18+'], ['MUL', 'SUM', 'SQRT', 'ABS', 'TRANSPOSE', 'RESHAPE'], reduceComposite),
  ...axesRows('ReduceLogSum', ['1-17', '18+'], ['SUM', 'LOG', 'MAXIMUM', 'SUB', 'ADD', 'TRANSPOSE', 'RESHAPE'], reduceComposite),
  ...axesRows('ReduceLogSumExp', ['1-17', '18+'], ['REDUCE_MAX', 'MINIMUM', 'MAXIMUM', 'SUB', 'EXP', 'SUM', 'LOG', 'ADD', 'TRANSPOSE', 'RESHAPE'], reduceComposite),
  ...axesRows('ReduceSumSquare', ['1-17', '18+'], ['MUL', 'SUM', 'TRANSPOSE', 'RESHAPE'], reduceComposite),
  { onnxOp: 'GroupNormalization', opsets: '18-20', emits: ['RESHAPE', 'MEAN', 'SUB', 'MUL', 'ADD', 'RSQRT'], check: checkNormalization, import: groupNorm(true) },
  { onnxOp: 'GroupNormalization', opsets: '21+', emits: ['RESHAPE', 'MEAN', 'SUB', 'MUL', 'ADD', 'RSQRT'], check: checkNormalization, import: groupNorm(false) },
  { onnxOp: 'LpNormalization', opsets: '1+', emits: ['ABS', 'MUL', 'SUM', 'SQRT', 'EQUAL', 'CAST', 'ADD', 'DIV', 'TRANSPOSE', 'RESHAPE'], check: checkLpNorm, import: importLpNorm },
  { onnxOp: 'LRN', opsets: '1+', emits: ['MUL', 'CONV_2D', 'POW'], check: checkLrn, import: importLrn },
  // all-constant Trilu / GatherND / GatherElements / ScatterND / ScatterElements fold at import (fold/indexing.ts)
  { onnxOp: 'Trilu', opsets: '14+', emits: ['SELECT_V2'], check: checkTrilu, import: importTrilu },
  { onnxOp: 'GatherND', opsets: '11+', emits: ['RESHAPE', 'GATHER', 'SLICE', 'GATHER_ND', 'LESS', 'ADD', 'SELECT_V2', 'CONCATENATION'], check: checkIndices, import: importGatherNd },
  { onnxOp: 'GatherElements', opsets: '11+', emits: ['RESHAPE', 'GATHER', 'SLICE', 'GATHER_ND', 'LESS', 'ADD', 'SELECT_V2', 'CONCATENATION'], check: checkIndices, import: importGatherElements },
  { onnxOp: 'ScatterND', opsets: '11+', emits: ['RESHAPE', 'CONCATENATION', 'GATHER', 'SLICE', 'ADD', 'MUL', 'MAXIMUM', 'MINIMUM', 'SCATTER_ND', 'LESS', 'SELECT_V2', 'CAST', 'GREATER'], check: checkScatterNd, import: importScatterNd },
  { onnxOp: 'ScatterElements', opsets: '11+', emits: ['RESHAPE', 'CONCATENATION', 'GATHER', 'SLICE', 'ADD', 'MUL', 'MAXIMUM', 'MINIMUM', 'SCATTER_ND', 'LESS', 'SELECT_V2', 'CAST', 'GREATER'], check: checkScatterNd, import: importScatterElements },
  { onnxOp: 'Scatter', opsets: '9-10', emits: ['RESHAPE', 'CONCATENATION', 'GATHER', 'SLICE', 'SCATTER_ND', 'LESS', 'ADD', 'SELECT_V2', 'MAXIMUM', 'MINIMUM', 'CAST', 'GREATER'], check: checkScatterNd, import: importScatterElements },
  { onnxOp: 'IsNaN', opsets: '9+', emits: ['LESS_EQUAL', 'LOGICAL_NOT'], import: importIsNaN },
  { onnxOp: 'IsInf', opsets: '10+', emits: ['ABS', 'EQUAL'], import: importIsInf },
  // refused with its reason (a data-dependent output row count); emits nothing
  { onnxOp: 'NonMaxSuppression', opsets: '10+', emits: [], check: refuseNonMaxSuppression, import: refuseNonMaxSuppression },
  { onnxOp: 'RMSNormalization', opsets: '23+', emits: ['MUL', 'MEAN', 'ADD', 'RSQRT', 'TRANSPOSE', 'RESHAPE'], import: importRmsNorm },
  { onnxOp: 'RotaryEmbedding', opsets: '23+', emits: ['GATHER', 'MUL', 'ADD'], check: checkRotaryEmbedding, import: importRotaryEmbedding },
  { onnxOp: 'LogSoftmax', opsets: '1-12', emits: ['REDUCE_MAX', 'SUB', 'EXP', 'SUM', 'LOG'], check: checkLogSoftmax, import: logSoftmax(true) },
  { onnxOp: 'LogSoftmax', opsets: '13+', emits: ['REDUCE_MAX', 'SUB', 'EXP', 'SUM', 'LOG'], check: checkLogSoftmax, import: logSoftmax(false) },
  { onnxOp: 'TopK', opsets: '1-9', emits: ['TOPK_V2', 'CAST'], import: topK(TOPK_1) },
  { onnxOp: 'TopK', opsets: '10', emits: ['TOPK_V2', 'CAST'], check: checkTopKInput, import: topK(TOPK_10) },
  { onnxOp: 'TopK', opsets: '11+', emits: ['TOPK_V2', 'MUL', 'CAST'], check: checkTopKInput, import: topK(TOPK_11) },
  { onnxOp: 'Einsum', opsets: '12+', emits: ['BATCH_MATMUL', 'MUL', 'SUM', 'TRANSPOSE', 'RESHAPE'], import: importEinsum },
  { onnxOp: 'GridSample', opsets: '16-19', emits: ['ADD', 'SUB', 'MUL', 'MAXIMUM', 'MINIMUM', 'FLOOR_MOD', 'ABS', 'FLOOR', 'GREATER', 'EQUAL', 'RELU', 'SUM', 'CAST', 'GATHER', 'REDUCE_PROD', 'RESHAPE'], check: checkGridSample('bilinear'), import: gridSample('bilinear') },
  { onnxOp: 'GridSample', opsets: '20+', emits: ['ADD', 'SUB', 'MUL', 'MAXIMUM', 'MINIMUM', 'FLOOR_MOD', 'ABS', 'FLOOR', 'GREATER', 'EQUAL', 'RELU', 'SUM', 'CAST', 'GATHER', 'REDUCE_PROD', 'RESHAPE'], check: checkGridSample('linear'), import: gridSample('linear') },
  { onnxOp: 'CumSum', opsets: '11+', emits: ['CUMSUM', 'SUB', 'SUM', 'NEG', 'RESHAPE'], check: checkCumSum, import: importCumSum },
  { onnxOp: 'Hardmax', opsets: '1-12', emits: ['REDUCE_MAX', 'EQUAL', 'CAST', 'CUMSUM', 'SUB', 'RELU', 'MUL', 'RESHAPE'], import: hardmax(true) },
  { onnxOp: 'Hardmax', opsets: '13+', emits: ['REDUCE_MAX', 'EQUAL', 'CAST', 'CUMSUM', 'SUB', 'RELU', 'MUL'], import: hardmax(false) },
  { onnxOp: 'OneHot', opsets: '9+', emits: ['ONE_HOT', 'CAST', 'LESS', 'ADD', 'SELECT_V2', 'FLOOR', 'EQUAL', 'MAXIMUM', 'MINIMUM'], check: checkOneHot, import: importOneHot },
  { onnxOp: 'AffineGrid', opsets: '20+', emits: ['BATCH_MATMUL', 'TRANSPOSE', 'RESHAPE'], check: checkAffineGrid, import: importAffineGrid },
  { onnxOp: 'Attention', opsets: '23+', emits: ['BATCH_MATMUL', 'MUL', 'DIV', 'TANH', 'ADD', 'SOFTMAX', 'SELECT_V2', 'REDUCE_MAX', 'GREATER', 'GREATER_EQUAL', 'CONCATENATION', 'CAST', 'LESS', 'LESS_EQUAL', 'LOGICAL_AND', 'MAXIMUM', 'TRANSPOSE', 'RESHAPE'], check: checkAttention, import: importAttention },
];
