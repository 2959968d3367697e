/**
 * Codecs between the IR's typed `Attrs` and TFLite builtin options tables.
 * Field vtable offsets are the schema facts (src/tflite/schema/
 * tflite_schema_enums.json `vtable_offsets`). `decode` fills every field the
 * table has (schema defaults for absent ones), so decode(encode(a)) is the
 * canonical form of `a`.
 */
import type { Builder } from 'flatbuffers';
import type { Activation, Attrs, PaddingMode } from '../ir/node.js';
import type { DType } from '../ir/dtype.js';
import { ACTIVATION_FUNCTION_TYPE, MIRROR_PAD_MODE, PADDING, type BuiltinOptionsName } from './schema/enums.js';
import { FbDecodeError, type FbReader, type FbTable } from './fb-read.js';
import { TableWriter, int32Vector } from './fb-write.js';
import { dtypeOfTensorType, tensorTypeOf, tensorTypeName } from './dtype-map.js';

export interface OptionsCodec {
  /** BuiltinOptions union member. */
  table: Exclude<BuiltinOptionsName, 'NONE'>;
  encode(b: Builder, a: Attrs): number;
  /** `t` is undefined when the operator carries no options table (schema defaults apply). */
  decode(r: FbReader, t: FbTable | undefined): Attrs;
}

// --- enum helpers ------------------------------------------------------------
function reverse<T extends string>(m: Record<T, number>): Map<number, T> {
  return new Map((Object.entries(m) as Array<[T, number]>).map(([k, v]) => [v, k]));
}
const ACT_NAME = reverse(ACTIVATION_FUNCTION_TYPE as Record<Activation, number>);
const PAD_NAME = reverse(PADDING as Record<PaddingMode, number>);
const MIRROR_NAME = reverse(MIRROR_PAD_MODE as Record<'REFLECT' | 'SYMMETRIC', number>);

function actCode(a: Attrs): number {
  return ACTIVATION_FUNCTION_TYPE[a.activation ?? 'NONE'];
}
function actName(code: number): Activation {
  const n = ACT_NAME.get(code);
  if (!n) throw new FbDecodeError(`unknown fused activation code ${code}`);
  return n;
}
function padCode(a: Attrs): number {
  return PADDING[a.padding ?? 'SAME'];
}
function padName(code: number): PaddingMode {
  const n = PAD_NAME.get(code);
  if (!n) throw new FbDecodeError(`unknown padding code ${code}`);
  return n;
}
function dtypeName(code: number): DType {
  const d = dtypeOfTensorType(code);
  if (!d) throw new FbDecodeError(`tensor type ${tensorTypeName(code)} has no IR dtype`);
  return d;
}

/** Reads scalar fields of an optional table with defaults. */
class Fields {
  constructor(
    private readonly r: FbReader,
    private readonly t: FbTable | undefined,
  ) {}
  u8(vt: number, def = 0): number {
    return this.t ? this.r.fieldU8(this.t, vt, def) : def;
  }
  i8(vt: number, def = 0): number {
    return this.t ? this.r.fieldI8(this.t, vt, def) : def;
  }
  bool(vt: number, def = false): boolean {
    return this.t ? this.r.fieldBool(this.t, vt, def) : def;
  }
  i32(vt: number, def = 0): number {
    return this.t ? this.r.fieldI32(this.t, vt, def) : def;
  }
  f32(vt: number, def = 0): number {
    return this.t ? this.r.fieldF32(this.t, vt, def) : def;
  }
  has(vt: number): boolean {
    return this.t ? this.r.has(this.t, vt) : false;
  }
  ints(vt: number, what: string): number[] | undefined {
    return this.t ? this.r.int32s(this.t, vt, what) : undefined;
  }
}

/** An options table with no fields (written as an empty table, as the converter does). */
/** ArgMaxOptions / ArgMinOptions: the index type. */
function argOptions(table: 'ArgMaxOptions' | 'ArgMinOptions'): OptionsCodec {
  return {
    table,
    encode: (b, a) => new TableWriter(b, 4).u8(4, tensorTypeOf((a.outDataType as DType | undefined) ?? 'int32'), -1).end(),
    decode: (r, t) => ({ outDataType: dtypeName(new Fields(r, t).u8(4, 2)) }),
  };
}

function empty(table: OptionsCodec['table']): OptionsCodec {
  return {
    table,
    encode: (b) => {
      b.startObject(0);
      return b.endObject();
    },
    decode: () => ({}),
  };
}

/** quantized_bias_type: written only when set; read only when the file sets it (FLOAT32 = 0 is the default). */
function biasTypeCode(a: Attrs): number | undefined {
  return a.quantizedBiasType === undefined ? undefined : tensorTypeOf(a.quantizedBiasType as DType);
}
function biasType(f: Fields, vt: number): Attrs {
  const code = f.u8(vt);
  return code === 0 ? {} : { quantizedBiasType: dtypeName(code) };
}

/** AddOptions / SubOptions: fused activation, pot_scale_int16 (default true; kept only when false). */
function addSub(table: 'AddOptions' | 'SubOptions'): OptionsCodec {
  return {
    table,
    encode: (b, a) => new TableWriter(b, 6).u8(4, actCode(a)).bool(6, a.potScaleInt16, true).end(),
    decode: (r, t) => {
      const f = new Fields(r, t);
      return { activation: actName(f.u8(4)), ...(f.bool(6, true) ? {} : { potScaleInt16: false }) };
    },
  };
}

/** Options holding only `fused_activation_function` at vtable offset 4 (MUL, DIV; ADD/SUB add pot_scale_int16). */
function activationOnly(table: OptionsCodec['table']): OptionsCodec {
  return {
    table,
    encode: (b, a) => new TableWriter(b, 4).u8(4, actCode(a)).end(),
    decode: (r, t) => ({ activation: actName(new Fields(r, t).u8(4)) }),
  };
}

/** The two RESIZE_* options tables: align_corners and half_pixel_centers at the given slots. */
function resizeCodec(table: 'ResizeBilinearOptions' | 'ResizeNearestNeighborOptions', alignSlot: number, halfSlot: number): OptionsCodec {
  return {
    table,
    encode: (b, a) => new TableWriter(b, halfSlot).bool(alignSlot, a.alignCorners ?? false).bool(halfSlot, a.halfPixelCenters ?? false).end(),
    decode: (r, t) => {
      const f = new Fields(r, t);
      return { alignCorners: f.bool(alignSlot), halfPixelCenters: f.bool(halfSlot) };
    },
  };
}

export const CODECS = {
  conv2d: {
    table: 'Conv2DOptions',
    encode: (b, a) =>
      new TableWriter(b, 16)
        .u8(4, padCode(a))
        .i32(6, a.strideW ?? 1)
        .i32(8, a.strideH ?? 1)
        .u8(10, actCode(a))
        .i32(12, a.dilationW ?? 1, 1)
        .i32(14, a.dilationH ?? 1, 1)
        .u8(16, biasTypeCode(a))
        .end(),
    decode: (r, t) => {
      const f = new Fields(r, t);
      return {
        padding: padName(f.u8(4)),
        strideW: f.i32(6),
        strideH: f.i32(8),
        activation: actName(f.u8(10)),
        dilationW: f.i32(12, 1),
        dilationH: f.i32(14, 1),
        ...biasType(f, 16),
      };
    },
  },
  conv3d: {
    table: 'Conv3DOptions',
    encode: (b, a) =>
      new TableWriter(b, 18)
        .u8(4, padCode(a))
        .i32(6, a.strideD ?? 1)
        .i32(8, a.strideW ?? 1)
        .i32(10, a.strideH ?? 1)
        .u8(12, actCode(a))
        .i32(14, a.dilationD ?? 1, 1)
        .i32(16, a.dilationW ?? 1, 1)
        .i32(18, a.dilationH ?? 1, 1)
        .end(),
    decode: (r, t) => {
      const f = new Fields(r, t);
      return {
        padding: padName(f.u8(4)),
        strideD: f.i32(6),
        strideW: f.i32(8),
        strideH: f.i32(10),
        activation: actName(f.u8(12)),
        dilationD: f.i32(14, 1),
        dilationW: f.i32(16, 1),
        dilationH: f.i32(18, 1),
      };
    },
  },
  depthwise: {
    table: 'DepthwiseConv2DOptions',
    encode: (b, a) =>
      new TableWriter(b, 16)
        .u8(4, padCode(a))
        .i32(6, a.strideW ?? 1)
        .i32(8, a.strideH ?? 1)
        .i32(10, a.depthMultiplier ?? 1)
        .u8(12, actCode(a))
        .i32(14, a.dilationW ?? 1, 1)
        .i32(16, a.dilationH ?? 1, 1)
        .end(),
    decode: (r, t) => {
      const f = new Fields(r, t);
      return {
        padding: padName(f.u8(4)),
        strideW: f.i32(6),
        strideH: f.i32(8),
        depthMultiplier: f.i32(10),
        activation: actName(f.u8(12)),
        dilationW: f.i32(14, 1),
        dilationH: f.i32(16, 1),
      };
    },
  },
  fullyConnected: {
    table: 'FullyConnectedOptions',
    encode: (b, a) =>
      new TableWriter(b, 12)
        .u8(4, actCode(a))
        .u8(6, a.weightsFormat === 'SHUFFLED4x16INT8' ? 1 : undefined)
        .bool(8, a.keepNumDims ?? false)
        .bool(10, a.asymmetricQuantizeInputs)
        .u8(12, biasTypeCode(a))
        .end(),
    decode: (r, t) => {
      const f = new Fields(r, t);
      const out: Attrs = { activation: actName(f.u8(4)), keepNumDims: f.bool(8) };
      const format = f.u8(6);
      if (format === 1) out.weightsFormat = 'SHUFFLED4x16INT8';
      else if (format !== 0) throw new FbDecodeError(`unknown FULLY_CONNECTED weights format ${format}`);
      if (f.bool(10)) out.asymmetricQuantizeInputs = true;
      return { ...out, ...biasType(f, 12) };
    },
  },
  add: addSub('AddOptions'),
  sub: addSub('SubOptions'),
  mul: activationOnly('MulOptions'),
  div: activationOnly('DivOptions'),
  concatenation: {
    table: 'ConcatenationOptions',
    encode: (b, a) => new TableWriter(b, 6).i32(4, a.axis ?? 0).u8(6, actCode(a)).end(),
    decode: (r, t) => {
      const f = new Fields(r, t);
      return { axis: f.i32(4), activation: actName(f.u8(6)) };
    },
  },
  pool2d: {
    table: 'Pool2DOptions',
    encode: (b, a) =>
      new TableWriter(b, 14)
        .u8(4, padCode(a))
        .i32(6, a.strideW ?? 1)
        .i32(8, a.strideH ?? 1)
        .i32(10, a.filterW ?? 1)
        .i32(12, a.filterH ?? 1)
        .u8(14, actCode(a))
        .end(),
    decode: (r, t) => {
      const f = new Fields(r, t);
      return {
        padding: padName(f.u8(4)),
        strideW: f.i32(6),
        strideH: f.i32(8),
        filterW: f.i32(10),
        filterH: f.i32(12),
        activation: actName(f.u8(14)),
      };
    },
  },
  reducer: {
    table: 'ReducerOptions',
    encode: (b, a) => new TableWriter(b, 4).bool(4, a.keepDims ?? false).end(),
    decode: (r, t) => ({ keepDims: new Fields(r, t).bool(4) }),
  },
  // ResizeBilinearOptions' deprecated new_height / new_width still own slots 4 and 6.
  resizeBilinear: resizeCodec('ResizeBilinearOptions', 8, 10),
  resizeNearest: resizeCodec('ResizeNearestNeighborOptions', 4, 6),
  reshape: {
    table: 'ReshapeOptions',
    encode: (b, a) => {
      const v = a.newShape ? int32Vector(b, a.newShape) : 0;
      return new TableWriter(b, 4).offset(4, v).end();
    },
    decode: (r, t) => {
      const s = new Fields(r, t).ints(4, 'ReshapeOptions.new_shape');
      return s ? { newShape: s } : {};
    },
  },
  softmax: {
    table: 'SoftmaxOptions',
    encode: (b, a) => new TableWriter(b, 4).f32(4, a.beta ?? 1).end(),
    decode: (r, t) => ({ beta: new Fields(r, t).f32(4) }),
  },
  batchMatMul: {
    table: 'BatchMatMulOptions',
    encode: (b, a) => new TableWriter(b, 8).bool(4, a.adjX ?? false).bool(6, a.adjY ?? false).bool(8, a.asymmetricQuantizeInputs).end(),
    decode: (r, t) => {
      const f = new Fields(r, t);
      return { adjX: f.bool(4), adjY: f.bool(6), ...(f.bool(8) ? { asymmetricQuantizeInputs: true } : {}) };
    },
  },
  mirrorPad: {
    table: 'MirrorPadOptions',
    encode: (b, a) => new TableWriter(b, 4).u8(4, MIRROR_PAD_MODE[a.mirrorMode ?? 'REFLECT']).end(),
    decode: (r, t) => {
      const code = new Fields(r, t).u8(4);
      const m = MIRROR_NAME.get(code);
      if (!m) throw new FbDecodeError(`unknown mirror pad mode ${code}`);
      return { mirrorMode: m };
    },
  },
  cast: {
    table: 'CastOptions',
    // Types are written even when FLOAT32 (the default) so that their presence round-trips.
    encode: (b, a) =>
      new TableWriter(b, 6)
        .u8(4, a.inDataType === undefined ? undefined : tensorTypeOf(a.inDataType as DType), -1)
        .u8(6, a.outDataType === undefined ? undefined : tensorTypeOf(a.outDataType as DType), -1)
        .end(),
    decode: (r, t) => {
      const f = new Fields(r, t);
      const out: Attrs = {};
      if (f.has(4)) out.inDataType = dtypeName(f.u8(4));
      if (f.has(6)) out.outDataType = dtypeName(f.u8(6));
      return out;
    },
  },
  transposeConv: {
    table: 'TransposeConvOptions',
    encode: (b, a) =>
      new TableWriter(b, 12)
        .u8(4, padCode(a))
        .i32(6, a.strideW ?? 1)
        .i32(8, a.strideH ?? 1)
        .u8(10, actCode(a))
        .u8(12, biasTypeCode(a))
        .end(),
    decode: (r, t) => {
      const f = new Fields(r, t);
      return { padding: padName(f.u8(4)), strideW: f.i32(6), strideH: f.i32(8), activation: actName(f.u8(10)), ...biasType(f, 12) };
    },
  },
  stridedSlice: {
    table: 'StridedSliceOptions',
    encode: (b, a) =>
      new TableWriter(b, 14)
        .i32(4, a.beginMask ?? 0)
        .i32(6, a.endMask ?? 0)
        .i32(8, a.ellipsisMask ?? 0)
        .i32(10, a.newAxisMask ?? 0)
        .i32(12, a.shrinkAxisMask ?? 0)
        .bool(14, a.offset ?? false)
        .end(),
    decode: (r, t) => {
      const f = new Fields(r, t);
      return {
        beginMask: f.i32(4),
        endMask: f.i32(6),
        ellipsisMask: f.i32(8),
        newAxisMask: f.i32(10),
        shrinkAxisMask: f.i32(12),
        offset: f.bool(14),
      };
    },
  },
  split: {
    table: 'SplitOptions',
    encode: (b, a) => new TableWriter(b, 4).i32(4, a.numSplits ?? 1).end(),
    decode: (r, t) => ({ numSplits: new Fields(r, t).i32(4) }),
  },
  splitV: {
    table: 'SplitVOptions',
    encode: (b, a) => new TableWriter(b, 4).i32(4, a.numSplits ?? 1).end(),
    decode: (r, t) => ({ numSplits: new Fields(r, t).i32(4) }),
  },
  gather: {
    table: 'GatherOptions',
    encode: (b, a) => new TableWriter(b, 6).i32(4, a.axis ?? 0).i32(6, a.batchDims ?? 0).end(),
    decode: (r, t) => {
      const f = new Fields(r, t);
      return { axis: f.i32(4), batchDims: f.i32(6) };
    },
  },
  leakyRelu: {
    table: 'LeakyReluOptions',
    encode: (b, a) => new TableWriter(b, 4).f32(4, a.alpha ?? 0.2).end(),
    decode: (r, t) => ({ alpha: new Fields(r, t).f32(4) }),
  },
  gelu: {
    table: 'GeluOptions',
    encode: (b, a) => new TableWriter(b, 4).bool(4, a.approximate ?? false).end(),
    decode: (r, t) => ({ approximate: new Fields(r, t).bool(4) }),
  },
  depthToSpace: {
    table: 'DepthToSpaceOptions',
    encode: (b, a) => new TableWriter(b, 4).i32(4, a.blockSize ?? 2).end(),
    decode: (r, t) => ({ blockSize: new Fields(r, t).i32(4) }),
  },
  spaceToDepth: {
    table: 'SpaceToDepthOptions',
    encode: (b, a) => new TableWriter(b, 4).i32(4, a.blockSize ?? 2).end(),
    decode: (r, t) => ({ blockSize: new Fields(r, t).i32(4) }),
  },
  squeeze: {
    table: 'SqueezeOptions',
    encode: (b, a) => {
      const v = int32Vector(b, a.squeezeDims ?? []);
      return new TableWriter(b, 4).offset(4, v).end();
    },
    decode: (r, t) => ({ squeezeDims: new Fields(r, t).ints(4, 'SqueezeOptions.squeeze_dims') ?? [] }),
  },
  argMax: argOptions('ArgMaxOptions'),
  argMin: argOptions('ArgMinOptions'),
  floorDiv: empty('FloorDivOptions'),
  floorMod: empty('FloorModOptions'),
  gatherNd: empty('GatherNdOptions'),
  scatterNd: empty('ScatterNdOptions'),
  pad: empty('PadOptions'),
  padV2: empty('PadV2Options'),
  transpose: empty('TransposeOptions'),
  quantize: empty('QuantizeOptions'),
  dequantize: empty('DequantizeOptions'),
  maxMin: empty('MaximumMinimumOptions'),
  exp: empty('ExpOptions'),
  less: empty('LessOptions'),
  greater: empty('GreaterOptions'),
  equal: empty('EqualOptions'),
  lessEqual: empty('LessEqualOptions'),
  greaterEqual: empty('GreaterEqualOptions'),
  notEqual: empty('NotEqualOptions'),
  logicalAnd: empty('LogicalAndOptions'),
  logicalOr: empty('LogicalOrOptions'),
  logicalNot: empty('LogicalNotOptions'),
  neg: empty('NegOptions'),
  slice: empty('SliceOptions'),
  tile: empty('TileOptions'),
  expandDims: empty('ExpandDimsOptions'),
  pow: empty('PowOptions'),
  squaredDifference: empty('SquaredDifferenceOptions'),
  abs: empty('AbsOptions'),
  hardSwish: empty('HardSwishOptions'),
  selectV2: empty('SelectV2Options'),
  fill: empty('FillOptions'),
  range: empty('RangeOptions'),
  topkV2: empty('TopKV2Options'),
  cumsum: {
    table: 'CumsumOptions',
    encode: (b, a) => new TableWriter(b, 6).bool(4, a.exclusive ?? false).bool(6, a.reverse ?? false).end(),
    decode: (r, t) => {
      const f = new Fields(r, t);
      return { exclusive: f.bool(4), reverse: f.bool(6) };
    },
  },
  oneHot: {
    table: 'OneHotOptions',
    encode: (b, a) => new TableWriter(b, 4).i32(4, a.axis ?? 0).end(),
    decode: (r, t) => ({ axis: new Fields(r, t).i32(4) }),
  },
} satisfies Record<string, OptionsCodec>;
