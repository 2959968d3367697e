/** The op table: at most one row per op and opset, and ranges parse. */
import { describe, expect, it } from 'vitest';
import { inRange } from '../../../src/convert/onnx/opset.js';
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
});
