/**
 * BatchNormalization training_mode=1 (opset 14/15): Y from the batch statistics and the running
 * mean / variance outputs, against onnxruntime — ranks 2 to 5, N = 1 and N > 1, both I/O layouts,
 * after a conv (NHWC activation), several momentums and epsilons — plus the refusals.
 */
import { describe, expect, it } from 'vitest';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { OnnxGraphBuilder, attr, normalFloat32, uniformFloat32 } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, importRejection, LAYOUTS, layoutName, opHistogram } from './harness.js';

const GPU_OPS = new Set(['MEAN', 'SUB', 'MUL', 'ADD', 'RSQRT', 'RESHAPE']);

interface Bn {
  shape: number[];
  momentum?: number;
  epsilon?: number;
  opset?: number;
  conv?: boolean;
}

function bnModel({ shape, momentum, epsilon, opset = 15, conv = false }: Bn): Uint8Array {
  const b = new OnnxGraphBuilder({ opset });
  let x = b.input('x', shape);
  const c = shape[1]!;
  if (conv) x = b.node('Conv', [x, b.init('w', [c, c, 3, 3], normalFloat32(c * c * 9, 11))], { pads: [1, 1, 1, 1] });
  const attrs: Record<string, ReturnType<typeof attr.float>> = { training_mode: attr.int(1) };
  if (momentum !== undefined) attrs.momentum = attr.float(momentum);
  if (epsilon !== undefined) attrs.epsilon = attr.float(epsilon);
  const params = [
    b.init('scale', [c], uniformFloat32(c, 2, 0.5, 1.5)),
    b.init('bias', [c], normalFloat32(c, 3)),
    b.init('mean', [c], normalFloat32(c, 4)),
    b.init('var', [c], uniformFloat32(c, 5, 0.5, 2)),
  ];
  // onnxruntime requires all three outputs in training mode
  b.nodeMulti('BatchNormalization', [x, ...params], attrs, ['y', 'running_mean', 'running_var']);
  b.output('y', shape);
  b.output('running_mean', [c]);
  b.output('running_var', [c]);
  return b.build();
}

describe('BatchNormalization training_mode=1 vs onnxruntime', () => {
  const cases: Bn[] = [
    { shape: [2, 3, 4, 5] },
    { shape: [1, 3, 4, 5], momentum: 0.5 },
    { shape: [4, 6, 1, 1], momentum: 0.99, epsilon: 1e-2 },
    { shape: [3, 8, 2, 7], momentum: 0, epsilon: 1e-3 },
    { shape: [2, 4, 3, 3], momentum: 1 },
    { shape: [2, 3, 6, 6], conv: true, momentum: 0.7 },
    { shape: [1, 4, 5, 5], conv: true },
    { shape: [7, 5], momentum: 0.8 },
    { shape: [3, 4, 9] },
    { shape: [2, 3, 2, 3, 4], opset: 14, momentum: 0.6 },
  ];
  for (const bn of cases) {
    for (const keep of LAYOUTS) {
      const what = `[${bn.shape}]${bn.conv ? ' after a Conv' : ''} momentum ${bn.momentum ?? '0.9 (default)'} ε ${bn.epsilon ?? '1e-5'} opset ${bn.opset ?? 15}`;
      it(`${what} (${layoutName(keep)})`, async () => {
        const { graph } = await expectMatchesOrt(bnModel(bn), { keepIoLayout: keep, range: [-3, 5] });
        const h = opHistogram(graph);
        delete h.CONV_2D;
        if (bn.shape.length === 4) {
          expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
          if (!keep) expect(Object.keys(h).every((op) => GPU_OPS.has(op)), JSON.stringify(h)).toBe(true);
        }
        // no MEAN reduces a batch axis of size > 1 (wrong on the GPU delegate)
        for (const n of graph.nodes.filter((m) => m.op === 'MEAN')) {
          const axes = Array.from(graph.tensor(n.inputs[1]!).data as Int32Array);
          if (axes.includes(0)) expect(graph.tensor(n.inputs[0]!).shape[0]).toBe(1);
        }
      });
    }
  }
});

describe('BatchNormalization refusals', () => {
  it('opset 13 with training outputs (mean, var, saved_mean, saved_var) → unsupported-attribute naming the node', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [2, 3, 4, 4]);
    const p = ['s', 'b', 'm', 'v'].map((n, i) => b.init(n, [3], uniformFloat32(3, i + 1, 0.5, 1.5)));
    b.spec.nodes.push({ op: 'BatchNormalization', inputs: [x, ...p], outputs: ['y', 'mo', 'vo', 'sm', 'sv'], name: 'bn13' });
    b.output('y', [2, 3, 4, 4]);
    b.output('mo', [3]);
    const d = importRejection(b.build()).diagnostics;
    expect(d.map((e) => [e.node, e.reason])).toEqual([['bn13', 'unsupported-attribute']]);
    expect(d[0]!.message).toMatch(/opset 13 < 14/);
  });
  it('running outputs with training_mode=0 → invalid-model', () => {
    const b = new OnnxGraphBuilder({ opset: 15 });
    const x = b.input('x', [2, 3, 4, 4]);
    const p = ['s', 'b', 'm', 'v'].map((n, i) => b.init(n, [3], uniformFloat32(3, i + 1, 0.5, 1.5)));
    b.spec.nodes.push({ op: 'BatchNormalization', inputs: [x, ...p], outputs: ['y', 'rm', 'rv'], name: 'bn' });
    b.output('y', [2, 3, 4, 4]);
    b.output('rm', [3]);
    expect(importRejection(b.build()).diagnostics.map((e) => e.reason)).toEqual(['invalid-model']);
  });
  it('a runtime scale → requires-constant-input', () => {
    const b = new OnnxGraphBuilder({ opset: 15 });
    const x = b.input('x', [2, 3, 4, 4]);
    const s = b.input('s', [3]);
    const p = ['b', 'm', 'v'].map((n, i) => b.init(n, [3], uniformFloat32(3, i + 1, 0.5, 1.5)));
    b.spec.nodes.push({ op: 'BatchNormalization', inputs: [x, s, ...p], outputs: ['y'], name: 'bn', attrs: { training_mode: attr.int(1) } });
    b.output('y', [2, 3, 4, 4]);
    const d = importRejection(b.build()).diagnostics;
    expect(d.map((e) => e.reason)).toEqual(['requires-constant-input']);
    expect(d[0]!.message).toMatch(/scale \(input 's'\)/);
  });
});
