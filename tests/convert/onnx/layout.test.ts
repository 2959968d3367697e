/** Layout: NHWC by default with zero TRANSPOSE in a CNN, keepIoLayout adds exactly one TRANSPOSE per 4-D end. */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, normalFloat32, uniformFloat32 } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

/** A small encoder–decoder CNN as PyTorch exports it: conv-BN-ReLU6, depthwise blocks, bilinear upsampling, skip concat, sigmoid. */
function encoderDecoder(opset = 13): Uint8Array {
  const b = new OnnxGraphBuilder({ opset });
  let seed = 1;
  const w = (shape: number[]) => b.init(b.name('w'), shape, normalFloat32(shape.reduce((a, c) => a * c, 1), seed++, 0.3));
  const bn = (x: string, c: number) =>
    b.node('BatchNormalization', [x, b.init(b.name('g'), [c], uniformFloat32(c, seed++, 0.8, 1.2)), w([c]), w([c]), b.init(b.name('v'), [c], uniformFloat32(c, seed++, 0.5, 1.5))]);
  const relu6 = (x: string) => b.node('Clip', [x, b.init(b.name('lo'), [], [0]), b.init(b.name('hi'), [], [6])]);
  const convBn = (x: string, cin: number, cout: number, stride = 1, group = 1, k = 3) =>
    relu6(bn(b.node('Conv', [x, w([cout, cin / group, k, k])], { pads: k === 3 ? [1, 1, 1, 1] : [0, 0, 0, 0], strides: [stride, stride], group }), cout));
  const x = b.input('image', [1, 3, 32, 32]);
  const e1 = convBn(x, 3, 8, 2); // 16x16
  const d1 = convBn(e1, 8, 8, 1, 8); // depthwise
  const p1 = convBn(d1, 8, 16, 1, 1, 1); // pointwise
  const e2 = convBn(p1, 16, 16, 2, 16); // 8x8 depthwise s2
  const p2 = convBn(e2, 16, 24, 1, 1, 1);
  const up = b.node('Resize', [p2, '', b.init('scales', [4], [1, 1, 2, 2])], { mode: 'linear', coordinate_transformation_mode: 'half_pixel' }); // 16x16
  const cat = b.node('Concat', [up, p1], { axis: 1 }); // 40 ch
  const dec = convBn(cat, 40, 8);
  const up2 = b.node('Resize', [dec, '', b.init('scales2', [4], [1, 1, 2, 2])], { mode: 'linear', coordinate_transformation_mode: 'pytorch_half_pixel' });
  const head = b.node('Conv', [up2, w([1, 8, 3, 3]), w([1])], { pads: [1, 1, 1, 1] });
  const alpha = b.node('Sigmoid', [head], {}, 'alpha');
  b.output(alpha);
  const pooled = b.node('GlobalAveragePool', [p2]);
  const flat = b.node('Flatten', [pooled]);
  b.output(b.node('Gemm', [flat, w([2, 24]), w([2])], { transB: 1 }, 'logits'));
  return b.build();
}

describe('layout', () => {
  it('encoder–decoder CNN: NHWC I/O, zero TRANSPOSE, within tolerance of onnxruntime', async () => {
    const { graph, error } = await expectMatchesOrt(encoderDecoder());
    const h = opHistogram(graph);
    expect(h.TRANSPOSE ?? 0).toBe(0);
    expect(h.DEPTHWISE_CONV_2D).toBe(2);
    expect(h.RESIZE_BILINEAR).toBe(2);
    expect(graph.tensor('image').shape).toEqual([1, 32, 32, 3]);
    expect(graph.tensor('alpha').shape).toEqual([1, 32, 32, 1]);
    expect(graph.signature!.outputs.map((o) => o.name)).toEqual(['alpha', 'logits']);
    expect(graph.outputs).toEqual(['alpha', 'logits']);
    expect(error).toBeLessThan(1e-4);
  });
  it('keepIoLayout: NCHW I/O with one layout change at each 4-D end', async () => {
    const { graph } = await expectMatchesOrt(encoderDecoder(), { keepIoLayout: true });
    // input: TRANSPOSE NCHW→NHWC; output alpha has C=1, so NHWC→NCHW moves only a size-1 axis: a RESHAPE
    expect(opHistogram(graph).TRANSPOSE).toBe(1);
    expect(graph.nodes[0]!.op).toBe('TRANSPOSE');
    expect(graph.nodes[0]!.inputs[0]).toBe('image');
    const last = graph.nodes.find((n) => n.outputs.includes('alpha'))!;
    expect(last.op).toBe('RESHAPE');
    expect(graph.tensor('image').shape).toEqual([1, 3, 32, 32]);
    expect(graph.tensor('image').layout).toBe('NCHW');
    expect(graph.tensor('alpha').shape).toEqual([1, 1, 32, 32]);
    expect(graph.tensor('alpha').layout).toBe('NCHW');
  });
  it('keepIoLayout on a conv with C>1 at both ends: exactly two TRANSPOSE ops', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 8, 8]);
    b.output(b.node('Conv', [x, b.init('w', [4, 3, 3, 3], normalFloat32(108, 1))], { pads: [1, 1, 1, 1] }, 'y'));
    const { graph } = await expectMatchesOrt(b.build(), { keepIoLayout: true });
    expect(graph.nodes.map((n) => n.op)).toEqual(['TRANSPOSE', 'CONV_2D', 'TRANSPOSE']);
    expect(graph.tensor('y').shape).toEqual([1, 4, 8, 8]);
    expect(graph.outputs).toEqual(['y']);
  });
  it('a 4-D output produced in ONNX order (after Reshape) is transposed to NHWC and keeps its name', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 48]);
    b.output(b.node('Reshape', [x, b.init('s', [4], [1, 3, 4, 4], 'int64')], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(graph.outputs).toEqual(['y']);
    expect(graph.tensor('y').shape).toEqual([1, 4, 4, 3]);
  });
  it('an output that is also read by later nodes', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 2, 4, 4]);
    const r = b.node('Relu', [x], {}, 'r');
    b.output(r);
    b.output(b.node('Sigmoid', [r], {}, 's'));
    await expectMatchesOrt(b.build());
  });
});
