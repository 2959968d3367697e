/** Reshape / Flatten / Transpose across the channel axis, Softmax axes (opset < 13 vs ≥ 13), Gemm, MatMul. */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, normalFloat32, attr } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

function convInput(b: OnnxGraphBuilder, shape = [1, 3, 4, 5]): string {
  // a conv first so the value is an NHWC activation
  const x = b.input('x', shape);
  const c = shape[1]!;
  return b.node('Conv', [x, b.init('w', [c, c, 1, 1], normalFloat32(c * c, 11))]);
}

describe('Reshape / Flatten / Transpose keep ONNX (NCHW) semantics', () => {
  const reshapes: Array<[string, number[]]> = [
    ['to [1,-1]', [1, -1]],
    ['to [0,3,20] (0 copies)', [0, 3, 20]],
    ['to [1,5,4,3] (4-D, feeds nothing)', [1, 5, 4, 3]],
    ['to [-1]', [-1]],
  ];
  for (const [name, shape] of reshapes) {
    it(`Reshape NHWC activation ${name}`, async () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      const c = convInput(b);
      b.output(b.node('Reshape', [c, b.init('s', [shape.length], shape, 'int64')], {}, 'y'));
      await expectMatchesOrt(b.build());
    });
  }
  it('Reshape to 4-D then Conv (NCHW → NHWC transpose inserted)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 24]);
    const r = b.node('Reshape', [x, b.init('s', [4], [1, 2, 3, 4], 'int64')]);
    b.output(b.node('Conv', [r, b.init('w', [3, 2, 1, 1], normalFloat32(6, 1))], {}, 'y'));
    await expectMatchesOrt(b.build());
  });
  for (const axis of [0, 1, 2, 3, -1]) {
    it(`Flatten axis ${axis} of an NHWC activation`, async () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      b.output(b.node('Flatten', [convInput(b)], { axis }, 'y'));
      await expectMatchesOrt(b.build());
    });
  }
  it('GlobalAveragePool → Flatten → Gemm classifier head: no TRANSPOSE', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const g = b.node('GlobalAveragePool', [convInput(b, [1, 4, 6, 6])]);
    const f = b.node('Flatten', [g], { axis: 1 });
    b.output(b.node('Gemm', [f, b.init('fw', [5, 4], normalFloat32(20, 2)), b.init('fb', [5], normalFloat32(5, 3))], { transB: 1 }, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph).TRANSPOSE ?? 0).toBe(0);
  });
  const perms = [
    [0, 2, 3, 1],
    [0, 3, 1, 2],
    [0, 1, 3, 2],
    [3, 2, 1, 0],
  ];
  for (const perm of perms) {
    it(`Transpose perm [${perm}] of an NHWC activation`, async () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      b.output(b.node('Transpose', [convInput(b)], { perm }, 'y'));
      await expectMatchesOrt(b.build());
    });
  }
  it('Transpose [0,2,3,1] then [0,3,1,2] cancels to zero TRANSPOSE ops', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const t1 = b.node('Transpose', [convInput(b)], { perm: [0, 2, 3, 1] });
    const t2 = b.node('Transpose', [t1], { perm: [0, 3, 1, 2] });
    b.output(b.node('Relu', [t2], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph).TRANSPOSE ?? 0).toBe(0);
  });
  it('Transpose of a 3-D input', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('Transpose', [b.input('x', [2, 3, 4])], { perm: [2, 0, 1] }, 'y'));
    await expectMatchesOrt(b.build());
  });
});

describe('Softmax', () => {
  const cases: Array<[number, number[], number | undefined]> = [
    [13, [1, 3, 4, 5], 1],
    [13, [1, 3, 4, 5], -1],
    [13, [1, 3, 4, 5], 2],
    [13, [1, 3, 4, 5], undefined],
    [11, [1, 3, 4, 5], 1],
    [11, [1, 3, 4, 5], 3],
    [11, [1, 3, 4, 5], undefined],
    [11, [1, 3, 4, 5], 2],
    [13, [4, 10], 1],
    [11, [4, 10], 0],
  ];
  for (const [opset, shape, axis] of cases) {
    it(`opset ${opset} shape [${shape}] axis ${axis ?? 'default'}`, async () => {
      const b = new OnnxGraphBuilder({ opset });
      const x = shape.length === 4 ? convInput(b, shape) : b.input('x', shape);
      b.output(b.node('Softmax', [x], axis === undefined ? {} : { axis }, 'y'));
      const { graph } = await expectMatchesOrt(b.build(), { range: [-3, 3] });
      if (opset >= 13 && axis === 1) expect(opHistogram(graph).TRANSPOSE ?? 0).toBe(0);
    });
  }
});

describe('Gemm / MatMul', () => {
  for (const transA of [0, 1]) {
    for (const transB of [0, 1]) {
      it(`Gemm transA=${transA} transB=${transB} alpha 0.5 beta 2 C [N]`, async () => {
        const b = new OnnxGraphBuilder({ opset: 13 });
        const a = b.input('a', transA ? [6, 3] : [3, 6]);
        const w = b.init('w', transB ? [4, 6] : [6, 4], normalFloat32(24, 1));
        b.output(b.node('Gemm', [a, w, b.init('c', [4], normalFloat32(4, 2))], { transA, transB, alpha: attr.float(0.5), beta: attr.float(2) }, 'y'));
        const { graph } = await expectMatchesOrt(b.build());
        expect(opHistogram(graph).FULLY_CONNECTED).toBe(1);
      });
    }
  }
  it('Gemm C [M,N] constant → FC + ADD', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const a = b.input('a', [3, 6]);
    b.output(b.node('Gemm', [a, b.init('w', [6, 4], normalFloat32(24, 1)), b.init('c', [3, 4], normalFloat32(12, 2))], { beta: attr.float(0.5) }, 'y'));
    await expectMatchesOrt(b.build());
  });
  it('Gemm with runtime B → BATCH_MATMUL (+MUL alpha, +ADD C)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const a = b.input('a', [3, 6]);
    const w = b.input('bm', [4, 6]);
    b.output(b.node('Gemm', [a, w, b.init('c', [1, 4], normalFloat32(4, 2))], { transB: 1, alpha: attr.float(2) }, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph).BATCH_MATMUL).toBe(1);
  });
  it('MatMul 3-D × constant 2-D → FULLY_CONNECTED keep_num_dims', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('MatMul', [b.input('a', [2, 3, 6]), b.init('w', [6, 5], normalFloat32(30, 1))], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(graph.nodes[0]!.op).toBe('FULLY_CONNECTED');
    expect(graph.nodes[0]!.attrs.keepNumDims).toBe(true);
  });
  it('MatMul runtime × runtime with batch broadcast → BATCH_MATMUL', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('MatMul', [b.input('a', [2, 3, 6]), b.input('bm', [1, 6, 4])], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(graph.nodes[0]!.op).toBe('BATCH_MATMUL');
  });
});

describe('constant folding at import', () => {
  it('Reshape of a constant becomes a constant (no RESHAPE op)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 4, 5]);
    const c = b.node('Reshape', [b.init('c', [3], [1, 2, 3]), b.init('s', [3], [3, 1, 1], 'int64')]);
    b.output(b.node('Mul', [x, c], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(graph.nodes.map((n) => n.op)).toEqual(['MUL']);
  });
});
