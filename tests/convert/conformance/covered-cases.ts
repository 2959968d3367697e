/** Which ONNX conformance cases mai covers: every op in the op table, every data type importable. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ONNX_OPS } from '../../../src/convert/onnx/ops/index.js';
import { caseOps, unsupportedDtypes } from './run-case.js';

export const CONFORMANCE_ROOT = join(process.cwd(), '..', 'shared', 'onnx-conformance');

/** `MAI_CONFORMANCE_OPS=Conv,Pad` runs only the covered cases that use one of those ops (for working on an op). */
export const ONLY = process.env.MAI_CONFORMANCE_OPS?.split(',').filter(Boolean);

export interface OutOfScope {
  name: string;
  op: string;
  reason: string;
}

/** Cases whose ops are all in the op table; those using data types mai does not import are set aside. */
export function coveredCases(dir: string): { cases: string[]; outOfScope: OutOfScope[] } {
  const ops = new Set(ONNX_OPS.map((r) => r.onnxOp));
  const out: string[] = [];
  const outOfScope: OutOfScope[] = [];
  if (!existsSync(dir)) return { cases: out, outOfScope };
  for (const d of readdirSync(dir).sort()) {
    const file = join(dir, d, 'model.onnx');
    if (!existsSync(file)) continue;
    const model = new Uint8Array(readFileSync(file));
    const used = caseOps(model);
    if (ONLY && !used.some((t) => ONLY.includes(t))) continue;
    if (!used.every((t) => ops.has(t))) continue;
    const exotic = unsupportedDtypes(model);
    if (exotic.length) outOfScope.push({ name: d, op: used.join('+'), reason: `ONNX element type(s) ${exotic.join(', ')} on graph I/O or initializers: no TFLite tensor type` });
    else out.push(join(dir, d));
  }
  return { cases: out, outOfScope };
}
