/**
 * The TF op table: one row per TF op. A new op is one file (or a function in its family's file) plus
 * one row here. `check` holds shape-independent checks; it also runs for nodes downstream of a failure.
 * Placeholder, Const, and a Switch / Merge whose predicate folds are handled by the importer itself.
 */
import type { TfOpImporter } from './types.js';
import { honourNchw } from './data-format.js';
import { activationOp, importLogSoftmax, importSoftmax } from './activations.js';
import { argMinMax } from './argminmax.js';
import { checkBatchNorm, importBatchNorm } from './batchnorm.js';
import { checkCast, importCast } from './cast.js';
import { importConcat, importPack, importUnpack } from './concat.js';
import { checkConv, conv } from './conv.js';
import { checkConvTranspose, importConvTranspose } from './conv-transpose.js';
import { checkDepthSpace, depthSpace } from './depth-space.js';
import { binaryOp, floorDiv, floorMod, importAddN, importBiasAdd, importRsqrt, importSelect, importSquare, notEqual, squaredDifference, tfliteUnary, unaryOp } from './elementwise.js';
import { importGather, importGatherNd } from './gather.js';
import { importIdentity, importIdentityN, importNoOp } from './identity.js';
import { importMatMul } from './matmul.js';
import { importPad } from './pad.js';
import { checkPool, pool } from './pool.js';
import { reduce } from './reduce.js';
import { importExpandDims, importReshape, importSqueeze } from './reshape.js';
import { checkResize, importResize } from './resize.js';
import { importBroadcastTo, importFill, importRange, importRank, importShape, importSize, importTile, likeOp } from './shape.js';
import { importSlice, importStridedSlice } from './slice.js';
import { importSplit, importSplitV } from './split.js';
import { importTranspose } from './transpose.js';

export type { TfOpImporter } from './types.js';

const CONV_EMITS = ['CONV_2D', 'PAD', 'ADD', 'MUL', 'RELU', 'RELU6', 'ELU', 'LEAKY_RELU', 'PRELU', 'LOGISTIC', 'TANH'] as const;
const DW_EMITS = ['DEPTHWISE_CONV_2D', 'PAD', 'ADD', 'MUL', 'RELU', 'RELU6', 'ELU', 'LEAKY_RELU', 'PRELU', 'LOGISTIC', 'TANH'] as const;
const MATMUL_EMITS = ['FULLY_CONNECTED', 'BATCH_MATMUL', 'ADD', 'RELU', 'RELU6', 'ELU', 'LEAKY_RELU', 'PRELU', 'LOGISTIC', 'TANH'] as const;

const ROWS: readonly TfOpImporter[] = [
  // convolutions and their fused forms
  { tfOp: 'Conv2D', emits: CONV_EMITS, check: checkConv, import: conv(false) },
  { tfOp: '_FusedConv2D', emits: CONV_EMITS, check: checkConv, import: conv(false) },
  { tfOp: 'DepthwiseConv2dNative', emits: DW_EMITS, check: checkConv, import: conv(true) },
  { tfOp: '_FusedDepthwiseConv2dNative', emits: DW_EMITS, check: checkConv, import: conv(true) },
  { tfOp: 'FusedDepthwiseConv2dNative', emits: DW_EMITS, check: checkConv, import: conv(true) },
  { tfOp: 'Conv2DBackpropInput', emits: ['TRANSPOSE_CONV', 'PAD', 'SLICE', 'ADD'], check: checkConvTranspose, import: importConvTranspose },
  { tfOp: 'BiasAdd', emits: ['ADD'], import: importBiasAdd },
  { tfOp: 'FusedBatchNorm', emits: ['MUL', 'ADD'], check: checkBatchNorm, import: importBatchNorm },
  { tfOp: 'FusedBatchNormV2', emits: ['MUL', 'ADD'], check: checkBatchNorm, import: importBatchNorm },
  { tfOp: 'FusedBatchNormV3', emits: ['MUL', 'ADD'], check: checkBatchNorm, import: importBatchNorm },
  { tfOp: 'MaxPool', emits: ['MAX_POOL_2D', 'PADV2'], check: checkPool, import: pool('MaxPool') },
  { tfOp: 'AvgPool', emits: ['AVERAGE_POOL_2D', 'PAD', 'DEPTHWISE_CONV_2D', 'MUL'], check: checkPool, import: pool('AveragePool') },
  { tfOp: 'MatMul', emits: MATMUL_EMITS, import: importMatMul },
  { tfOp: '_FusedMatMul', emits: MATMUL_EMITS, import: importMatMul },
  { tfOp: 'BatchMatMul', emits: ['BATCH_MATMUL', 'FULLY_CONNECTED'], import: importMatMul },
  { tfOp: 'BatchMatMulV2', emits: ['BATCH_MATMUL', 'FULLY_CONNECTED'], import: importMatMul },
  { tfOp: 'BatchMatMulV3', emits: ['BATCH_MATMUL', 'FULLY_CONNECTED'], import: importMatMul },
  // padding, resizing, layout
  { tfOp: 'Pad', emits: ['PAD'], import: importPad },
  { tfOp: 'PadV2', emits: ['PADV2'], import: importPad },
  { tfOp: 'MirrorPad', emits: ['MIRROR_PAD'], import: importPad },
  { tfOp: 'ResizeBilinear', emits: ['RESIZE_BILINEAR'], check: checkResize, import: importResize },
  { tfOp: 'ResizeNearestNeighbor', emits: ['RESIZE_NEAREST_NEIGHBOR'], check: checkResize, import: importResize },
  { tfOp: 'DepthToSpace', emits: ['DEPTH_TO_SPACE'], check: checkDepthSpace, import: depthSpace('DepthToSpace') },
  { tfOp: 'SpaceToDepth', emits: ['SPACE_TO_DEPTH'], check: checkDepthSpace, import: depthSpace('SpaceToDepth') },
  // elementwise arithmetic
  { tfOp: 'Add', emits: ['ADD'], import: binaryOp('Add') },
  { tfOp: 'AddV2', emits: ['ADD'], import: binaryOp('Add') },
  { tfOp: 'AddN', emits: ['ADD'], import: importAddN },
  { tfOp: 'Sub', emits: ['SUB'], import: binaryOp('Sub') },
  { tfOp: 'Mul', emits: ['MUL'], import: binaryOp('Mul') },
  { tfOp: 'RealDiv', emits: ['DIV'], import: binaryOp('Div') },
  { tfOp: 'Div', emits: ['DIV'], import: binaryOp('Div') },
  { tfOp: 'FloorDiv', emits: ['FLOOR_DIV'], import: floorDiv },
  { tfOp: 'FloorMod', emits: ['FLOOR_MOD'], import: floorMod },
  { tfOp: 'Maximum', emits: ['MAXIMUM'], import: binaryOp('Max') },
  { tfOp: 'Minimum', emits: ['MINIMUM'], import: binaryOp('Min') },
  { tfOp: 'SquaredDifference', emits: ['SQUARED_DIFFERENCE'], import: squaredDifference },
  { tfOp: 'Pow', emits: ['POW', 'MUL', 'SQRT', 'DIV'], import: binaryOp('Pow') },
  { tfOp: 'Square', emits: ['MUL'], import: importSquare },
  { tfOp: 'Sqrt', emits: ['SQRT'], import: unaryOp('Sqrt') },
  { tfOp: 'Rsqrt', emits: ['RSQRT'], import: importRsqrt },
  { tfOp: 'Reciprocal', emits: ['DIV'], import: unaryOp('Reciprocal') },
  { tfOp: 'Inv', emits: ['DIV'], import: unaryOp('Reciprocal') },
  { tfOp: 'Exp', emits: ['EXP'], import: unaryOp('Exp') },
  { tfOp: 'Log', emits: ['LOG'], import: unaryOp('Log') },
  { tfOp: 'Abs', emits: ['ABS'], import: unaryOp('Abs') },
  { tfOp: 'Neg', emits: ['NEG'], import: unaryOp('Neg') },
  { tfOp: 'Round', emits: ['ROUND'], import: unaryOp('Round') },
  { tfOp: 'Floor', emits: ['FLOOR'], import: tfliteUnary('FLOOR') },
  { tfOp: 'Ceil', emits: ['CEIL'], import: tfliteUnary('CEIL') },
  { tfOp: 'Sin', emits: ['SIN'], import: tfliteUnary('SIN') },
  { tfOp: 'Cos', emits: ['COS'], import: tfliteUnary('COS') },
  { tfOp: 'Sign', emits: ['SIGN'], import: tfliteUnary('SIGN') },
  { tfOp: 'Erf', emits: ['GELU'], import: unaryOp('Erf') },
  // comparisons and logic
  { tfOp: 'Equal', emits: ['EQUAL'], import: binaryOp('Equal') },
  { tfOp: 'NotEqual', emits: ['NOT_EQUAL'], import: notEqual },
  { tfOp: 'Less', emits: ['LESS'], import: binaryOp('Less') },
  { tfOp: 'LessEqual', emits: ['LESS_EQUAL'], import: binaryOp('LessOrEqual') },
  { tfOp: 'Greater', emits: ['GREATER'], import: binaryOp('Greater') },
  { tfOp: 'GreaterEqual', emits: ['GREATER_EQUAL'], import: binaryOp('GreaterOrEqual') },
  { tfOp: 'LogicalAnd', emits: ['LOGICAL_AND'], import: binaryOp('And') },
  { tfOp: 'LogicalOr', emits: ['LOGICAL_OR'], import: binaryOp('Or') },
  { tfOp: 'LogicalNot', emits: ['LOGICAL_NOT'], import: unaryOp('Not') },
  { tfOp: 'Select', emits: ['SELECT_V2'], import: importSelect },
  { tfOp: 'SelectV2', emits: ['SELECT_V2'], import: importSelect },
  // activations
  { tfOp: 'Relu', emits: ['RELU'], import: activationOp('Relu') },
  { tfOp: 'Relu6', emits: ['RELU6'], import: activationOp('Relu6') },
  { tfOp: 'Elu', emits: ['ELU'], import: activationOp('Elu') },
  { tfOp: 'Selu', emits: ['ELU', 'MUL'], import: activationOp('Selu') },
  { tfOp: 'LeakyRelu', emits: ['LEAKY_RELU'], import: activationOp('LeakyRelu') },
  { tfOp: 'Prelu', emits: ['PRELU'], import: activationOp('Prelu') },
  { tfOp: 'Sigmoid', emits: ['LOGISTIC'], import: activationOp('Sigmoid') },
  { tfOp: 'Tanh', emits: ['TANH'], import: activationOp('Tanh') },
  { tfOp: 'Softplus', emits: ['EXP', 'ADD', 'LOG'], import: activationOp('Softplus') },
  { tfOp: 'Softmax', emits: ['SOFTMAX'], import: importSoftmax },
  { tfOp: 'LogSoftmax', emits: ['LOG_SOFTMAX'], import: importLogSoftmax },
  // shapes and data movement
  { tfOp: 'Reshape', emits: ['RESHAPE'], import: importReshape },
  { tfOp: 'Squeeze', emits: ['RESHAPE'], import: importSqueeze },
  { tfOp: 'ExpandDims', emits: ['RESHAPE'], import: importExpandDims },
  { tfOp: 'ConcatV2', emits: ['CONCATENATION'], import: importConcat },
  { tfOp: 'Pack', emits: ['CONCATENATION'], import: importPack },
  { tfOp: 'Unpack', emits: ['SPLIT'], import: importUnpack },
  { tfOp: 'Split', emits: ['SPLIT', 'SPLIT_V'], import: importSplit },
  { tfOp: 'SplitV', emits: ['SPLIT', 'SPLIT_V'], import: importSplitV },
  { tfOp: 'Slice', emits: ['SLICE', 'STRIDED_SLICE'], import: importSlice },
  { tfOp: 'StridedSlice', emits: ['SLICE', 'STRIDED_SLICE'], import: importStridedSlice },
  { tfOp: 'Transpose', emits: ['TRANSPOSE'], import: importTranspose },
  { tfOp: 'Tile', emits: ['TILE'], import: importTile },
  { tfOp: 'BroadcastTo', emits: ['BROADCAST_TO'], import: importBroadcastTo },
  { tfOp: 'GatherV2', emits: ['GATHER'], import: importGather },
  { tfOp: 'Gather', emits: ['GATHER'], import: importGather },
  { tfOp: 'GatherNd', emits: ['GATHER_ND'], import: importGatherNd },
  { tfOp: 'Cast', emits: ['CAST'], check: checkCast, import: importCast },
  // reductions
  { tfOp: 'Mean', emits: ['MEAN'], import: reduce('ReduceMean') },
  { tfOp: 'Sum', emits: ['SUM'], import: reduce('ReduceSum') },
  { tfOp: 'Max', emits: ['REDUCE_MAX'], import: reduce('ReduceMax') },
  { tfOp: 'Min', emits: ['REDUCE_MIN'], import: reduce('ReduceMin') },
  { tfOp: 'Prod', emits: ['REDUCE_PROD'], import: reduce('ReduceProd') },
  { tfOp: 'All', emits: ['REDUCE_ALL'], import: reduce('REDUCE_ALL', true) },
  { tfOp: 'Any', emits: ['REDUCE_ANY'], import: reduce('REDUCE_ANY', true) },
  { tfOp: 'ArgMax', emits: ['ARG_MAX'], import: argMinMax('ARG_MAX') },
  { tfOp: 'ArgMin', emits: ['NEG', 'ARG_MAX'], import: argMinMax('ARG_MIN') },
  // values known at conversion time
  { tfOp: 'Shape', import: importShape },
  { tfOp: 'Size', import: importSize },
  { tfOp: 'Rank', import: importRank },
  { tfOp: 'Fill', import: importFill },
  { tfOp: 'ZerosLike', import: likeOp(0) },
  { tfOp: 'OnesLike', import: likeOp(1) },
  { tfOp: 'Range', emits: ['RANGE'], import: importRange },
  // no computation
  { tfOp: 'Identity', import: importIdentity },
  { tfOp: 'IdentityN', import: importIdentityN },
  { tfOp: 'Snapshot', import: importIdentity },
  { tfOp: 'StopGradient', import: importIdentity },
  { tfOp: 'PreventGradient', import: importIdentity },
  { tfOp: 'EnsureShape', import: importIdentity },
  { tfOp: 'ReadVariableOp', import: importIdentity },
  { tfOp: 'NoOp', import: importNoOp },
];

/** Ops with a data_format attribute: NCHW runs as NHWC between transposes (data-format.ts). */
const DATA_FORMAT_OPS = new Set(['Conv2D', '_FusedConv2D', 'DepthwiseConv2dNative', '_FusedDepthwiseConv2dNative', 'FusedDepthwiseConv2dNative', 'BiasAdd', 'FusedBatchNorm', 'FusedBatchNormV2', 'FusedBatchNormV3', 'MaxPool', 'AvgPool', 'DepthToSpace', 'SpaceToDepth']);

export const TF_OPS: readonly TfOpImporter[] = ROWS.map((r) => (DATA_FORMAT_OPS.has(r.tfOp) ? honourNchw(r) : r));

/** Loop and function-call control flow: refused by name (the reason the importer gives). */
export const TF_LOOP_OPS = new Set(['Enter', 'Exit', 'NextIteration', 'LoopCond', 'While', 'StatelessWhile']);

export function findTfImporter(op: string): TfOpImporter | undefined {
  return TF_OPS.find((r) => r.tfOp === op);
}

