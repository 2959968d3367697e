/**
 * One ONNX conformance case: model.onnx + test_data_set_0/{input,output}_N.pb →
 * convert (keepIoLayout: NCHW I/O as the test data) → LiteRT → compare.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { convert } from '../../../src/convert/index.js';
import { isMaiError } from '../../../src/core/errors.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import type { HostTensor } from '../../../src/runtime/types.js';
import { decodeTensorProto, type DecodedTensor } from '../../helpers/onnx-tensor.js';
import type { DType } from '../../../src/ir/dtype.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { onnxDType } from '../../../src/convert/onnx/tensor-data.js';
import { adaptIo } from './io-adapter.js';
import { emptyIo } from '../../../src/convert/onnx/empty.js';
import { readTflite } from '../../../src/tflite/reader.js';
import { firstBeyondFloat32 } from '../../../src/convert/onnx/float64.js';
import { TO_NCHW, TO_NHWC } from '../../../src/convert/onnx/layout.js';
import { permuteData, permuteShape } from '../../../src/ir/ndarray.js';

const { onnx } = onnxProto;

export type CaseStatus = 'passed' | 'failed' | 'rejected' | 'not-runnable';

export interface CaseResult {
  name: string;
  /** The test's op types (Constant excluded unless alone). */
  op: string;
  status: CaseStatus;
  reason?: string;
  /** Inputs other than the first were given as constants (TFLite weights are static). */
  frozenInputs?: boolean;
  maxAbsError?: number;
  /** I/O tensors carried through LiteRT's CAST at the boundary (see io-adapter.ts). */
  ioAdapter?: string;
}

/** Absolute + relative tolerance for float outputs: |got − want| ≤ ATOL + RTOL·|want|. */
export const ATOL = 1e-7; // the ONNX backend test default (rtol 1e-3, atol 1e-7)
export const RTOL = 1e-3;

export function caseOps(model: Uint8Array): string[] {
  const m = onnx.ModelProto.decode(model);
  const types = [...new Set((m.graph?.node ?? []).map((n) => n.opType ?? ''))];
  const main = types.filter((t) => t !== 'Constant');
  return main.length ? main : types;
}

/**
 * ONNX element types of the case's graph inputs, outputs and initializers that mai does not import
 * (bfloat16, float8/4, int4/2, string…: no TFLite tensor type holds them). A case using one is out of
 * scope: its ops may be covered, its data types are not.
 */
export function unsupportedDtypes(model: Uint8Array): number[] {
  const g = onnx.ModelProto.decode(model).graph;
  const codes = [
    ...[...(g?.input ?? []), ...(g?.output ?? [])].map((vi) => vi.type?.tensorType?.elemType ?? 0),
    ...(g?.initializer ?? []).map((t) => t.dataType ?? 0),
  ];
  return [...new Set(codes.filter((c) => { const d = onnxDType(c); return !d || d === 'string'; }))];
}

function readSet(dir: string, prefix: 'input' | 'output'): DecodedTensor[] {
  const files = readdirSync(dir).filter((f) => f.startsWith(`${prefix}_`) && f.endsWith('.pb'));
  files.sort((a, b) => Number(a.slice(prefix.length + 1, -3)) - Number(b.slice(prefix.length + 1, -3)));
  return files.map((f) => decodeTensorProto(readFileSync(join(dir, f))));
}

function realInputNames(model: Uint8Array): string[] {
  const m = onnx.ModelProto.decode(model);
  const inits = new Set((m.graph?.initializer ?? []).map((t) => t.name ?? ''));
  return (m.graph?.input ?? []).map((vi) => vi.name ?? '').filter((n) => !inits.has(n));
}

function outputNames(model: Uint8Array): string[] {
  return (onnx.ModelProto.decode(model).graph?.output ?? []).map((vi) => vi.name ?? '');
}

/** The model with graph inputs 1..n replaced by initializers holding the raw test-data TensorProtos. */
function freeze(model: Uint8Array, dataDir: string, names: string[]): Uint8Array {
  const m = onnx.ModelProto.decode(model);
  const g = m.graph!;
  const frozen = names.slice(1);
  g.input = (g.input ?? []).filter((vi) => !frozen.includes(vi.name ?? ''));
  g.initializer = g.initializer ?? [];
  frozen.forEach((name, k) => {
    const t = onnx.TensorProto.decode(readFileSync(join(dataDir, `input_${k + 1}.pb`)));
    t.name = name;
    g.initializer!.push(t);
  });
  return onnx.ModelProto.encode(m).finish();
}

function compare(want: DecodedTensor, got: HostTensor): { ok: boolean; reason?: string; maxAbs: number } {
  const w = want.values!;
  const g = got.data as ArrayLike<number>;
  if (g.length !== w.length) return { ok: false, reason: `output '${want.name}' has ${g.length} elements, expected ${w.length} [${want.shape}]`, maxAbs: Infinity };
  // the shape LiteRT actually returned (in ONNX order), not only its element count
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) return { ok: false, reason: `output '${want.name}' has shape [${got.shape}], expected [${want.shape}]`, maxAbs: Infinity };
  const exact = !(want.dtype === 'float32' || want.dtype === 'float64' || want.dtype === 'float16');
  let maxAbs = 0;
  let bad = -1;
  for (let i = 0; i < w.length; i++) {
    const a = Number(g[i]);
    const e = w[i]!;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!Number.isFinite(e) || !Number.isFinite(a)) {
      if (a !== e && bad < 0) bad = i;
      continue;
    }
    const d = Math.abs(a - e);
    maxAbs = Math.max(maxAbs, d);
    if ((exact ? d !== 0 : d > ATOL + RTOL * Math.abs(e)) && bad < 0) bad = i;
  }
  if (bad >= 0) return { ok: false, reason: `output '${want.name}'[${bad}] = ${Number(g[bad])}, expected ${w[bad]} (max |err| ${maxAbs.toExponential(2)})`, maxAbs };
  return { ok: true, maxAbs };
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

function firstLine(e: unknown): string {
  const m = isMaiError(e) ? `${e.code}: ${e.message}${e.diagnostics.length ? ` — ${e.diagnostics.map((d) => `${d.reason}: ${d.message}`).join('; ')}` : ''}` : `${(e as Error).name}: ${(e as Error).message}`;
  return m.split('\n')[0]!.slice(0, 400);
}

function requiresConstant(e: unknown): boolean {
  return isMaiError(e) && (e.code === 'requires-constant-input' || e.diagnostics.some((d) => d.reason === 'requires-constant-input'));
}

/** Converts with the test data's input shapes (what a user passes as --input-shape for dynamic dims). */
function convertCase(bytes: Uint8Array, name: string, inputShapes: Record<string, number[]>, keepIoLayout: boolean) {
  return convert({ bytes, file: `${name}/model.onnx`, inputShapes, keepIoLayout, verifyPasses: true });
}

/**
 * Why float64 test data cannot be held by the float32 the converted model takes (float64 is imported as
 * float32, src/convert/onnx/float64.ts): a finite value beyond float32's range (it would become
 * ±Infinity), or a non-zero one below its smallest subnormal (it would become 0: the float32 model
 * never receives the test's value). Undefined when every value fits.
 */
export function float64Unfit(t: DecodedTensor): string | undefined {
  if (t.dtype !== 'float64' || !t.values) return undefined;
  const big = firstBeyondFloat32(t.values);
  if (big >= 0) return `float64 value ${t.values[big]} is beyond float32's range (±3.4028235e38)`;
  const tiny = t.values.find((x) => x !== 0 && Math.fround(x) === 0);
  return tiny === undefined ? undefined : `float64 value ${tiny} is below float32's smallest subnormal (1.4e-45) and would be fed as 0`;
}

/** Test data in the carrier dtype the adapted input takes; undefined when a value does not fit it. */
function carried(t: DecodedTensor, carrier: DType): HostTensor['data'] | undefined {
  const v = t.values;
  if (!v) return undefined;
  if (carrier === 'float32') return float64Unfit(t) ? undefined : Float32Array.from(v);
  if (carrier === 'uint8') return v.every((x) => Number.isInteger(x) && x >= 0 && x <= 255) ? Uint8Array.from(v) : undefined;
  if (carrier === 'int32') return v.every((x) => Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31) ? Int32Array.from(v) : undefined;
  return undefined;
}

/** A passing case's converted model and the feeds it passed with (the WebGPU delegate test reruns them in Chromium). */
export interface PassedCase {
  tflite: Uint8Array;
  feeds: HostTensor[];
}

export interface RunCaseOptions {
  /**
   * Convert through the default path (4-D I/O in NHWC): the NCHW test inputs are transposed to NHWC
   * and NHWC outputs back before comparing. Default: keepIoLayout (NCHW I/O like the test data).
   */
  nhwcIo?: boolean;
  /** Called with a passing case's model and feeds (the WebGPU delegate test reruns them in Chromium). */
  onPassed?: (c: PassedCase) => void;
}

/** `data` of a tensor with ONNX `shape`, permuted when the converted I/O tensor is NHWC. */
function toLayout(data: HostTensor['data'], dtype: DType, shape: number[], nhwc: boolean, perm: readonly number[]): HostTensor['data'] {
  return nhwc && shape.length === 4 ? (permuteData(dtype, data, shape, perm) as HostTensor['data']) : data;
}

export async function runCase(dir: string, opts: RunCaseOptions = {}): Promise<CaseResult> {
  const keepIoLayout = !opts.nhwcIo;
  const name = dir.split('/').pop()!;
  const model: Uint8Array = new Uint8Array(readFileSync(join(dir, 'model.onnx')));
  const op = caseOps(model).join('+');
  const dataDir = join(dir, 'test_data_set_0');
  if (!existsSync(dataDir)) return { name, op, status: 'not-runnable', reason: 'no test_data_set_0' };
  const inputs = readSet(dataDir, 'input');
  const outputs = readSet(dataDir, 'output');
  const inNames = realInputNames(model);
  const outNames = outputNames(model);

  const shapes = (fed: DecodedTensor[]) => Object.fromEntries(fed.map((t, i) => [inNames[i]!, t.shape] as const));
  // Convert first: a converter refusal is `rejected` whatever the I/O dtypes.
  let bytes: Uint8Array = model;
  let frozenInputs = false;
  let fed = inputs;
  let converted: ReturnType<typeof convertCase>;
  try {
    converted = convertCase(bytes, name, shapes(fed), keepIoLayout);
  } catch (e) {
    if (inputs.length > 1 && requiresConstant(e)) {
      bytes = freeze(model, dataDir, inNames);
      frozenInputs = true;
      fed = inputs.slice(0, 1);
      try {
        converted = convertCase(bytes, name, shapes(fed), keepIoLayout);
      } catch (e2) {
        return { name, op, status: isMaiError(e2) ? 'rejected' : 'failed', reason: firstLine(e2), frozenInputs };
      }
    } else return { name, op, status: isMaiError(e) ? 'rejected' : 'failed', reason: firstLine(e), frozenInputs };
  }

  const undecodable = outputs.find((t) => !t.values);
  if (undecodable) return { name, op, status: 'not-runnable', reason: `expected output dtype ${undecodable.dtype}: the test data cannot be decoded for comparison`, frozenInputs };
  // float64 inputs are imported as float32 (src/convert/onnx/float64.ts): test data float32 cannot hold is not fed
  for (const [i, t] of fed.entries()) {
    const unfit = float64Unfit(t);
    if (unfit) return { name, op, status: 'not-runnable', reason: `input '${inNames[i]}': ${unfit}; the converted model computes float64 as float32 and takes float32 inputs`, frozenInputs };
  }
  // a float64 result beyond float32's range cannot come out of the float32 the converted model computes in
  const tooBig = outputs.find((t) => t.dtype === 'float64' && firstBeyondFloat32(t.values!) >= 0);
  if (tooBig) {
    const x = tooBig.values![firstBeyondFloat32(tooBig.values!)]!;
    return { name, op, status: 'not-runnable', reason: `expected output '${tooBig.name}' holds float64 value ${x}, beyond float32's range (±3.4028235e38): the converted model computes float64 as float32`, frozenInputs };
  }
  const adapter = adaptIo(converted.graph);
  if (adapter.impossible) {
    const i = adapter.impossible;
    return { name, op, status: 'not-runnable', reason: `${i.side} '${i.tensor}' is ${i.dtype}: LiteRT.js I/O takes float32/int32/uint8 and no exact carrier exists`, frozenInputs };
  }
  const tflite = adapter.adapted.length ? writeTflite(converted.graph) : converted.tflite;
  const g = converted.graph;
  const isNhwc = (side: 'inputs' | 'outputs', ioName: string): boolean => {
    const t = g.signature?.[side].find((s) => s.name === ioName)?.tensor;
    return !!t && g.hasTensor(t) && g.tensor(t).layout === 'NHWC';
  };
  const ioAdapter = adapter.adapted.length ? adapter.adapted.map((a) => `${a.side} ${a.from}→${a.carrier}`).join(', ') : undefined;

  let loaded;
  try {
    loaded = await liteRtRuntime.load(tflite);
  } catch (e) {
    return { name, op, status: 'failed', reason: `LiteRT load: ${firstLine(e)}${ioAdapter ? ` (I/O adapter: ${ioAdapter})` : ''}`, frozenInputs, ioAdapter };
  }
  try {
    // ONNX inputs / outputs with no elements are not in the .tflite (LiteRT cannot feed or return empty
    // tensors; src/convert/onnx/empty.ts): the model's metadata lists them, and they are checked against the test data here
    const empty = emptyIo(readTflite(tflite));
    const emptyIn = new Map(empty.inputs.map((t) => [t.name, t] as const));
    const emptyOut = new Map(empty.outputs.map((t) => [t.name, t] as const));
    for (const [i, t] of fed.entries()) {
      const e = emptyIn.get(inNames[i]!);
      if (e && (t.values?.length !== 0 || !sameShape(t.shape, e.shape))) return { name, op, status: 'failed', reason: `input '${e.name}' was left out as empty [${e.shape}], but the test feeds [${t.shape}]`, frozenInputs, ioAdapter };
    }
    const kept = fed.filter((_, i) => !emptyIn.has(inNames[i]!));
    const details = loaded.inputs();
    const byName = new Map(inNames.slice(0, fed.length).map((n, i) => [n, fed[i]!] as const));
    const feeds: HostTensor[] = [];
    for (let i = 0; i < details.length; i++) {
      const d = details[i]!;
      const t = byName.get(d.name) ?? kept[i]!;
      const data = carried(t, d.dtype);
      if (!data) return { name, op, status: 'not-runnable', reason: `input '${d.name}' (${t.dtype}) does not fit the ${d.dtype} LiteRT.js feeds`, frozenInputs, ioAdapter };
      const want = d.shape.reduce((a, b) => a * b, 1);
      if (data.length !== want) return { name, op, status: 'failed', reason: `input '${d.name}' [${d.shape}] vs test data of ${data.length} elements`, frozenInputs, ioAdapter };
      feeds.push({ name: d.name, dtype: d.dtype, shape: d.shape, data: toLayout(data, d.dtype, t.shape, isNhwc('inputs', d.name), TO_NHWC) });
    }
    const got = await loaded.run(feeds);
    const outDetails = loaded.outputs();
    let maxAbs = 0;
    const keptOut = outNames.filter((n) => !emptyOut.has(n));
    for (let i = 0; i < outputs.length; i++) {
      const onnxName = outNames[i] ?? '';
      const e = emptyOut.get(onnxName);
      if (e) {
        const want = outputs[i]!;
        if (want.values!.length !== 0 || !sameShape(want.shape, e.shape) || want.dtype !== e.dtype) {
          return { name, op, status: 'failed', reason: `output '${onnxName}' was left out as empty ${e.dtype} [${e.shape}], expected ${want.dtype} [${want.shape}] with ${want.values!.length} elements`, frozenInputs, ioAdapter };
        }
        continue;
      }
      const j = outDetails.findIndex((d) => d.name === onnxName);
      const out = got[j >= 0 ? j : keptOut.indexOf(onnxName)]!;
      const nchw = isNhwc('outputs', onnxName) ? { ...out, shape: permuteShape(out.shape, TO_NCHW), data: toLayout(out.data, out.dtype, out.shape, true, TO_NCHW) } : out;
      const r = compare({ ...outputs[i]!, name: onnxName }, nchw);
      maxAbs = Math.max(maxAbs, r.maxAbs);
      if (!r.ok) return { name, op, status: 'failed', reason: r.reason, frozenInputs, maxAbsError: maxAbs, ioAdapter };
    }
    opts.onPassed?.({ tflite, feeds });
    return { name, op, status: 'passed', frozenInputs, maxAbsError: maxAbs, ioAdapter };
  } catch (e) {
    return { name, op, status: 'failed', reason: `LiteRT run: ${firstLine(e)}`, frozenInputs, ioAdapter };
  } finally {
    await loaded.dispose();
  }
}
