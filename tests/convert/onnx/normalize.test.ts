/**
 * What real exporters write and onnxruntime runs, mai converts: unsorted nodes, empty / repeated
 * node names, the `ai.onnx` domain spelled out, initializers repeated as graph inputs (ir_version 3),
 * unused inputs and node outputs, value_info that disagrees with the real shapes, opsets 7 → 21 and
 * ir_version 3 → 10. Each model is run by onnxruntime-node (the oracle) and the conversion by LiteRT.
 */
import { describe, expect, it } from 'vitest';
import onnxPkg from 'onnx-proto';
import { normalizeGraph } from '../../../src/convert/onnx/normalize.js';
import type { GraphProto, ModelProto } from '../../../src/convert/onnx/proto.js';
import { OnnxGraphBuilder, attr, buildOnnxModel, normalFloat32, type OnnxModelSpec } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, importRejection } from './harness.js';

const { ModelProto: Model } = onnxPkg.onnx;

/** Decodes, edits and re-encodes a model (for what the builder does not write itself). */
function edit(bytes: Uint8Array, fn: (m: ModelProto) => void): Uint8Array {
  const m = Model.decode(bytes) as ModelProto;
  fn(m);
  return Model.encode(m).finish();
}

/** A small CNN tail: Conv → Relu → Conv → Add (residual) → GlobalAveragePool. */
function cnn(opset = 13): OnnxModelSpec {
  const b = new OnnxGraphBuilder({ opset });
  const x = b.input('x', [1, 3, 8, 8]);
  const c1 = b.node('Conv', [x, b.init('w1', [4, 3, 3, 3], normalFloat32(108, 1)), b.init('b1', [4], normalFloat32(4, 2))], { pads: attr.ints([1, 1, 1, 1]) });
  const r = b.node('Relu', [c1]);
  const c2 = b.node('Conv', [r, b.init('w2', [4, 4, 3, 3], normalFloat32(144, 3))], { pads: attr.ints([1, 1, 1, 1]) });
  const s = b.node('Add', [c2, c1]);
  b.output(b.node('GlobalAveragePool', [s], {}, 'y'));
  return b.spec;
}

describe('node order', () => {
  it('nodes in reverse order convert like the sorted model (onnxruntime runs both)', async () => {
    const spec = cnn();
    const sorted = buildOnnxModel(spec);
    const reversed = buildOnnxModel({ ...spec, nodes: [...spec.nodes].reverse() });
    const a = await expectMatchesOrt(sorted);
    const b = await expectMatchesOrt(reversed);
    expect(Array.from(b.actual[0]!.data as Float32Array)).toEqual(Array.from(a.actual[0]!.data as Float32Array));
  });

  it('an fp16 graph whose I/O Casts come last (onnxconverter-common keep_io_types) converts', async () => {
    const b = new OnnxGraphBuilder({ opset: 17 });
    const x = b.input('x', [1, 3, 8, 8]);
    const xh = 'x_cast_fp16';
    const w = b.init('w', [4, 3, 3, 3], Array.from(normalFloat32(108, 1), (v) => v), 'float32');
    const wh = b.node('Cast', [w], { to: attr.int(10) });
    const c = b.node('Conv', [xh, wh], { pads: attr.ints([1, 1, 1, 1]) });
    const r = b.node('Relu', [c], {}, 'y_fp16');
    b.output('y');
    // the converter's order: the body first, then the Casts it added for float32 I/O
    b.spec.nodes.push({ op: 'Cast', inputs: [x], outputs: [xh], attrs: { to: attr.int(10) }, name: 'graph_input_cast0' });
    b.spec.nodes.push({ op: 'Cast', inputs: [r], outputs: ['y'], attrs: { to: attr.int(1) }, name: 'graph_output_cast0' });
    expect(b.spec.nodes.findIndex((n) => n.outputs.includes(xh))).toBeGreaterThan(b.spec.nodes.findIndex((n) => n.inputs.includes(xh)));
    // onnxruntime computes in fp16: within fp16 rounding of the float32 conversion
    await expectMatchesOrt(buildOnnxModel(b.spec), { tol: 2e-3 });
  });

  it('a sorted list is left as it is; a sorted copy puts producers first and keeps the rest in file order', () => {
    const spec = cnn();
    const m = Model.decode(buildOnnxModel({ ...spec, nodes: [spec.nodes[1]!, spec.nodes[0]!, ...spec.nodes.slice(2)] })) as ModelProto;
    const g = m.graph as GraphProto;
    expect(normalizeGraph(g).reordered).toBe(true);
    expect(g.node!.map((n) => n.opType)).toEqual(['Conv', 'Relu', 'Conv', 'Add', 'GlobalAveragePool']);
    expect(normalizeGraph(g).reordered).toBe(false);
  });

  it('a cycle is refused naming its nodes', () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [2] }],
      outputs: [{ name: 'y', shape: [2] }],
      nodes: [
        { op: 'Add', inputs: ['x', 'b'], outputs: ['a'], name: 'first' },
        { op: 'Relu', inputs: ['a'], outputs: ['b'], name: 'second' },
        { op: 'Identity', inputs: ['a'], outputs: ['y'], name: 'out' },
      ],
    });
    const e = importRejection(bytes);
    expect(e.code).toBe('onnx-graph-cycle');
    expect(e.message).toMatch(/first → second → first|second → first → second/);
  });
});

describe('names, domains, versions', () => {
  it('empty node names', async () => {
    const spec = cnn();
    spec.nodes.forEach((n) => (n.name = ''));
    await expectMatchesOrt(buildOnnxModel(spec));
  });

  it('repeated node names (onnxruntime refuses them; mai renames, checked against the uniquely named model)', async () => {
    const spec = cnn();
    const unique = buildOnnxModel(spec);
    spec.nodes.forEach((n) => (n.name = 'same'));
    const { graph } = await expectMatchesOrt(buildOnnxModel(spec), { ortModel: unique });
    expect(graph.nodes.length).toBeGreaterThan(0);
  });

  it("the default domain spelled 'ai.onnx' in opset_import and on the nodes", async () => {
    const bytes = edit(buildOnnxModel(cnn()), (m) => {
      m.opsetImport = [{ domain: 'ai.onnx', version: 13 }] as ModelProto['opsetImport'];
      for (const n of m.graph!.node!) n.domain = 'ai.onnx';
    });
    await expectMatchesOrt(bytes);
  });

  it('ir_version 3 / opset 7 with every initializer repeated as a graph input (old exporters)', async () => {
    const spec = cnn(7);
    spec.irVersion = 3;
    spec.inputs.push(...spec.initializers!.map((t) => ({ name: t.name, shape: t.shape })));
    await expectMatchesOrt(buildOnnxModel(spec));
  });

  it('an initializer listed as a graph input with ir_version ≥ 4 stays a constant (its default value)', async () => {
    const spec = cnn(13);
    spec.inputs.push({ name: 'w2', shape: [4, 4, 3, 3] });
    const { graph } = await expectMatchesOrt(buildOnnxModel(spec));
    expect(graph.inputs).toHaveLength(1);
  });

  it.each([
    [9, 4],
    [11, 6],
    [17, 8],
    [21, 10],
  ])('opset %i with ir_version %i', async (opset, ir) => {
    const spec = cnn(opset);
    spec.irVersion = ir;
    await expectMatchesOrt(buildOnnxModel(spec));
  });
});

describe('unused and disagreeing declarations', () => {
  it('an unused graph input and an unused node output', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 4, 6, 6]);
    b.input('unused', [1, 2]);
    const [first] = b.nodeMulti('Split', [x, b.init('split', [2], [2, 2], 'int64')], { axis: attr.int(1) }, 2);
    b.output(b.node('Relu', [first!], {}, 'y'));
    const { graph } = await expectMatchesOrt(buildOnnxModel(b.spec));
    expect(graph.signature!.inputs.map((i) => i.name)).toEqual(['x', 'unused']);
  });

  it('value_info whose shapes disagree with the computed ones is not trusted', async () => {
    const spec = cnn();
    spec.valueInfo = spec.nodes.slice(0, -1).map((n) => ({ name: n.outputs[0]!, shape: [2, 9, 7, 7] }));
    await expectMatchesOrt(buildOnnxModel(spec));
  });
});
