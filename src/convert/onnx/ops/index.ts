/**
 * The ONNX op table: one row per op and opset range. A new op is one file plus one row here.
 * `check` holds the op's shape-independent checks; it also runs for nodes downstream of a failure.
 */
import type { OpImporter } from './types.js';
import { checkBatchNorm, importBatchNorm } from './batchnorm.js';
import { binary, checkBinary } from './binary.js';
import { checkCast, importCast } from './cast.js';
import { checkClip, importClip } from './clip.js';
import { importConcat } from './concat.js';
import { importConstant } from './constant.js';
import { checkConv, importConv } from './conv.js';
import { importGemm } from './gemm.js';
import { checkDropout, importDropout, importIdentity } from './identity.js';
import { importMatMul } from './matmul.js';
import { lift1d } from './lift-1d.js';
import { checkReshape, importFlatten, importReshape } from './reshape.js';
import { checkResize, importResize } from './resize.js';
import { importSoftmax } from './softmax.js';
import { importTranspose } from './transpose.js';
import { unary } from './unary.js';
import { checkGelu, checkPRelu, importElu, importGelu, importHardSigmoid, importHardSwish, importLeakyRelu, importPRelu } from './activations.js';
import { checkErf, importErf } from './erf.js';
import { comparison, importNot, importWhere, logical } from './compare.js';
import { minMax } from './minmax.js';
import { checkMean, importMean, importSum } from './variadic.js';
import { checkPow, importPow, importReciprocal } from './pow.js';
import { checkReduce, reduce } from './reduce.js';
import { reduceComposite } from './reduce-composite.js';
import { fusedOnly } from '../patterns/index.js';
import { checkConvTranspose, importConvTranspose } from './conv-transpose.js';
import { checkSlice, importSlice } from './slice.js';
import { checkSplit, importSplit } from './split.js';
import { checkAxesInput, importSqueeze, importUnsqueeze } from './squeeze.js';
import { checkTileInput, importExpand, importTile } from './tile.js';
import { checkPad, importPad } from './pad.js';
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
import { checkLogSoftmax, importLogSoftmax } from './log-softmax.js';
import { checkTopK, importTopK } from './topk.js';
import { importEinsum } from './einsum.js';
import { checkGridSample, importGridSample } from './grid-sample.js';
import { checkCumSum, importCumSum } from './cumsum.js';
import { importHardmax } from './hardmax.js';
import { checkOneHot, importOneHot } from './one-hot.js';
import { checkAffineGrid, importAffineGrid } from './affine-grid.js';

export type { OpImporter } from './types.js';

export const ONNX_OPS: readonly OpImporter[] = [
  { onnxOp: 'Conv', opsets: '1+', emits: ['CONV_2D', 'DEPTHWISE_CONV_2D', 'SPLIT', 'CONCATENATION', 'PAD', 'RESHAPE', 'CONV_3D', 'TRANSPOSE'], check: checkConv, import: lift1d(importConv) },
  { onnxOp: 'BatchNormalization', opsets: '1+', emits: ['MUL', 'ADD'], check: checkBatchNorm, import: importBatchNorm },
  { onnxOp: 'Relu', opsets: '1+', emits: ['RELU'], import: unary('RELU') },
  { onnxOp: 'Sigmoid', opsets: '1+', emits: ['LOGISTIC'], import: unary('LOGISTIC') },
  { onnxOp: 'Tanh', opsets: '1+', emits: ['TANH'], import: unary('TANH') },
  { onnxOp: 'Clip', opsets: '1+', emits: ['RELU6', 'RELU_N1_TO_1', 'RELU', 'MAXIMUM', 'MINIMUM'], check: checkClip, import: importClip },
  { onnxOp: 'Add', opsets: '1+', emits: ['ADD', 'CAST', 'BITCAST'], check: checkBinary, import: binary('ADD') },
  { onnxOp: 'Sub', opsets: '1+', emits: ['SUB', 'CAST', 'BITCAST'], check: checkBinary, import: binary('SUB') },
  { onnxOp: 'Mul', opsets: '1+', emits: ['MUL', 'CAST', 'BITCAST'], check: checkBinary, import: binary('MUL') },
  { onnxOp: 'Div', opsets: '1+', emits: ['DIV', 'CAST', 'GREATER_EQUAL', 'SELECT_V2', 'SUB', 'MUL', 'ADD', 'BITCAST', 'LESS', 'MAXIMUM'], check: checkBinary, import: binary('DIV') },
  { onnxOp: 'Concat', opsets: '4+', emits: ['CONCATENATION'], import: importConcat },
  { onnxOp: 'MaxPool', opsets: '1+', emits: ['MAX_POOL_2D', 'PADV2', 'RESHAPE', 'STRIDED_SLICE', 'MAXIMUM', 'CAST', 'TRANSPOSE'], check: checkPool, import: lift1d(pool('max')) },
  { onnxOp: 'AveragePool', opsets: '1+', emits: ['AVERAGE_POOL_2D', 'PAD', 'MUL', 'RESHAPE', 'STRIDED_SLICE', 'ADD', 'DEPTHWISE_CONV_2D', 'TRANSPOSE'], check: checkPool, import: lift1d(pool('avg')) },
  { onnxOp: 'GlobalAveragePool', opsets: '1+', emits: ['MEAN'], import: importGlobalAveragePool },
  { onnxOp: 'ConvTranspose', opsets: '1+', emits: ['TRANSPOSE_CONV', 'SLICE', 'PAD', 'ADD', 'RESHAPE', 'CONV_3D_TRANSPOSE', 'TRANSPOSE'], check: checkConvTranspose, import: lift1d(importConvTranspose) },
  { onnxOp: 'Pad', opsets: '1+', emits: ['PAD', 'PADV2', 'MIRROR_PAD', 'SLICE', 'CONCATENATION', 'RESHAPE'], check: checkPad, import: importPad },
  { onnxOp: 'DepthToSpace', opsets: '1+', emits: ['DEPTH_TO_SPACE', 'CONV_2D', 'RESHAPE'], check: checkDepthSpace, import: importDepthToSpace },
  { onnxOp: 'SpaceToDepth', opsets: '1+', emits: ['SPACE_TO_DEPTH', 'RESHAPE'], check: checkDepthSpace, import: importSpaceToDepth },
  { onnxOp: 'GlobalMaxPool', opsets: '1+', emits: ['MAX_POOL_2D', 'REDUCE_MAX'], import: importGlobalMaxPool },
  { onnxOp: 'InstanceNormalization', opsets: '1+', emits: ['MEAN', 'SUB', 'MUL', 'ADD', 'RSQRT'], check: checkNormalization, import: importInstanceNorm },
  { onnxOp: 'LayerNormalization', opsets: '1-16', emits: ['MEAN', 'SUB', 'MUL', 'ADD', 'RSQRT', 'RESHAPE'], check: (ctx, node) => { fusedOnly(17)(ctx, node); checkNormalization(ctx, node); }, import: importLayerNorm },
  { onnxOp: 'LayerNormalization', opsets: '17+', emits: ['MEAN', 'SUB', 'MUL', 'ADD', 'RSQRT', 'RESHAPE'], check: checkNormalization, import: importLayerNorm },
  { onnxOp: 'Upsample', opsets: '7-9', emits: ['RESIZE_BILINEAR', 'RESIZE_NEAREST_NEIGHBOR'], check: checkResize, import: importResize },
  { onnxOp: 'Resize', opsets: '10+', emits: ['RESIZE_BILINEAR', 'RESIZE_NEAREST_NEIGHBOR'], check: checkResize, import: importResize },
  { onnxOp: 'Reshape', opsets: '5+', emits: ['RESHAPE'], check: checkReshape, import: importReshape },
  { onnxOp: 'Flatten', opsets: '1+', emits: ['RESHAPE'], import: importFlatten },
  { onnxOp: 'Transpose', opsets: '1+', emits: ['TRANSPOSE'], import: importTranspose },
  { onnxOp: 'Softmax', opsets: '1-12', emits: ['SOFTMAX', 'RESHAPE', 'TRANSPOSE'], import: importSoftmax },
  { onnxOp: 'Softmax', opsets: '13+', emits: ['SOFTMAX', 'RESHAPE', 'TRANSPOSE'], import: importSoftmax },
  { onnxOp: 'Gemm', opsets: '1+', emits: ['FULLY_CONNECTED', 'BATCH_MATMUL', 'MUL', 'ADD'], import: importGemm },
  { onnxOp: 'MatMul', opsets: '1+', emits: ['FULLY_CONNECTED', 'BATCH_MATMUL'], import: importMatMul },
  { onnxOp: 'Identity', opsets: '1+', emits: [], import: importIdentity },
  { onnxOp: 'Dropout', opsets: '1+', emits: [], check: checkDropout, import: importDropout },
  { onnxOp: 'Constant', opsets: '1+', emits: [], import: importConstant },
  { onnxOp: 'Cast', opsets: '6+', emits: ['CAST', 'BITCAST'], check: checkCast, import: importCast },
  { onnxOp: 'Slice', opsets: '1+', emits: ['SLICE', 'STRIDED_SLICE', 'CONCATENATION', 'RESHAPE'], check: checkSlice, import: importSlice },
  { onnxOp: 'Split', opsets: '1+', emits: ['SPLIT', 'SPLIT_V'], check: checkSplit, import: importSplit },
  { onnxOp: 'Squeeze', opsets: '1+', emits: ['RESHAPE', 'TRANSPOSE'], check: checkAxesInput, import: importSqueeze },
  { onnxOp: 'Unsqueeze', opsets: '1+', emits: ['RESHAPE', 'TRANSPOSE'], check: checkAxesInput, import: importUnsqueeze },
  { onnxOp: 'Expand', opsets: '8+', emits: ['TILE', 'RESHAPE', 'TRANSPOSE'], check: checkTileInput, import: importExpand },
  { onnxOp: 'Tile', opsets: '6+', emits: ['TILE'], check: checkTileInput, import: importTile },
  // only valid when folded at import (fold/ runs first); these rows report the nodes that could not be
  { onnxOp: 'Shape', opsets: '1+', emits: [], import: importShapeOf },
  { onnxOp: 'Size', opsets: '1+', emits: [], import: importShapeOf },
  // fold at import from constant inputs; from run-time ones the output takes the shape the model declares (declared-shape.ts)
  { onnxOp: 'ConstantOfShape', opsets: '9+', emits: ['NOT_EQUAL', 'CAST', 'SUM', 'GATHER', 'FILL'], check: checkConstantOfShape, import: importConstantOfShape },
  { onnxOp: 'Range', opsets: '11+', emits: ['RANGE', 'RESHAPE'], import: importRange },
  { onnxOp: 'ReduceProd', opsets: '1-17', emits: ['REDUCE_PROD', 'TRANSPOSE', 'RESHAPE'], import: reduce('REDUCE_PROD') },
  { onnxOp: 'ReduceProd', opsets: '18+', emits: ['REDUCE_PROD', 'TRANSPOSE', 'RESHAPE'], check: checkReduce, import: reduce('REDUCE_PROD') },
  { onnxOp: 'CastLike', opsets: '15+', emits: ['CAST', 'BITCAST'], import: importCastLike },
  { onnxOp: 'Gather', opsets: '1+', emits: ['GATHER', 'RESHAPE', 'TRANSPOSE', 'LESS', 'ADD', 'SELECT_V2'], check: checkGather, import: importGather },
  // QDQ / integer-quantized exports: constants fold (fold/quant.ts), activation Q→DQ pairs keep the float tensor + its quant params,
  // other run-time ones are computed exactly in float32 (quant-runtime.ts); lone ConvInteger / MatMulInteger: conv-matmul-integer.ts
  { onnxOp: 'QuantizeLinear', opsets: '10+', emits: ['DIV', 'ROUND', 'ADD', 'MAXIMUM', 'MINIMUM', 'CAST'], check: checkQuantParams, import: importQuantizeLinear },
  { onnxOp: 'DequantizeLinear', opsets: '10+', emits: ['DEQUANTIZE', 'CAST', 'SUB', 'MUL'], check: checkQuantParams, import: importDequantizeLinear },
  { onnxOp: 'DynamicQuantizeLinear', opsets: '11+', emits: ['REDUCE_MIN', 'REDUCE_MAX', 'MINIMUM', 'MAXIMUM', 'SUB', 'DIV', 'EQUAL', 'SELECT_V2', 'NEG', 'ROUND', 'ADD', 'CAST'], import: importDynamicQuantizeLinear },
  { onnxOp: 'ConvInteger', opsets: '10+', emits: ['CAST', 'SUB', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'SPLIT', 'CONCATENATION', 'PAD', 'RESHAPE', 'CONV_3D', 'TRANSPOSE'], check: checkIntegerOp, import: importConvInteger },
  { onnxOp: 'MatMulInteger', opsets: '10+', emits: ['CAST', 'SUB', 'FULLY_CONNECTED', 'BATCH_MATMUL', 'RESHAPE'], check: checkIntegerOp, import: importMatMulInteger },
  { onnxOp: 'LeakyRelu', opsets: '1+', emits: ['LEAKY_RELU'], import: importLeakyRelu },
  { onnxOp: 'PRelu', opsets: '1+', emits: ['PRELU', 'MINIMUM', 'MUL', 'ADD'], check: checkPRelu, import: importPRelu },
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
  { onnxOp: 'Pow', opsets: '1+', emits: ['MUL', 'SQRT', 'RSQRT', 'DIV', 'POW', 'CAST', 'SUB', 'ADD'], check: checkPow, import: importPow },
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
  { onnxOp: 'ReduceMean', opsets: '1-17', emits: ['MEAN', 'TRANSPOSE', 'RESHAPE'], import: reduce('MEAN') },
  { onnxOp: 'ReduceMean', opsets: '18+', emits: ['MEAN', 'TRANSPOSE', 'RESHAPE'], check: checkReduce, import: reduce('MEAN') },
  { onnxOp: 'ReduceSum', opsets: '1-12', emits: ['SUM', 'TRANSPOSE', 'RESHAPE'], import: reduce('SUM') },
  { onnxOp: 'ReduceSum', opsets: '13+', emits: ['SUM', 'TRANSPOSE', 'RESHAPE'], check: checkReduce, import: reduce('SUM') },
  { onnxOp: 'ReduceMax', opsets: '1-17', emits: ['REDUCE_MAX', 'TRANSPOSE', 'RESHAPE', 'CAST'], import: reduce('REDUCE_MAX') },
  { onnxOp: 'ReduceMax', opsets: '18+', emits: ['REDUCE_MAX', 'TRANSPOSE', 'RESHAPE', 'CAST'], check: checkReduce, import: reduce('REDUCE_MAX') },
  { onnxOp: 'ReduceMin', opsets: '1-17', emits: ['REDUCE_MIN', 'TRANSPOSE', 'RESHAPE', 'CAST'], import: reduce('REDUCE_MIN') },
  { onnxOp: 'ReduceMin', opsets: '18+', emits: ['REDUCE_MIN', 'TRANSPOSE', 'RESHAPE', 'CAST'], check: checkReduce, import: reduce('REDUCE_MIN') },
  { onnxOp: 'ReduceL1', opsets: '1-17', emits: ['ABS', 'SUM', 'TRANSPOSE', 'RESHAPE'], import: reduceComposite },
  { onnxOp: 'ReduceL1', opsets: '18+', emits: ['ABS', 'SUM', 'TRANSPOSE', 'RESHAPE'], check: checkReduce, import: reduceComposite },
  { onnxOp: 'ReduceL2', opsets: '1-17', emits: ['MUL', 'SUM', 'SQRT', 'ABS', 'TRANSPOSE', 'RESHAPE'], import: reduceComposite },
  { onnxOp: 'ReduceL2', opsets: '18+', emits: ['MUL', 'SUM', 'SQRT', 'ABS', 'TRANSPOSE', 'RESHAPE'], check: checkReduce, import: reduceComposite },
  { onnxOp: 'ReduceLogSum', opsets: '1-17', emits: ['SUM', 'LOG', 'MAXIMUM', 'SUB', 'ADD', 'TRANSPOSE', 'RESHAPE'], import: reduceComposite },
  { onnxOp: 'ReduceLogSum', opsets: '18+', emits: ['SUM', 'LOG', 'MAXIMUM', 'SUB', 'ADD', 'TRANSPOSE', 'RESHAPE'], check: checkReduce, import: reduceComposite },
  { onnxOp: 'ReduceLogSumExp', opsets: '1-17', emits: ['REDUCE_MAX', 'MINIMUM', 'MAXIMUM', 'SUB', 'EXP', 'SUM', 'LOG', 'ADD', 'TRANSPOSE', 'RESHAPE'], import: reduceComposite },
  { onnxOp: 'ReduceLogSumExp', opsets: '18+', emits: ['REDUCE_MAX', 'MINIMUM', 'MAXIMUM', 'SUB', 'EXP', 'SUM', 'LOG', 'ADD', 'TRANSPOSE', 'RESHAPE'], check: checkReduce, import: reduceComposite },
  { onnxOp: 'ReduceSumSquare', opsets: '1-17', emits: ['MUL', 'SUM', 'TRANSPOSE', 'RESHAPE'], import: reduceComposite },
  { onnxOp: 'ReduceSumSquare', opsets: '18+', emits: ['MUL', 'SUM', 'TRANSPOSE', 'RESHAPE'], check: checkReduce, import: reduceComposite },
  { onnxOp: 'LogSoftmax', opsets: '1-12', emits: ['REDUCE_MAX', 'SUB', 'EXP', 'SUM', 'LOG'], check: checkLogSoftmax, import: importLogSoftmax },
  { onnxOp: 'LogSoftmax', opsets: '13+', emits: ['REDUCE_MAX', 'SUB', 'EXP', 'SUM', 'LOG'], check: checkLogSoftmax, import: importLogSoftmax },
  { onnxOp: 'TopK', opsets: '1+', emits: ['TOPK_V2', 'MUL', 'CAST'], check: checkTopK, import: importTopK },
  { onnxOp: 'Einsum', opsets: '12+', emits: ['BATCH_MATMUL', 'MUL', 'SUM', 'TRANSPOSE', 'RESHAPE'], import: importEinsum },
  { onnxOp: 'GridSample', opsets: '16+', emits: ['ADD', 'SUB', 'MUL', 'MAXIMUM', 'MINIMUM', 'FLOOR_MOD', 'ABS', 'FLOOR', 'GREATER', 'EQUAL', 'RELU', 'SUM', 'CAST', 'GATHER', 'REDUCE_PROD', 'RESHAPE'], check: checkGridSample, import: importGridSample },
  { onnxOp: 'CumSum', opsets: '11+', emits: ['CUMSUM'], check: checkCumSum, import: importCumSum },
  { onnxOp: 'Hardmax', opsets: '1-12', emits: ['REDUCE_MAX', 'EQUAL', 'CAST', 'CUMSUM', 'SUB', 'RELU', 'MUL', 'RESHAPE'], import: importHardmax },
  { onnxOp: 'Hardmax', opsets: '13+', emits: ['REDUCE_MAX', 'EQUAL', 'CAST', 'CUMSUM', 'SUB', 'RELU', 'MUL'], import: importHardmax },
  { onnxOp: 'OneHot', opsets: '9+', emits: ['ONE_HOT', 'CAST', 'LESS', 'ADD', 'SELECT_V2', 'FLOOR', 'EQUAL', 'MAXIMUM', 'MINIMUM'], check: checkOneHot, import: importOneHot },
  { onnxOp: 'AffineGrid', opsets: '20+', emits: ['BATCH_MATMUL', 'TRANSPOSE', 'RESHAPE'], check: checkAffineGrid, import: importAffineGrid },
];
