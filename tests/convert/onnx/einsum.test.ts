/**
 * Einsum vs onnxruntime on the equations attention blocks and PyTorch exports produce (batched
 * matmuls, transposes, sums, outer / element-wise products, ellipsis with broadcasting, implicit
 * output, diagonals, three operands), with the op each lowers to; an integer contraction is refused
 * naming the equation.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, attr, normalFloat32 } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { expectMatchesOrt, importRejection, opHistogram } from './harness.js';

function model(equation: string, shapes: number[][], conv = false): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 13 });
  const ins = shapes.map((s, i) => b.input(`x${i}`, s));
  if (conv) ins[0] = b.node('Conv', [ins[0]!, b.init('w', [shapes[0]![1]!, shapes[0]![1]!, 1, 1], normalFloat32(shapes[0]![1]! ** 2, 3))]);
  b.output(b.node('Einsum', ins, { equation: attr.string(equation) }, 'y'));
  return b.build();
}

const CASES: Array<[string, number[][], string]> = [
  ['bij,bjk->bik', [[2, 3, 4], [2, 4, 5]], 'BATCH_MATMUL'],
  ['bhid,bhjd->bhij', [[2, 3, 5, 8], [2, 3, 6, 8]], 'BATCH_MATMUL'],
  ['bhij,bhjd->bhid', [[2, 3, 5, 6], [2, 3, 6, 8]], 'BATCH_MATMUL'],
  ['bhqd,bkhd->bhqk', [[1, 2, 4, 8], [1, 5, 2, 8]], 'BATCH_MATMUL'],
  ['nchw->nhwc', [[1, 3, 4, 5]], 'TRANSPOSE'],
  ['ij->ji', [[3, 7]], 'TRANSPOSE'],
  ['bij->bj', [[2, 3, 4]], 'SUM'],
  ['ijk->', [[2, 3, 4]], 'SUM'],
  ['i,j->ij', [[3], [4]], 'MUL'],
  ['bi,bj->bij', [[2, 3], [2, 4]], 'MUL'],
  ['ij,ij->ij', [[3, 4], [3, 4]], 'MUL'],
  ['ij,ij->', [[3, 4], [3, 4]], 'BATCH_MATMUL'],
  ['ij,jk', [[3, 4], [4, 5]], 'BATCH_MATMUL'],
  ['ba,ca', [[3, 4], [5, 4]], 'BATCH_MATMUL'],
  ['...ij,...jk->...ik', [[2, 1, 3, 4], [2, 5, 4, 6]], 'BATCH_MATMUL'],
  ['bchw,kc->bkhw', [[1, 3, 4, 5], [6, 3]], 'BATCH_MATMUL'],
  ['abcde,ade->abc', [[2, 2, 3, 2, 3], [2, 2, 3]], 'BATCH_MATMUL'],
  ['...ii->...i', [[2, 4, 4]], 'SUM'],
  ['ii', [[5, 5]], 'SUM'],
  ['ij,jk->ikj', [[2, 3], [3, 4]], 'MUL'],
  ['bij,jk->bik', [[2, 3, 4], [4, 6]], 'BATCH_MATMUL'],
  ['bi,bj,bk->bijk', [[2, 3], [2, 4], [2, 5]], 'MUL'],
  ['ij,jk,kl->il', [[2, 3], [3, 4], [4, 5]], 'BATCH_MATMUL'],
  ['bn,anm,bm->ba', [[2, 3], [4, 3, 5], [2, 5]], 'BATCH_MATMUL'],
];

describe('Einsum vs onnxruntime', () => {
  for (const [eq, shapes, op] of CASES.filter(([e]) => !e.includes(',b->'))) {
    it(`${eq} [${shapes.map((s) => `[${s}]`).join(', ')}] → ${op}`, async () => {
      const { graph } = await expectMatchesOrt(model(eq, shapes), { keepIoLayout: true });
      expect(opHistogram(graph)[op], JSON.stringify(opHistogram(graph))).toBeGreaterThan(0);
    });
  }

  it('bhid,bhjd->bhij of same-batch activations is GPU-delegable', async () => {
    const { graph } = await expectMatchesOrt(model('bhid,bhjd->bhij', [[1, 2, 5, 8], [1, 2, 6, 8]]), { keepIoLayout: true });
    expect(checkGpuCompat(graph).unsupportedLines).toEqual([]);
  });

  it('nchw->nhwc of a conv output (NHWC I/O)', async () => {
    await expectMatchesOrt(model('nchw->nhwc', [[1, 3, 4, 5]], true));
  });

  it('refuses a contraction of integer operands, naming the equation', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('Einsum', [b.input('a', [2, 3], 'int32'), b.input('b', [3, 4], 'int32')], { equation: attr.string('ij,jk->ik') }, 'y'), undefined, 'int32');
    const e = importRejection(b.build());
    expect(e.diagnostics.map((d) => d.reason)).toEqual(['unsupported-dtype']);
    expect(e.diagnostics[0]!.message).toMatch(/Einsum 'ij,jk->ik' contracts int32 operands/);
  });

  it('refuses an equation that does not fit the inputs as invalid-model', () => {
    const e = importRejection(model('ijk,jk->i', [[2, 3], [3, 4]]));
    expect(e.diagnostics.map((d) => d.reason)).toEqual(['invalid-model']);
    expect(e.diagnostics[0]!.message).toMatch(/term 'ijk' does not match input 0 of rank 2/);
  });
});
