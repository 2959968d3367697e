/**
 * IsNaN / IsInf against onnxruntime on values that hold NaN and ±inf (log and division of a conv's
 * output), each result read by a Where as a real model does (the form the GPU rules accept), with every
 * detect_positive / detect_negative combination. And MaxPool's Indices output refused by name.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, attr, normalFloat32 } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import type { Graph } from '../../../src/ir/graph.js';
import { expectMatchesOrt, importRejection, LAYOUTS, layoutName, opHistogram } from './harness.js';

/** The GPU rules that keep nodes of `g` on the CPU, each once. */
const cpuRules = (g: Graph): string[] => [...new Set(checkGpuCompat(g).nodes.flatMap((n) => (n.supported ? [] : n.violations.map((x) => x.rule))))].sort();

/** Conv output c, then v = c / relu(c) (1, −inf, NaN at 0) and w = log(c) (NaN below 0); y = Where(test(v or w), 7, c). */
function model(test: (b: OnnxGraphBuilder, v: string, w: string) => string): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 20 });
  const x = b.input('x', [1, 3, 4, 5]);
  const c = b.node('Conv', [x, b.init('w', [3, 3, 1, 1], normalFloat32(9, 3))]);
  const v = b.node('Div', [c, b.node('Relu', [c])]);
  const w = b.node('Log', [c]);
  b.output(b.node('Where', [test(b, v, w), b.init('seven', [], Float32Array.of(7)), c], {}, 'y'));
  return b.build();
}

describe('ONNX IsNaN / IsInf vs onnxruntime', () => {
  for (const keepIoLayout of LAYOUTS) {
    it(`IsNaN of log(x) (${layoutName(keepIoLayout)})`, async () => {
      const { graph } = await expectMatchesOrt(model((b, _v, w) => b.node('IsNaN', [w])), { keepIoLayout });
      expect(cpuRules(graph)).toEqual(['gpu.nonfinite-compare']);
      expect(opHistogram(graph)).toMatchObject({ LESS_EQUAL: 1, LOGICAL_NOT: 1 });
    });
    for (const [pos, neg] of [[1, 1], [1, 0], [0, 1], [0, 0]] as const) {
      for (const flip of [false, true]) {
        it(`IsInf detect_positive=${pos} detect_negative=${neg} of ${flip ? '+inf' : '−inf'} values (${layoutName(keepIoLayout)})`, async () => {
          const bytes = model((b, v) => b.node('IsInf', [flip ? b.node('Neg', [v]) : v], { detect_positive: attr.int(pos), detect_negative: attr.int(neg) }));
          const { graph } = await expectMatchesOrt(bytes, { keepIoLayout });
          // the comparison with ±inf stays on the CPU (the GPU's fp16 shaders get it wrong); all else delegates
          expect(cpuRules(graph)).toEqual(pos || neg ? ['gpu.nonfinite-compare'] : []);
        });
      }
    }
  }

  it('refuses MaxPool with its Indices output, naming the node', () => {
    const b = new OnnxGraphBuilder({ opset: 12 });
    const x = b.input('x', [1, 2, 4, 4]);
    const [y, i] = b.nodeMulti('MaxPool', [x], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) }, ['y', 'i']);
    b.output(y!);
    b.output(i!, undefined, 'int64');
    const e = importRejection(b.build());
    expect(e.diagnostics[0]).toMatchObject({ reason: 'unsupported-attribute', opType: 'MaxPool' });
    expect(e.diagnostics[0]!.node).toBeTruthy();
    expect(e.diagnostics[0]!.message).toMatch(/Indices output is not supported/);
  });
});
