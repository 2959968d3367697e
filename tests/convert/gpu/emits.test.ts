/**
 * Keeps the op table's `emits` (and so docs/op-coverage.md) honest: every ONNX conformance model
 * whose ops are all in the table is imported (no passes), and each TFLite node must be an op its
 * ONNX node's rows declare, or layout glue (TRANSPOSE / RESHAPE the import context adds itself).
 * Needs ../shared/onnx-conformance; skips with a message without it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ONNX_OPS } from '../../../src/convert/onnx/ops/index.js';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { onnx } from '../../../src/convert/onnx/proto.js';
import { isMaiError } from '../../../src/core/errors.js';

const ROOT = join(process.cwd(), '..', 'shared', 'onnx-conformance');
const present = existsSync(join(ROOT, 'node'));
const LAYOUT_GLUE = new Set(['TRANSPOSE', 'RESHAPE']);

function declared(): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const r of ONNX_OPS) {
    const s = m.get(r.onnxOp) ?? new Set<string>();
    for (const op of r.emits ?? []) s.add(op);
    m.set(r.onnxOp, s);
  }
  return m;
}

describe.skipIf(!present)(present ? 'op table `emits` matches what the importers emit' : `emits check SKIPPED: ${ROOT}/node is absent`, () => {
  it('every node of every covered conformance model is declared by its ONNX op row (or is layout glue)', () => {
    const table = declared();
    const undeclared = new Map<string, string>();
    let imported = 0;
    for (const suite of ['node', 'pytorch-converted', 'pytorch-operator']) {
      const dir = join(ROOT, suite);
      if (!existsSync(dir)) continue;
      for (const d of readdirSync(dir).sort()) {
        const file = join(dir, d, 'model.onnx');
        if (!existsSync(file)) continue;
        const bytes = new Uint8Array(readFileSync(file));
        const m = onnx.ModelProto.decode(bytes);
        const nodes = m.graph?.node ?? [];
        if (!nodes.every((n) => table.has(n.opType ?? ''))) continue;
        // OnnxNode's name: the proto name, else `${opType}_${index}`
        const typeOf = new Map(nodes.map((n, i) => [n.name || `${n.opType}_${i}`, n.opType ?? ''] as const));
        let g;
        try {
          g = importOnnx(bytes, { file, keepIoLayout: true });
        } catch (e) {
          if (isMaiError(e)) continue; // rejected cases emit nothing
          throw e;
        }
        imported++;
        for (const n of g.nodes) {
          if (LAYOUT_GLUE.has(n.op)) continue;
          const type = n.sourceNode ? typeOf.get(n.sourceNode) : undefined;
          if (!type) continue; // nodes made by ONNX-level pattern fusions carry the pattern's name
          if (!table.get(type)!.has(n.op)) undeclared.set(`${type}→${n.op}`, `${suite}/${d}`);
        }
      }
    }
    expect(imported).toBeGreaterThan(100);
    expect(
      [...undeclared].map(([k, v]) => `${k} (e.g. ${v})`),
      "add these TFLite ops to the rows' `emits` in src/convert/onnx/ops/index.ts, then `npm run docs:ops`",
    ).toEqual([]);
  });
});
