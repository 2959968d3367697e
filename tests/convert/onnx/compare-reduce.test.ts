/**
 * Comparisons and logic feeding Where (EQUAL / LESS / GREATER / LESS_EQUAL / GREATER_EQUAL, And / Or / Xor /
 * Not → LOGICAL_AND / LOGICAL_OR / NOT_EQUAL / LOGICAL_NOT, Where → SELECT_V2) and
 * ReduceMean / ReduceSum / ReduceMax / ReduceMin over every axis set and keepdims, with axes as
 * attribute and as input, against onnxruntime with NHWC and NCHW I/O.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, attr } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, LAYOUTS, layoutName, importRejection } from './harness.js';
import { expectSameIntegers } from './int-oracle.js';



describe('comparison → Where', () => {
  const ops: Array<[string, string, number]> = [
    ['Equal', 'EQUAL', 13],
    ['Less', 'LESS', 13],
    ['Greater', 'GREATER', 13],
    ['LessOrEqual', 'LESS_EQUAL', 16],
    ['GreaterOrEqual', 'GREATER_EQUAL', 16],
  ];
  for (const [op, tfl, opset] of ops) {
    for (const keep of LAYOUTS) {
      it(`Where(${op}(x, per-channel const), x, runtime y) → ${tfl} + SELECT_V2 (${layoutName(keep)})`, async () => {
        const b = new OnnxGraphBuilder({ opset });
        const x = b.input('x', [1, 3, 4, 5]);
        const y = b.input('y', [1, 3, 4, 5]);
        // Equal needs exact ties: max(x, 0.5) equals the constant 0.5 wherever x ≤ 0.5
        const lhs = op === 'Equal' ? b.node('Max', [x, b.init('half', [], [0.5])]) : x;
        const c = b.init('c', [3, 1, 1], op === 'Equal' ? [0.5, 1, 0.5] : [0.2, -0.3, 0.5]);
        b.output(b.node('Where', [b.node(op, [lhs, c]), x, y], {}, 'out'));
        const want = op === 'Equal' ? ['MAXIMUM', tfl, 'SELECT_V2'] : [tfl, 'SELECT_V2'];
        const { graph } = await expectMatchesOrt(b.build(), { keepIoLayout: keep });
        expect(graph.nodes.map((n) => n.op).filter((o) => o !== 'TRANSPOSE')).toEqual(want);
      });
    }
  }
  it('Where with a broadcast condition [W] and scalar constant branches', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 2, 3, 4]);
    const w = b.input('w', [4]);
    const cond = b.node('Greater', [w, b.init('t', [], [0])]);
    b.output(b.node('Where', [cond, x, b.init('zero', [], [0])], {}, 'out'));
    await expectMatchesOrt(b.build());
  });
  it('Where with a uniform constant branch (an exporter\'s zeros_like) selects a scalar, unless that branch sets the output shape', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const pad = b.input('pad', [1, 6]);
    const cond = b.node('Greater', [pad, b.init('t', [], [0.5])]);
    b.output(b.node('Where', [cond, b.init('ninf', [], [-1e4]), b.init('zeros', [1, 6], new Array<number>(6).fill(0))], {}, 'mask'));
    // here the uniform [2, 6] branch broadcasts the [1, 6] condition to two rows: kept whole
    b.output(b.node('Where', [cond, b.init('ones', [2, 6], new Array<number>(12).fill(1)), b.init('neg', [], [-1])], {}, 'rows'));
    const { graph } = await expectMatchesOrt(b.build(), { keepIoLayout: true });
    const [toMask, toRows] = graph.nodes.filter((n) => n.op === 'SELECT_V2').map((n) => n.inputs.slice(1).map((t) => graph.tensor(t).shape.length));
    expect(toMask).toEqual([0, 0]);
    expect(toRows).toEqual([2, 0]);
  });
  it('int32 comparison selecting int32 values agrees with onnxruntime', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const a = b.input('a', [6], 'int32');
    const k = b.init('k', [6], [0, 5, -2, 7, 7, 1], 'int32');
    b.output(b.node('Where', [b.node('Less', [a, k]), a, k], {}, 'out'), [6], 'int32');
    await expectSameIntegers(b.build(), [{ name: 'a', dtype: 'int32', shape: [6], data: Int32Array.of(3, 5, -9, 8, 6, 1) }]);
  });
  it('int8 and uint16 comparisons are widened to int64 (CAST) and agree with onnxruntime', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const a = b.input('a', [6], 'int32');
    const a8 = b.node('Cast', [a], { to: attr.int(3) }); // int8
    const a16 = b.node('Cast', [a], { to: attr.int(4) }); // uint16
    const c1 = b.node('Less', [a8, b.init('k8', [6], [0, 5, -2, 7, 7, 1], 'int8')]);
    const c2 = b.node('GreaterOrEqual', [a16, b.init('k16', [6], [3, 0, 9, 8, 2, 1], 'uint16')]);
    b.output(b.node('Where', [c1, a, b.init('m', [], [-1], 'int32')], {}, 'lt'), [6], 'int32');
    b.output(b.node('Where', [c2, a, b.init('n', [], [-2], 'int32')], {}, 'ge'), [6], 'int32');
    await expectSameIntegers(b.build(), [{ name: 'a', dtype: 'int32', shape: [6], data: Int32Array.of(3, 5, 9, 8, 6, 1) }]);
  });
  it('uint32 Min / Max run as int64 and cast back, same as onnxruntime (which has no uint16 Min)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const a = b.input('a', [5], 'int32');
    const u = b.node('Cast', [a], { to: attr.int(12) }); // uint32
    const k = b.init('k', [5], [300, 0, 2147483000, 7, 1000], 'uint32');
    b.output(b.node('Cast', [b.node('Min', [u, k])], { to: attr.int(6) }, 'mn'), [5], 'int32');
    b.output(b.node('Cast', [b.node('Max', [u, k])], { to: attr.int(6) }, 'mx'), [5], 'int32');
    await expectSameIntegers(b.build(), [{ name: 'a', dtype: 'int32', shape: [5], data: Int32Array.of(299, 12, 2147483600, 7, 40000) }]);
  });
  for (const [op, tfl] of [['And', 'LOGICAL_AND'], ['Or', 'LOGICAL_OR'], ['Xor', 'NOT_EQUAL']] as const) {
    for (const keep of LAYOUTS) {
      it(`Where(Not(${op}(x > 0, y < 0.3))) → ${tfl}, LOGICAL_NOT, SELECT_V2 (${layoutName(keep)})`, async () => {
        const b = new OnnxGraphBuilder({ opset: 13 });
        const x = b.input('x', [1, 3, 4, 5]);
        const y = b.input('y', [1, 3, 4, 5]);
        const cond = b.node('Not', [b.node(op, [b.node('Greater', [x, b.init('z', [], [0])]), b.node('Less', [y, b.init('t', [], [0.3])])])]);
        b.output(b.node('Where', [cond, x, y], {}, 'out'));
        const { graph } = await expectMatchesOrt(b.build(), { keepIoLayout: keep });
        expect(graph.nodes.map((n) => n.op).filter((o) => o !== 'TRANSPOSE')).toEqual(['GREATER', 'LESS', tfl, 'LOGICAL_NOT', 'SELECT_V2']);
      });
    }
  }
  it('a non-bool Where condition is reported as an invalid model naming the value', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [4]);
    b.spec.nodes.push({ op: 'Where', inputs: [x, x, x], outputs: ['y'], name: 'w' });
    b.output('y', [4]);
    const d = importRejection(b.build()).diagnostics;
    expect(d.map((x) => [x.node, x.reason])).toEqual([['w', 'invalid-model']]);
  });
});

describe('ReduceMean / ReduceSum / ReduceMax / ReduceMin', () => {
  const ops: Array<[string, string]> = [
    ['ReduceMean', 'MEAN'],
    ['ReduceSum', 'SUM'],
    ['ReduceMax', 'REDUCE_MAX'],
    ['ReduceMin', 'REDUCE_MIN'],
  ];
  const axesSets: Array<number[] | undefined> = [[1], [2, 3], [-1, -2], [1, 2], [2], [0], [0, 1, 2, 3], undefined];
  for (const [op, tfl] of ops) {
    for (const axes of axesSets) {
      for (const keepdims of [1, 0]) {
        for (const keep of LAYOUTS) {
          it(`${op} axes=${axes ? `[${axes}]` : 'all'} keepdims=${keepdims} (${layoutName(keep)})`, async () => {
            const b = new OnnxGraphBuilder({ opset: 13 });
            const attrs: Record<string, ReturnType<typeof attr.int>> = { keepdims: attr.int(keepdims) };
            let inputs = [b.input('x', [2, 3, 4, 5])];
            if (op === 'ReduceSum') inputs = axes ? [...inputs, b.init('axes', [axes.length], axes, 'int64')] : inputs;
            else if (axes) attrs.axes = attr.ints(axes);
            const all = !axes || axes.length === 4;
            const r = b.node(op, inputs, attrs, all ? undefined : 'y');
            // a full reduction is one number, whose range-relative error means nothing: compare x − r instead
            b.output(all ? b.node('Sub', [inputs[0]!, r], {}, 'y') : r);
            const { graph } = await expectMatchesOrt(b.build(), { keepIoLayout: keep });
            expect(graph.nodes.filter((n) => n.op === tfl)).toHaveLength(1);
            // reductions that keep dims, or whose kept axes stay in ONNX order, need no transpose in NHWC
            const hw = axes && [2, 3, -1, -2].includes(axes[0]!) && axes.length === 2;
            if (!keep && (keepdims === 1 || hw || all)) expect(graph.nodes.map((n) => n.op).filter((o) => o !== 'RESHAPE')).toEqual(all ? [tfl, 'SUB'] : [tfl]);
          });
        }
      }
    }
  }
  it('opset 18: axes as a constant input (ReduceMean, ReduceMax, ReduceMin)', async () => {
    for (const op of ['ReduceMean', 'ReduceMax', 'ReduceMin']) {
      const b = new OnnxGraphBuilder({ opset: 18 });
      b.output(b.node(op, [b.input('x', [1, 3, 4, 5]), b.init('axes', [2], [2, 3], 'int64')], { keepdims: attr.int(1) }, 'y'));
      const { graph } = await expectMatchesOrt(b.build());
      expect(graph.nodes).toHaveLength(1);
    }
  });
  it('ReduceSum opset 11: axes as attribute', async () => {
    const b = new OnnxGraphBuilder({ opset: 11 });
    b.output(b.node('ReduceSum', [b.input('x', [1, 3, 4, 5])], { axes: attr.ints([1]), keepdims: attr.int(0) }, 'y'));
    await expectMatchesOrt(b.build());
  });
  it('noop_with_empty_axes = 1 with no axes is the input itself', async () => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    b.output(b.node('ReduceMean', [b.input('x', [2, 3])], { noop_with_empty_axes: attr.int(1) }, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(graph.nodes.some((n) => n.op === 'MEAN')).toBe(false);
  });
  it('2-D and 3-D tensors (ONNX order)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [4, 6, 3]);
    b.output(b.node('ReduceMax', [x], { axes: attr.ints([1]), keepdims: attr.int(0) }, 'y'));
    b.output(b.node('ReduceMean', [b.input('z', [5, 7])], { axes: attr.ints([-1]), keepdims: attr.int(1) }, 'm'));
    await expectMatchesOrt(b.build());
  });
  it('int32 ReduceSum and ReduceMax agree with onnxruntime', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [2, 3], 'int32');
    b.output(b.node('ReduceSum', [x, b.init('axes', [1], [1], 'int64')], { keepdims: attr.int(0) }, 's'), [2], 'int32');
    b.output(b.node('ReduceMax', [x], { axes: attr.ints([0]), keepdims: attr.int(0) }, 'm'), [3], 'int32');
    await expectSameIntegers(b.build(), [{ name: 'x', dtype: 'int32', shape: [2, 3], data: Int32Array.of(4, -9, 2, 7, 1, -3) }]);
  });
  it('opset-20 bool ReduceMax / ReduceMin (any / all) run on 0/1 floats and agree with onnxruntime', async () => {
    const b = new OnnxGraphBuilder({ opset: 20 });
    const flags = b.node('Cast', [b.input('x', [2, 4], 'int32')], { to: attr.int(9) }); // bool
    const toInt = (v: string, name: string) => b.node('Cast', [v], { to: attr.int(6) }, name);
    b.output(toInt(b.node('ReduceMax', [flags, b.init('a1', [1], [1], 'int64')], { keepdims: attr.int(0) }), 'any'), [2], 'int32');
    b.output(toInt(b.node('ReduceMin', [flags, b.init('a0', [1], [0], 'int64')], { keepdims: attr.int(0) }), 'all'), [4], 'int32');
    await expectSameIntegers(b.build(), [{ name: 'x', dtype: 'int32', shape: [2, 4], data: Int32Array.of(0, 0, 3, 0, 1, 0, 1, 0) }]);
  });
  it('runtime axes → requires-constant-input naming the node', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 4, 5]);
    const axes = b.input('axes', [1], 'int64');
    b.spec.nodes.push({ op: 'ReduceSum', inputs: [x, axes], outputs: ['y'], name: 'sum_rt' });
    b.output('y');
    const d = importRejection(b.build()).diagnostics;
    expect(d.map((x) => [x.node, x.reason])).toEqual([['sum_rt', 'requires-constant-input']]);
  });
  it('ReduceMean followed by more work in NHWC (keepdims over H,W feeding a Mul) adds no transpose', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 4, 6, 6]);
    const m = b.node('ReduceMean', [x], { axes: attr.ints([2, 3]), keepdims: attr.int(1) });
    b.output(b.node('Mul', [x, m], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(graph.nodes.map((n) => n.op)).toEqual(['MEAN', 'MUL']);
  });
});
