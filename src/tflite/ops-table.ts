/**
 * One row per TFLite builtin op `mai` reads and writes with typed attributes:
 * its BuiltinOptions union member, the codec between `Attrs` and that table,
 * and the rule for the minimum op version. Ops outside this table are still
 * read (name, version, options kept raw) — see reader.ts / raw-options.ts.
 */
import type { Builder } from 'flatbuffers';
import type { Attrs, Node } from '../ir/node.js';
import type { Graph } from '../ir/graph.js';
import { BUILTIN_OPTIONS, type BuiltinOpName, type BuiltinOptionsName } from './schema/enums.js';
import type { FbReader, FbTable } from './fb-read.js';
import { CODECS, type OptionsCodec } from './options.js';
import { VERSION_RULES, always1, type VersionRule } from './op-versions.js';

export interface OpRow {
  op: BuiltinOpName;
  /** BuiltinOptions union member ('NONE' for ops without an options table). */
  options: BuiltinOptionsName;
  /** Union type id of `options`. */
  optionsType: number;
  /** Writes the options table; 0 for 'NONE'. */
  encode(b: Builder, attrs: Attrs): number;
  /** Reads the options table (undefined when absent: schema defaults). */
  decode(r: FbReader, t: FbTable | undefined): Attrs;
  minVersion(node: Node, graph: Graph): number;
}

const C = CODECS;
/** op → codec (undefined = no options table). */
const SPEC: Array<[BuiltinOpName, OptionsCodec | undefined]> = [
  ['CONV_2D', C.conv2d],
  ['CONV_3D', C.conv3d],
  ['CONV_3D_TRANSPOSE', C.conv3d],
  ['DEPTHWISE_CONV_2D', C.depthwise],
  ['FULLY_CONNECTED', C.fullyConnected],
  ['ADD', C.add],
  ['SUB', C.sub],
  ['MUL', C.mul],
  ['DIV', C.div],
  ['RELU', undefined],
  ['RELU6', undefined],
  ['RELU_N1_TO_1', undefined],
  ['LOGISTIC', undefined],
  ['TANH', undefined],
  ['MINIMUM', C.maxMin],
  ['MAXIMUM', C.maxMin],
  ['CONCATENATION', C.concatenation],
  ['MAX_POOL_2D', C.pool2d],
  ['AVERAGE_POOL_2D', C.pool2d],
  ['MEAN', C.reducer],
  ['SUM', C.reducer],
  ['REDUCE_MAX', C.reducer],
  ['REDUCE_MIN', C.reducer],
  ['REDUCE_PROD', C.reducer],
  ['RESIZE_BILINEAR', C.resizeBilinear],
  ['RESIZE_NEAREST_NEIGHBOR', C.resizeNearest],
  ['RESHAPE', C.reshape],
  ['TRANSPOSE', C.transpose],
  ['SOFTMAX', C.softmax],
  ['BATCH_MATMUL', C.batchMatMul],
  ['PAD', C.pad],
  ['PADV2', C.padV2],
  ['MIRROR_PAD', C.mirrorPad],
  ['QUANTIZE', C.quantize],
  ['DEQUANTIZE', C.dequantize],
  ['CAST', C.cast],
  ['TRANSPOSE_CONV', C.transposeConv],
  ['STRIDED_SLICE', C.stridedSlice],
  ['SLICE', C.slice],
  ['SPLIT', C.split],
  ['SPLIT_V', C.splitV],
  ['GATHER', C.gather],
  ['FILL', C.fill],
  ['RANGE', C.range],
  ['LEAKY_RELU', C.leakyRelu],
  ['PRELU', undefined],
  ['HARD_SWISH', C.hardSwish],
  ['ELU', undefined],
  ['GELU', C.gelu],
  ['EXP', C.exp],
  ['LOG', undefined],
  ['SQRT', undefined],
  ['RSQRT', undefined],
  ['ABS', C.abs],
  ['NEG', C.neg],
  ['POW', C.pow],
  ['SQUARED_DIFFERENCE', C.squaredDifference],
  ['ROUND', undefined],
  ['DEPTH_TO_SPACE', C.depthToSpace],
  ['SPACE_TO_DEPTH', C.spaceToDepth],
  ['SQUEEZE', C.squeeze],
  ['EXPAND_DIMS', C.expandDims],
  ['TILE', C.tile],
  ['SELECT_V2', C.selectV2],
  ['BITCAST', undefined],
  ['EQUAL', C.equal],
  ['LESS', C.less],
  ['GREATER', C.greater],
  ['LESS_EQUAL', C.lessEqual],
  ['GREATER_EQUAL', C.greaterEqual],
  ['NOT_EQUAL', C.notEqual],
  ['LOGICAL_AND', C.logicalAnd],
  ['LOGICAL_OR', C.logicalOr],
  ['LOGICAL_NOT', C.logicalNot],
  ['ARG_MAX', C.argMax],
  ['FLOOR_DIV', C.floorDiv],
  ['FLOOR_MOD', C.floorMod],
  ['GATHER_ND', C.gatherNd],
  ['SCATTER_ND', C.scatterNd],
  ['REDUCE_ANY', C.reducer],
  ['REDUCE_ALL', C.reducer],
  ['ARG_MIN', C.argMin],
  ['TOPK_V2', C.topkV2],
  ['CUMSUM', C.cumsum],
  ['ONE_HOT', C.oneHot],
];

function row(op: BuiltinOpName, codec: OptionsCodec | undefined, rule: VersionRule): OpRow {
  if (!codec) {
    return { op, options: 'NONE', optionsType: 0, encode: () => 0, decode: () => ({}), minVersion: rule };
  }
  return {
    op,
    options: codec.table,
    optionsType: BUILTIN_OPTIONS[codec.table],
    encode: codec.encode,
    decode: codec.decode,
    minVersion: rule,
  };
}

export const OPS_TABLE: ReadonlyMap<BuiltinOpName, OpRow> = new Map(
  SPEC.map(([op, codec]) => [op, row(op, codec, VERSION_RULES[op] ?? always1)] as const),
);

export function opRow(op: BuiltinOpName): OpRow | undefined {
  return OPS_TABLE.get(op);
}

/**
 * The version the writer puts in OperatorCode for `node`: its own `version`
 * when set (the IR contract; keeps Google's files faithful), else the minimum
 * its op needs. A pass that changes a node's dtypes (e.g. float → int8) must
 * delete `node.version` so the minimum is recomputed.
 */
export function opVersion(node: Node, graph: Graph): number {
  if (node.version !== undefined) return node.version;
  // ops outside the table (options kept raw) still get op_version.cc's minimum where we know it
  return OPS_TABLE.get(node.op)?.minVersion(node, graph) ?? VERSION_RULES[node.op]?.(node, graph) ?? 1;
}
