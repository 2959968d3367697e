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
}

/** Absolute + relative tolerance for float outputs: |got − want| ≤ ATOL + RTOL·|want|. */
export const ATOL = 1e-7; // the ONNX backend test default (rtol 1e-3, atol 1e-7)
export const RTOL = 1e-3;
const FEEDABLE = new Set(['float32', 'int32', 'uint8']);

export function caseOps(model: Uint8Array): string[] {
  const m = onnx.ModelProto.decode(model);
  const types = [...new Set((m.graph?.node ?? []).map((n) => n.opType ?? ''))];
  const main = types.filter((t) => t !== 'Constant');
  return main.length ? main : types;
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

function firstLine(e: unknown): string {
  const m = isMaiError(e) ? `${e.code}: ${e.message}${e.diagnostics.length ? ` — ${e.diagnostics.map((d) => `${d.reason}: ${d.message}`).join('; ')}` : ''}` : `${(e as Error).name}: ${(e as Error).message}`;
  return m.split('\n')[0]!.slice(0, 400);
}

function requiresConstant(e: unknown): boolean {
  return isMaiError(e) && (e.code === 'requires-constant-input' || e.diagnostics.some((d) => d.reason === 'requires-constant-input'));
}

export async function runCase(dir: string): Promise<CaseResult> {
  const name = dir.split('/').pop()!;
  const model: Uint8Array = new Uint8Array(readFileSync(join(dir, "model.onnx")));
  const op = caseOps(model).join('+');
  const dataDir = join(dir, 'test_data_set_0');
  if (!existsSync(dataDir)) return { name, op, status: 'not-runnable', reason: 'no test_data_set_0' };
  const inputs = readSet(dataDir, 'input');
  const outputs = readSet(dataDir, 'output');
  const inNames = realInputNames(model);
  const outNames = outputNames(model);
  const badOut = outputs.find((t) => !FEEDABLE.has(t.dtype));
  if (badOut) return { name, op, status: 'not-runnable', reason: `output dtype ${badOut.dtype}: LiteRT.js returns float32/int32/uint8 only` };

  let bytes: Uint8Array = model;
  let frozenInputs = false;
  let fed = inputs;
  const unfeedable = inputs.findIndex((t) => !FEEDABLE.has(t.dtype));
  if (unfeedable > 0) {
    bytes = freeze(model, dataDir, inNames);
    frozenInputs = true;
    fed = inputs.slice(0, 1);
  } else if (unfeedable === 0) {
    return { name, op, status: 'not-runnable', reason: `input dtype ${inputs[0]!.dtype}: LiteRT.js takes float32/int32/uint8 only` };
  }

  let tflite: Uint8Array;
  try {
    tflite = convert({ bytes, file: `${name}/model.onnx`, keepIoLayout: true, verifyPasses: true }).tflite;
  } catch (e) {
    if (!frozenInputs && inputs.length > 1 && requiresConstant(e)) {
      bytes = freeze(model, dataDir, inNames);
      frozenInputs = true;
      fed = inputs.slice(0, 1);
      try {
        tflite = convert({ bytes, file: `${name}/model.onnx`, keepIoLayout: true, verifyPasses: true }).tflite;
      } catch (e2) {
        return { name, op, status: isMaiError(e2) ? 'rejected' : 'failed', reason: firstLine(e2), frozenInputs };
      }
    } else return { name, op, status: isMaiError(e) ? 'rejected' : 'failed', reason: firstLine(e), frozenInputs };
  }

  let loaded;
  try {
    loaded = await liteRtRuntime.load(tflite);
  } catch (e) {
    return { name, op, status: 'failed', reason: `LiteRT load: ${firstLine(e)}`, frozenInputs };
  }
  try {
    const details = loaded.inputs();
    const byName = new Map(inNames.slice(0, fed.length).map((n, i) => [n, fed[i]!] as const));
    const feeds: HostTensor[] = details.map((d, i) => {
      const t = byName.get(d.name) ?? fed[i]!;
      return { name: d.name, dtype: t.dtype as HostTensor['dtype'], shape: d.shape, data: t.raw! };
    });
    for (let i = 0; i < feeds.length; i++) {
      const want = details[i]!.shape.reduce((a, b) => a * b, 1);
      if (feeds[i]!.data.length !== want) {
        return { name, op, status: 'failed', reason: `input '${details[i]!.name}' [${details[i]!.shape}] vs test data of ${feeds[i]!.data.length} elements`, frozenInputs };
      }
    }
    const got = await loaded.run(feeds);
    const outDetails = loaded.outputs();
    let maxAbs = 0;
    for (let i = 0; i < outputs.length; i++) {
      const onnxName = outNames[i] ?? '';
      const j = outDetails.findIndex((d) => d.name === onnxName);
      const r = compare({ ...outputs[i]!, name: onnxName }, got[j >= 0 ? j : i]!);
      maxAbs = Math.max(maxAbs, r.maxAbs);
      if (!r.ok) return { name, op, status: 'failed', reason: r.reason, frozenInputs, maxAbsError: maxAbs };
    }
    return { name, op, status: 'passed', frozenInputs, maxAbsError: maxAbs };
  } catch (e) {
    return { name, op, status: 'failed', reason: `LiteRT run: ${firstLine(e)}`, frozenInputs };
  } finally {
    await loaded.dispose();
  }
}
