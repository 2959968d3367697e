/**
 * The TF op table: one row per TF op. A new op is one file (or a function in its family's file) plus
 * one row here. `check` holds shape-independent checks; it also runs for nodes downstream of a failure.
 * Placeholder(WithDefault), Const, a Switch / Merge whose predicate folds, and the refusal of loop, data-shaped
 * and post-processing ops (TF_REFUSED, each with its reason) are handled by the importer itself (import.ts).
 */
import { internalError } from '../../../core/errors.js';
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import { ONNX_OPS } from '../../onnx/ops/index.js';
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
import { importTopK } from './topk.js';
import { spaceBatch } from './space-batch.js';
import { binaryOp, floorDiv, importAtan2, floorMod, importAddN, importBiasAdd, importRsqrt, importSelect, importSquare, notEqual, squaredDifference, unaryOp } from './elementwise.js';
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

/** What the ONNX rows a TF row lowers through can emit (their `emits`, so the two tables cannot drift apart). */
function via(...onnxOps: string[]): BuiltinOpName[] {
  const missing = onnxOps.filter((o) => !ONNX_OPS.some((r) => r.onnxOp === o));
  if (missing.length) throw internalError(`TF op table: no ONNX row for ${missing.join(', ')}`);
  return [...new Set(ONNX_OPS.filter((r) => onnxOps.includes(r.onnxOp)).flatMap((r) => r.emits ?? []))];
}

/** The fused ops' activations and batch norm (activations.ts, conv.ts applyFused). */
const FUSED = ['Add', 'BatchNormalization', 'Relu', 'Clip', 'Elu', 'Mul', 'LeakyRelu', 'PRelu', 'Sigmoid', 'Tanh', 'HardSwish'];
/** Conv2D and depthwise alike: the ONNX Conv lowering picks CONV_2D or DEPTHWISE_CONV_2D. */
const CONV_EMITS = via('Conv', ...FUSED);
const MATMUL_EMITS = [...via('MatMul', 'Transpose', ...FUSED), 'BATCH_MATMUL' as const];

const ROWS: readonly TfOpImporter[] = [
  // convolutions and their fused forms
  { tfOp: 'Conv2D', emits: CONV_EMITS, check: checkConv, import: conv(false) },
  { tfOp: '_FusedConv2D', emits: CONV_EMITS, check: checkConv, import: conv(false) },
  { tfOp: 'DepthwiseConv2dNative', emits: CONV_EMITS, check: checkConv, import: conv(true) },
  { tfOp: '_FusedDepthwiseConv2dNative', emits: CONV_EMITS, check: checkConv, import: conv(true) },
  { tfOp: 'FusedDepthwiseConv2dNative', emits: CONV_EMITS, check: checkConv, import: conv(true) },
  { tfOp: 'Conv2DBackpropInput', emits: via('ConvTranspose'), check: checkConvTranspose, import: importConvTranspose },
  { tfOp: 'BiasAdd', emits: via('Add'), import: importBiasAdd },
  { tfOp: 'FusedBatchNorm', emits: via('BatchNormalization'), check: checkBatchNorm, import: importBatchNorm },
  { tfOp: 'FusedBatchNormV2', emits: via('BatchNormalization'), check: checkBatchNorm, import: importBatchNorm },
  { tfOp: 'FusedBatchNormV3', emits: via('BatchNormalization'), check: checkBatchNorm, import: importBatchNorm },
  { tfOp: 'MaxPool', emits: via('MaxPool'), check: checkPool, import: pool('MaxPool') },
  { tfOp: 'AvgPool', emits: via('AveragePool'), check: checkPool, import: pool('AveragePool') },
  { tfOp: 'MatMul', emits: MATMUL_EMITS, import: importMatMul },
  { tfOp: '_FusedMatMul', emits: MATMUL_EMITS, import: importMatMul },
  { tfOp: 'BatchMatMul', emits: [...via('MatMul', 'Transpose'), 'BATCH_MATMUL'], import: importMatMul },
  { tfOp: 'BatchMatMulV2', emits: [...via('MatMul', 'Transpose'), 'BATCH_MATMUL'], import: importMatMul },
  { tfOp: 'BatchMatMulV3', emits: [...via('MatMul', 'Transpose'), 'BATCH_MATMUL'], import: importMatMul },
  // padding, resizing, layout
  { tfOp: 'Pad', emits: via('Pad'), import: importPad },
  { tfOp: 'PadV2', emits: via('Pad'), import: importPad },
  { tfOp: 'MirrorPad', emits: [...via('Pad'), 'MIRROR_PAD'], import: importPad },
  { tfOp: 'ResizeBilinear', emits: via('Resize'), check: checkResize, import: importResize },
  { tfOp: 'ResizeNearestNeighbor', emits: via('Resize'), check: checkResize, import: importResize },
  { tfOp: 'SpaceToBatchND', emits: ['SPACE_TO_BATCH_ND'], import: spaceBatch('SPACE_TO_BATCH_ND') },
  { tfOp: 'BatchToSpaceND', emits: ['BATCH_TO_SPACE_ND'], import: spaceBatch('BATCH_TO_SPACE_ND') },
  { tfOp: 'DepthToSpace', emits: via('DepthToSpace'), check: checkDepthSpace, import: depthSpace('DepthToSpace') },
  { tfOp: 'SpaceToDepth', emits: via('SpaceToDepth'), check: checkDepthSpace, import: depthSpace('SpaceToDepth') },
  // elementwise arithmetic
  { tfOp: 'Add', emits: via('Add'), import: binaryOp('Add') },
  { tfOp: 'AddV2', emits: via('Add'), import: binaryOp('Add') },
  { tfOp: 'AddN', emits: via('Sum'), import: importAddN },
  { tfOp: 'Sub', emits: via('Sub'), import: binaryOp('Sub') },
  { tfOp: 'Mul', emits: via('Mul'), import: binaryOp('Mul') },
  { tfOp: 'RealDiv', emits: via('Div'), import: binaryOp('Div') },
  { tfOp: 'Div', emits: via('Div'), import: binaryOp('Div') },
  { tfOp: 'FloorDiv', emits: ['FLOOR_DIV'], import: floorDiv },
  { tfOp: 'FloorMod', emits: ['FLOOR_MOD'], import: floorMod },
  { tfOp: 'Maximum', emits: via('Max'), import: binaryOp('Max') },
  { tfOp: 'Minimum', emits: via('Min'), import: binaryOp('Min') },
  { tfOp: 'SquaredDifference', emits: ['SQUARED_DIFFERENCE'], import: squaredDifference },
  { tfOp: 'Pow', emits: via('Pow'), import: binaryOp('Pow') },
  { tfOp: 'Square', emits: via('Mul'), import: importSquare },
  { tfOp: 'Sqrt', emits: via('Sqrt'), import: unaryOp('Sqrt') },
  { tfOp: 'Rsqrt', emits: ['RSQRT'], import: importRsqrt },
  { tfOp: 'Reciprocal', emits: via('Reciprocal'), import: unaryOp('Reciprocal') },
  { tfOp: 'Inv', emits: via('Reciprocal'), import: unaryOp('Reciprocal') },
  { tfOp: 'Exp', emits: via('Exp'), import: unaryOp('Exp') },
  { tfOp: 'Log', emits: via('Log'), import: unaryOp('Log') },
  { tfOp: 'Abs', emits: via('Abs'), import: unaryOp('Abs') },
  { tfOp: 'Neg', emits: via('Neg'), import: unaryOp('Neg') },
  { tfOp: 'Round', emits: via('Round'), import: unaryOp('Round') },
  { tfOp: 'Floor', emits: via('Floor'), import: unaryOp('Floor') },
  { tfOp: 'Ceil', emits: via('Ceil'), import: unaryOp('Ceil') },
  { tfOp: 'Sin', emits: via('Sin'), import: unaryOp('Sin') },
  { tfOp: 'Cos', emits: via('Cos'), import: unaryOp('Cos') },
  { tfOp: 'Sign', emits: via('Sign'), import: unaryOp('Sign') },
  { tfOp: 'Atan2', emits: ['ATAN2'], import: importAtan2 },
  { tfOp: 'Erf', emits: via('Erf'), import: unaryOp('Erf') },
  // comparisons and logic
  { tfOp: 'Equal', emits: via('Equal'), import: binaryOp('Equal') },
  { tfOp: 'NotEqual', emits: ['NOT_EQUAL'], import: notEqual },
  { tfOp: 'Less', emits: via('Less'), import: binaryOp('Less') },
  { tfOp: 'LessEqual', emits: via('LessOrEqual'), import: binaryOp('LessOrEqual') },
  { tfOp: 'Greater', emits: via('Greater'), import: binaryOp('Greater') },
  { tfOp: 'GreaterEqual', emits: via('GreaterOrEqual'), import: binaryOp('GreaterOrEqual') },
  { tfOp: 'LogicalAnd', emits: via('And'), import: binaryOp('And') },
  { tfOp: 'LogicalOr', emits: via('Or'), import: binaryOp('Or') },
  { tfOp: 'LogicalNot', emits: via('Not'), import: unaryOp('Not') },
  { tfOp: 'Select', emits: via('Where'), import: importSelect },
  { tfOp: 'SelectV2', emits: via('Where'), import: importSelect },
  // activations
  { tfOp: 'Relu', emits: via('Relu'), import: activationOp('Relu') },
  { tfOp: 'Relu6', emits: via('Clip'), import: activationOp('Relu6') },
  { tfOp: 'Elu', emits: via('Elu'), import: activationOp('Elu') },
  { tfOp: 'Selu', emits: via('Elu', 'Mul'), import: activationOp('Selu') },
  { tfOp: 'LeakyRelu', emits: via('LeakyRelu'), import: activationOp('LeakyRelu') },
  { tfOp: 'Prelu', emits: via('PRelu'), import: activationOp('Prelu') },
  { tfOp: 'Sigmoid', emits: via('Sigmoid'), import: activationOp('Sigmoid') },
  { tfOp: 'Tanh', emits: via('Tanh'), import: activationOp('Tanh') },
  // not a TF op: what patterns/hard-swish.ts folds x·relu6(x + 3)/6 into
  { tfOp: 'HardSwish', emits: via('HardSwish'), import: activationOp('_FusedHardSwish') },
  { tfOp: 'Softplus', emits: via('Softplus'), import: activationOp('Softplus') },
  { tfOp: 'Softmax', emits: via('Softmax'), import: importSoftmax },
  { tfOp: 'LogSoftmax', emits: ['LOG_SOFTMAX'], import: importLogSoftmax },
  // shapes and data movement
  { tfOp: 'Reshape', emits: ['RESHAPE'], import: importReshape },
  { tfOp: 'Squeeze', emits: ['RESHAPE'], import: importSqueeze },
  { tfOp: 'ExpandDims', emits: ['RESHAPE'], import: importExpandDims },
  { tfOp: 'ConcatV2', emits: via('Concat'), import: importConcat },
  { tfOp: 'Pack', emits: via('Concat'), import: importPack },
  { tfOp: 'Unpack', emits: via('Split'), import: importUnpack },
  { tfOp: 'Split', emits: via('Split'), import: importSplit },
  { tfOp: 'SplitV', emits: via('Split'), import: importSplitV },
  { tfOp: 'Slice', emits: via('Slice'), import: importSlice },
  { tfOp: 'StridedSlice', emits: via('Slice'), import: importStridedSlice },
  { tfOp: 'Transpose', emits: via('Transpose'), import: importTranspose },
  { tfOp: 'Tile', emits: via('Tile'), import: importTile },
  { tfOp: 'BroadcastTo', emits: via('Expand'), import: importBroadcastTo },
  { tfOp: 'GatherV2', emits: [...via('Gather'), 'GATHER'], import: importGather },
  { tfOp: 'Gather', emits: [...via('Gather'), 'GATHER'], import: importGather },
  { tfOp: 'GatherNd', emits: ['GATHER_ND'], import: importGatherNd },
  { tfOp: 'Cast', emits: via('Cast'), check: checkCast, import: importCast },
  // reductions
  { tfOp: 'Mean', emits: via('ReduceMean'), import: reduce('ReduceMean') },
  { tfOp: 'Sum', emits: via('ReduceSum'), import: reduce('ReduceSum') },
  { tfOp: 'Max', emits: via('ReduceMax'), import: reduce('ReduceMax') },
  { tfOp: 'Min', emits: via('ReduceMin'), import: reduce('ReduceMin') },
  { tfOp: 'Prod', emits: via('ReduceProd'), import: reduce('ReduceProd') },
  { tfOp: 'All', emits: ['REDUCE_ALL'], import: reduce('REDUCE_ALL', true) },
  { tfOp: 'Any', emits: ['REDUCE_ANY'], import: reduce('REDUCE_ANY', true) },
  { tfOp: 'TopKV2', emits: ['TOPK_V2'], import: importTopK },
  { tfOp: 'ArgMax', emits: ['ARG_MAX'], import: argMinMax('ARG_MAX') },
  { tfOp: 'ArgMin', emits: ['ARG_MIN'], import: argMinMax('ARG_MIN') },
  // values known at conversion time
  { tfOp: 'Shape', import: importShape },
  { tfOp: 'Size', import: importSize },
  { tfOp: 'Rank', import: importRank },
  { tfOp: 'Fill', import: importFill },
  { tfOp: 'ZerosLike', import: likeOp(0) },
  { tfOp: 'OnesLike', import: likeOp(1) },
  { tfOp: 'Range', emits: via('Range'), import: importRange },
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

/** Ops refused by name with the reason (the importer reports them like unsupported ops, with this message). */
const LOOP = 'is part of a data-dependent loop, which mai does not convert (cut the graph before it with --outputs)';
const DATA_SHAPE = 'has a data-dependent output shape, which TFLite tensors (static shapes) cannot hold';
const POST = 'is detection post-processing with a data-dependent output; end the graph before it with --outputs';
interface Refusal {
  reason: 'unsupported-op' | 'dynamic-shape';
  why: string;
}
const refuse = (ops: string[], r: Refusal): Array<[string, Refusal]> => ops.map((op) => [op, r]);
export const TF_REFUSED: ReadonlyMap<string, Refusal> = new Map([
  ...refuse(['Enter', 'Exit', 'NextIteration', 'LoopCond', 'While', 'StatelessWhile', 'TensorListReserve', 'TensorListSetItem', 'TensorListGetItem', 'TensorListStack', 'TensorListFromTensor'], { reason: 'unsupported-op', why: LOOP }),
  ...refuse(['Where', 'Unique', 'BooleanMask'], { reason: 'dynamic-shape', why: DATA_SHAPE }),
  ...refuse(['NonMaxSuppressionV2', 'NonMaxSuppressionV3', 'NonMaxSuppressionV4', 'NonMaxSuppressionV5', 'CombinedNonMaxSuppression'], { reason: 'unsupported-op', why: POST }),
]);

export function findTfImporter(op: string): TfOpImporter | undefined {
  return TF_OPS.find((r) => r.tfOp === op);
}

