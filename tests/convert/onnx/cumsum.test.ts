/**
 * CumSum vs onnxruntime on NHWC-held values (a conv's output), every axis × exclusive × reverse, batch 1
 * and 2, both I/O layouts: CUMSUM in place (no TRANSPOSE with NHWC I/O), exclusive / reverse lowered
 * onto the plain sum and the batch axis moved off axis 0, so every float case passes our GPU table.
 * A run-time axis is refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { convert } from '../../../src/convert/index.js';
import { expectMatchesOrt, importRejection, LAYOUTS, layoutName, opHistogram } from './harness.js';

function model(axis: number, exclusive: number, reverse: number, batch = 1): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 14 });
  const x = b.input('x', [batch, 3, 5, 6]);
  const c = b.node('Conv', [x, b.init('w', [4, 3, 1, 1], normalFloat32(12, 5))]);
  b.output(b.node('CumSum', [c, b.init('axis', [], BigInt64Array.of(BigInt(axis)), 'int64')], { exclusive, reverse }, 'y'));
  return b.build();
}

describe('CumSum vs onnxruntime', () => {
  for (const keepIoLayout of LAYOUTS) {
    for (const [axis, batch] of [[1, 1], [2, 1], [-1, 1], [0, 1], [0, 2], [-4, 2]] as Array<[number, number]>) {
      for (const [exclusive, reverse] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        it(`axis ${axis} batch ${batch} exclusive ${exclusive} reverse ${reverse} (${layoutName(keepIoLayout)})`, async () => {
          const { graph } = await expectMatchesOrt(model(axis, exclusive!, reverse!, batch), { keepIoLayout });
          const h = opHistogram(graph);
          // a size-1 axis needs no sum: the value itself, or zeros when exclusive (a constant output, no GPU verdict)
          const sizeOne = batch === 1 && (axis === 0 || axis === -4);
          expect(h.CUMSUM ?? 0).toBe(sizeOne ? 0 : 1);
          if (sizeOne && exclusive) return;
          if (!keepIoLayout) expect(h.TRANSPOSE, JSON.stringify(h)).toBeUndefined();
          // the delegate computes exclusive / reverse as a plain sum and sums along axis 0 wrong (measured):
          // no CUMSUM with an option or along axis 0 is left, so our table keeps nothing on the CPU
          for (const n of graph.nodes.filter((n) => n.op === 'CUMSUM')) expect([n.attrs.exclusive, n.attrs.reverse]).toEqual([false, false]);
          expect(checkGpuCompat(graph).unsupportedLines.join('\n')).toBe('');
        });
      }
    }
  }

  it('a torch.onnx dynamo (opset 23) export of DETR\'s sine position embedding (cumsum of a run-time not-mask): all on the GPU by our table', async () => {
    // scripts/corpus/masked_attention_fixtures.py
    const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'onnx', 'detr-sine-embed-dynamo-opset23.onnx')));
    const { graph } = await expectMatchesOrt(bytes, { keepIoLayout: true });
    expect(opHistogram(graph).CUMSUM).toBe(2);
    expect(checkGpuCompat(convert({ bytes, file: 'detr-sine-embed.onnx' }).graph).unsupportedLines).toEqual([]);
  });

  it('refuses a run-time axis', () => {
    const b = new OnnxGraphBuilder({ opset: 14 });
    b.output(b.node('CumSum', [b.input('x', [2, 3]), b.input('axis', [], 'int32')], {}, 'y'));
    const e = importRejection(b.build());
    expect(e.diagnostics.map((d) => d.reason)).toEqual(['requires-constant-input']);
    expect(e.diagnostics[0]!.message).toMatch(/CumSum axis \(input 'axis'\) must be a constant/);
  });
});
