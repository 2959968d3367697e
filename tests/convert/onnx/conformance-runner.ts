/**
 * Runs the ONNX backend conformance models (../shared/onnx-conformance/node) whose ops are all in
 * this issue's op list: import, write with writeTflite, run in LiteRT.js, compare with the suite's
 * expected outputs by the ONNX backend test's own rule, |actual − expected| ≤ atol + rtol·|expected|
 * with rtol = 1e-3, atol = 1e-7 (the suite stores some expected values rounded to 4 decimals, so a
 * range-relative 1e-4 bound would fail correct results).
 * Models whose weights/parameters are graph inputs are retried with every input but the first
 * frozen into initializers from the test data (TFLite needs them constant); reported as such.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pkg from 'onnx-proto';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { readTensorProto } from '../../../src/convert/onnx/tensor-data.js';
import { permuteData, permuteShape, TO_NCHW, TO_NHWC } from '../../../src/convert/onnx/layout.js';
import { ONNX_OPS } from '../../../src/convert/onnx/ops/index.js';
import { isMaiError } from '../../../src/core/errors.js';
import { assertValid } from '../../../src/ir/verify.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import type { HostTensor } from '../../../src/runtime/types.js';
import { writeTflite } from '../../../src/tflite/writer.js';

const { onnx } = pkg;

export const CONFORMANCE_DIR = join(process.cwd(), '..', 'shared', 'onnx-conformance', 'node');
export const RTOL = 1e-3;
export const ATOL = 1e-7;

/** The ops of issue 2 (Constant appears in many test models as a helper). */
export const ISSUE_OPS = new Set([
  'Conv', 'BatchNormalization', 'Relu', 'Clip', 'Sigmoid', 'Tanh', 'Add', 'Sub', 'Mul', 'Div', 'Concat', 'MaxPool',
  'AveragePool', 'GlobalAveragePool', 'Resize', 'Upsample', 'Reshape', 'Flatten', 'Transpose', 'Softmax', 'Gemm',
  'MatMul', 'Identity', 'Dropout', 'Constant',
]);

/** max over elements of |a − e| / (atol + rtol·|e|): ≤ 1 passes. */
function allcloseRatio(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    const r = Number.isNaN(d) ? (Number.isNaN(expected[i]!) && Number.isNaN(actual[i]!) ? 0 : Infinity) : d / (ATOL + RTOL * Math.abs(expected[i]!));
    worst = Math.max(worst, d === 0 ? 0 : r);
  }
  return worst;
}

export type Outcome = 'pass' | 'pass-frozen' | 'rejected' | 'fail' | 'skipped';
export interface CaseResult {
  name: string;
  ops: string[];
  outcome: Outcome;
  detail: string;
  error?: number;
}

const SUPPORTED = new Set(ONNX_OPS.map((r) => r.onnxOp).filter((o) => ISSUE_OPS.has(o)));
const LITERT_IO = new Set(['float32', 'int32', 'uint8']);

export function conformanceAvailable(): boolean {
  return existsSync(CONFORMANCE_DIR);
}

/** Test directories whose every node is an op of our table (default domain). */
export function coveredCases(): Array<{ name: string; ops: string[] }> {
  const out: Array<{ name: string; ops: string[] }> = [];
  for (const name of readdirSync(CONFORMANCE_DIR).sort()) {
    const file = join(CONFORMANCE_DIR, name, 'model.onnx');
    if (!existsSync(file)) continue;
    let model;
    try {
      model = onnx.ModelProto.decode(readFileSync(file));
    } catch {
      continue;
    }
    const nodes = model.graph?.node ?? [];
    if (!nodes.length || !nodes.every((n) => !n.domain && SUPPORTED.has(n.opType ?? ''))) continue;
    out.push({ name, ops: [...new Set(nodes.map((n) => n.opType ?? ''))] });
  }
  return out;
}

function readPbs(dir: string, prefix: string) {
  const files = readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
    .sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3)));
  return files.map((f) => onnx.TensorProto.decode(readFileSync(join(dir, f))));
}

/** Freezes graph inputs 1.. into initializers holding the test data. */
function freeze(bytes: Uint8Array, inputs: ReturnType<typeof readPbs>): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const g = model.graph!;
  const real = (g.input ?? []).filter((vi) => !(g.initializer ?? []).some((t) => t.name === vi.name));
  const keep = new Set([real[0]?.name]);
  real.forEach((vi, i) => {
    if (i === 0) return;
    const t = onnx.TensorProto.create({ ...inputs[i]!, name: vi.name });
    g.initializer = [...(g.initializer ?? []), t];
  });
  g.input = (g.input ?? []).filter((vi) => keep.has(vi.name) || (g.initializer ?? []).every((t) => t.name !== vi.name));
  return onnx.ModelProto.encode(model).finish();
}

function reason(e: unknown): string {
  if (isMaiError(e)) return e.diagnostics.length ? e.diagnostics.map((d) => `${d.reason}: ${d.message}`).join('; ') : `${e.code}: ${e.message}`;
  return `crash: ${(e as Error).message}`;
}

export async function runCase(name: string, ops: string[]): Promise<CaseResult> {
  const dir = join(CONFORMANCE_DIR, name);
  const data = join(dir, 'test_data_set_0');
  const original = new Uint8Array(readFileSync(join(dir, 'model.onnx')));
  const inputs = readPbs(data, 'input_');
  const outputs = readPbs(data, 'output_');
  let model: Uint8Array = original;
  let frozen = false;
  let g;
  try {
    g = importOnnx(model, { file: name });
  } catch (e) {
    const first = reason(e);
    if (!(isMaiError(e) && e.diagnostics.some((d) => d.reason === 'requires-constant-input')) || inputs.length < 2) {
      return { name, ops, outcome: isMaiError(e) ? 'rejected' : 'fail', detail: first };
    }
    model = freeze(original, inputs);
    frozen = true;
    try {
      g = importOnnx(model, { file: name });
    } catch (e2) {
      return { name, ops, outcome: isMaiError(e2) ? 'rejected' : 'fail', detail: reason(e2) };
    }
  }
  try {
    assertValid(g, name);
  } catch (e) {
    return { name, ops, outcome: 'fail', detail: (e as Error).message };
  }
  const sig = g.signature!;
  const feeds: HostTensor[] = [];
  for (let i = 0; i < sig.inputs.length; i++) {
    const c = readTensorProto(inputs[i]! as Parameters<typeof readTensorProto>[0]);
    if (!LITERT_IO.has(c.dtype)) return { name, ops, outcome: 'skipped', detail: `input dtype ${c.dtype}: LiteRT.js takes float32/int32/uint8 only` };
    const t = g.tensor(sig.inputs[i]!.tensor);
    let data = c.data!;
    let shape = c.shape;
    if (t.layout === 'NHWC') {
      data = permuteData(c.dtype, data, shape, TO_NHWC);
      shape = permuteShape(shape, TO_NHWC);
    }
    feeds.push({ name: sig.inputs[i]!.name, dtype: c.dtype, shape, data: data as Float32Array });
  }
  let results: HostTensor[];
  try {
    const m = await liteRtRuntime.load(writeTflite(g));
    results = await m.run(feeds);
    await m.dispose();
  } catch (e) {
    return { name, ops, outcome: 'fail', detail: `LiteRT: ${(e as Error).message}` };
  }
  let worst = 0;
  for (let i = 0; i < outputs.length; i++) {
    const want = readTensorProto(outputs[i]! as Parameters<typeof readTensorProto>[0]);
    const t = g.tensor(sig.outputs[i]!.tensor);
    let got = results[i]!.data as Float32Array;
    let shape = results[i]!.shape;
    if (t.layout === 'NHWC') {
      got = permuteData('float32', got, shape, TO_NCHW) as Float32Array;
      shape = permuteShape(shape, TO_NCHW);
    }
    const wantShape = want.shape.length ? want.shape : [1];
    if (shape.join(',') !== want.shape.join(',') && shape.join(',') !== wantShape.join(',')) {
      return { name, ops, outcome: 'fail', detail: `output ${i} shape [${shape}] ≠ expected [${want.shape}]` };
    }
    const e = allcloseRatio(Array.from(want.data as ArrayLike<number>, Number), got);
    worst = Math.max(worst, e);
  }
  if (!(worst <= 1)) return { name, ops, outcome: 'fail', detail: `max |Δ|/(atol + rtol·|expected|) = ${worst.toExponential(2)}`, error: worst };
  return { name, ops, outcome: frozen ? 'pass-frozen' : 'pass', detail: frozen ? 'inputs 1.. frozen as constants' : '', error: worst };
}
