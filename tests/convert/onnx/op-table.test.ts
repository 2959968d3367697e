/** The op table: at most one row per op and opset, ranges parse, and opset variants are rows, not branches. */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { inRange, joinRanges } from '../../../src/convert/onnx/opset.js';
import { ONNX_OPS } from '../../../src/convert/onnx/ops/index.js';

describe('ONNX op table', () => {
  it('no two rows of an op overlap for opsets 1–25', () => {
    const clashes: string[] = [];
    for (const op of new Set(ONNX_OPS.map((r) => r.onnxOp))) {
      for (let v = 1; v <= 25; v++) {
        const rows = ONNX_OPS.filter((r) => r.onnxOp === op && inRange(r.opsets, v));
        if (rows.length > 1) clashes.push(`${op}@${v}`);
      }
    }
    expect(clashes).toEqual([]);
  });
  it('opset ranges: "7+", "1-12", "13"', () => {
    expect([inRange('7+', 6), inRange('7+', 7), inRange('1-12', 12), inRange('1-12', 13), inRange('13', 13), inRange('13', 14)]).toEqual([false, true, true, false, true, false]);
  });
  it('joins adjacent ranges when naming the opsets an op supports', () => {
    expect(joinRanges(['1-6', '7+'])).toBe('1+');
    expect(joinRanges(['9', '7-8'])).toBe('7-9');
    expect(joinRanges(['1-10', '13+'])).toBe('1-10, 13+');
    expect(joinRanges(['1-12', '13-17', '18+'])).toBe('1+');
    expect(joinRanges(['10'])).toBe('10');
  });
  it('no lowering in ops/ or lowering/ and no fold rule in fold/ branches on the model opset: each version with its own semantics is a table row', () => {
    const dirs = ['src/convert/onnx/ops', 'src/convert/onnx/lowering', 'src/convert/onnx/fold'];
    const branching = dirs.flatMap((d) =>
      readdirSync(d)
        .filter((f) => f.endsWith('.ts'))
        .flatMap((f) => readFileSync(`${d}/${f}`, 'utf8').split('\n').flatMap((line, i) => (/\.opset\s*(<=?|>=?|===|!==)|(<=?|>=?|===|!==)\s*[\w.]*\.opset\b/.test(line) ? [`${d}/${f}:${i + 1}`] : []))),
    );
    expect(branching).toEqual([]);
  });
});
