/**
 * The conformance I/O adapter: LiteRT.js feeds and returns float32 / int32 / uint8 only, so a
 * converted test model with other I/O dtypes (int8, int64, float16, bool, …) is wrapped in LiteRT's
 * own CAST kernel at the boundary — input fed as a carrier dtype → CAST → the converted model's
 * input; output → CAST → carrier. Every carrier holds the test data exactly (int8/int16/uint16 and
 * int64 values that fit int32 in int32; float16 in float32; bool as uint8), so the converted model
 * itself sees exactly the test's inputs and its outputs are compared exactly (integers) or at the
 * suite's float tolerance. float64 never reaches the adapter: the converter imports float64 as float32
 * (src/convert/onnx/float64.ts), so those inputs / outputs are float32 tensors already, and run-case.ts
 * feeds float64 test data as float32 (not runnable when float32 cannot hold it). LiteRT's CAST has no
 * uint64 case, so uint64 goes through int64 and a BITCAST (bits reinterpreted). Cases whose data does
 * not fit a carrier stay not runnable.
 */
import type { DType } from '../../../src/ir/dtype.js';
import type { Graph } from '../../../src/ir/graph.js';

export const FEEDABLE: ReadonlySet<DType> = new Set<DType>(['float32', 'int32', 'uint8']);

/** Carrier dtype LiteRT.js can feed/return for a TFLite tensor dtype, or undefined. */
export function carrierOf(dtype: DType): DType | undefined {
  if (FEEDABLE.has(dtype)) return dtype;
  switch (dtype) {
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int64':
    case 'uint32':
    case 'uint64':
      return 'int32';
    case 'float16':
      return 'float32';
    case 'bool':
      return 'uint8';
    default:
      return undefined;
  }
}

export interface AdaptedIo {
  /** Converted-model tensors that got a CAST at the boundary, with the carrier used. */
  adapted: Array<{ tensor: string; from: DType; carrier: DType; side: 'input' | 'output' }>;
  /** The first I/O tensor no carrier can hold, if any. */
  impossible?: { tensor: string; dtype: DType; side: 'input' | 'output' };
}

/** Wraps graph inputs/outputs whose dtype LiteRT.js cannot feed/return in CAST ops (in place). */
export function adaptIo(g: Graph): AdaptedIo {
  const out: AdaptedIo = { adapted: [] };
  g.inputs = g.inputs.map((name) => {
    const t = g.tensor(name);
    if (FEEDABLE.has(t.dtype)) return name;
    const carrier = carrierOf(t.dtype);
    if (!carrier) {
      out.impossible ??= { tensor: name, dtype: t.dtype, side: 'input' };
      return name;
    }
    const fed = g.uniqueName(`${name}_fed_${carrier}`);
    g.addTensor({ name: fed, dtype: carrier, shape: [...t.shape], layout: t.layout });
    if (t.dtype === 'uint64') {
      // int32 → CAST → int64 → BITCAST → uint64 (exact for the values the int32 carrier holds)
      const wide = g.uniqueName(`${name}_fed_int64`);
      g.addTensor({ name: wide, dtype: 'int64', shape: [...t.shape], layout: t.layout });
      g.nodes.unshift({ name: g.uniqueName(`${name}_adapter_cast`), op: 'CAST', inputs: [fed], outputs: [wide], attrs: {} }, { name: g.uniqueName(`${name}_adapter_bitcast`), op: 'BITCAST', inputs: [wide], outputs: [name], attrs: {} });
    } else g.nodes.unshift({ name: g.uniqueName(`${name}_adapter_cast`), op: 'CAST', inputs: [fed], outputs: [name], attrs: {} });
    if (g.signature) for (const s of g.signature.inputs) if (s.tensor === name) s.tensor = fed;
    out.adapted.push({ tensor: name, from: t.dtype, carrier, side: 'input' });
    return fed;
  });
  g.outputs = g.outputs.map((name) => {
    const t = g.tensor(name);
    if (FEEDABLE.has(t.dtype)) return name;
    const carrier = carrierOf(t.dtype);
    if (!carrier) {
      out.impossible ??= { tensor: name, dtype: t.dtype, side: 'output' };
      return name;
    }
    const ret = g.uniqueName(`${name}_as_${carrier}`);
    g.addTensor({ name: ret, dtype: carrier, shape: [...t.shape], layout: t.layout });
    if (t.dtype === 'uint64') {
      // uint64 → BITCAST → int64 → CAST → int32 (values beyond int32 are compared, and fail, as int64 outputs do)
      const bits = g.uniqueName(`${name}_bits_int64`);
      g.addTensor({ name: bits, dtype: 'int64', shape: [...t.shape], layout: t.layout });
      g.nodes.push({ name: g.uniqueName(`${name}_adapter_bitcast`), op: 'BITCAST', inputs: [name], outputs: [bits], attrs: {} }, { name: g.uniqueName(`${name}_adapter_cast`), op: 'CAST', inputs: [bits], outputs: [ret], attrs: {} });
    } else g.nodes.push({ name: g.uniqueName(`${name}_adapter_cast`), op: 'CAST', inputs: [name], outputs: [ret], attrs: {} });
    if (g.signature) for (const s of g.signature.outputs) if (s.tensor === name) s.tensor = ret;
    out.adapted.push({ tensor: name, from: t.dtype, carrier, side: 'output' });
    return ret;
  });
  return out;
}
