/**
 * Hand-built TF graphs for what TensorFlow's CPU fixtures cannot show: data_format NCHW (a GPU-trained
 * graph's layout; TensorFlow's CPU kernels refuse it, TensorFlow.js runs it), a TF1 Switch / Merge whose
 * predicate is a constant, and an input whose non-batch dims are unknown. Checked against TensorFlow.js.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convert } from '../../../src/convert/index.js';
import { checkTfConversion } from '../../../src/convert/tf/check.js';
import { loadTfModel } from '../../../src/convert/tf/load.js';
import { normalFloat32 } from '../../../src/core/random.js';
import { isMaiError } from '../../../src/core/errors.js';
import { dt, ints, node, s, shape, writeTfjsModel } from './tfjs-writer.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mai-tf-graphs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error converting `bytes` throws (undefined when it converts). */
function conversionError(bytes: Uint8Array, file: string): unknown {
  try {
    convert({ bytes, file });
  } catch (e) {
    return e;
  }
  return undefined;
}

async function convertAndCheck(file: string) {
  const bytes = new Uint8Array(readFileSync(file));
  const r = convert({ bytes, file });
  const check = await checkTfConversion(loadTfModel(bytes, file), r.tflite, r.graph);
  return { ...r, check };
}

describe('hand-built TF graphs', () => {
  // TensorFlow's CPU kernels refuse NCHW, and TensorFlow.js reads NCHW strides / ksize / BiasAdd as if NHWC:
  // the oracle case keeps to what tfjs runs right (stride 1, the bias as an Add of a [C,1,1] constant)
  function nchwGraph(name: string, strides: number[], pool: boolean): string {
    return writeTfjsModel(
      join(dir, name),
      [
        node('x', 'Placeholder', [], { dtype: dt(), shape: shape([1, 3, 8, 8]) }),
        node('w', 'Const', [], { dtype: dt() }),
        node('b', 'Const', [], { dtype: dt() }),
        node('conv', 'Conv2D', ['x', 'w'], { data_format: s('NCHW'), strides: ints(strides), padding: s('SAME'), dilations: ints([1, 1, 1, 1]) }),
        node('bias', 'AddV2', ['conv', 'b']),
        node('relu', 'Relu', ['bias']),
        ...(pool ? [node('pool', 'MaxPool', ['relu'], { data_format: s('NCHW'), ksize: ints([1, 1, 2, 2]), strides: ints([1, 1, 2, 1]), padding: s('VALID') })] : []),
      ],
      [
        { name: 'w', shape: [3, 3, 3, 5], data: normalFloat32(135, 1, 0.5) },
        { name: 'b', shape: [5, 1, 1], data: normalFloat32(5, 2, 0.1) },
      ],
    );
  }

  it('data_format NCHW: a Conv2D runs as its NHWC form between transposes and matches TensorFlow.js', async () => {
    const { graph, check } = await convertAndCheck(nchwGraph('nchw', [1, 1, 1, 1], false));
    expect(graph.tensor(graph.outputs[0]!).shape).toEqual([1, 5, 8, 8]);
    expect(graph.nodes.filter((n) => n.op === 'CONV_2D')).toHaveLength(1);
    expect(check.pass).toBe(true);
  });

  it('data_format NCHW: strides and ksize are read in NCHW order', () => {
    const file = nchwGraph('nchw-strided', [1, 1, 2, 1], true);
    const { graph } = convert({ bytes: new Uint8Array(readFileSync(file)), file });
    expect(graph.nodes.find((n) => n.op === 'CONV_2D')!.attrs).toMatchObject({ strideH: 2, strideW: 1 });
    expect(graph.nodes.find((n) => n.op === 'MAX_POOL_2D')!.attrs).toMatchObject({ filterH: 2, filterW: 2, strideH: 2, strideW: 1 });
    expect(graph.tensor(graph.outputs[0]!).shape).toEqual([1, 5, 2, 7]);
  });

  it('ArgMin is one ARG_MIN; over a RELU (many tied zeros) it returns the first index as TensorFlow.js does', async () => {
    const file = writeTfjsModel(
      join(dir, 'argmin'),
      [
        node('x', 'Placeholder', [], { dtype: dt(), shape: shape([2, 6, 5]) }),
        node('axis', 'Const', [], { dtype: dt('DT_INT32') }),
        node('relu', 'Relu', ['x']),
        node('y', 'ArgMin', ['relu', 'axis'], { Tidx: dt('DT_INT32'), output_type: dt('DT_INT32') }),
      ],
      [{ name: 'axis', shape: [], data: Int32Array.from([1]) }],
    );
    const { graph, check } = await convertAndCheck(file);
    expect(graph.nodes.map((n) => n.op)).toEqual(['RELU', 'ARG_MIN']);
    expect(graph.tensor(graph.outputs[0]!)).toMatchObject({ dtype: 'int32', shape: [2, 5] });
    expect(check.pass).toBe(true);
  });

  it('a Switch whose predicate is a constant folds: the taken branch converts, the other is never built', async () => {
    const file = writeTfjsModel(
      join(dir, 'switch'),
      [
        node('x', 'Placeholder', [], { dtype: dt(), shape: shape([1, 4]) }),
        node('pred', 'Const', [], { dtype: dt('DT_BOOL') }),
        node('sw', 'Switch', ['x', 'pred']),
        node('f', 'Frobnicate', ['sw']),
        node('t', 'Tanh', ['sw:1']),
        node('m', 'Merge', ['f', 't'], { N: { i: '2' } }),
        node('y', 'Identity', ['m']),
      ],
      [],
    );
    // bool weights: one byte, true
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.weightsManifest[0].weights.push({ name: 'pred', shape: [], dtype: 'bool' });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'switch', 'weights.bin'), Buffer.from([1]));
    writeFileSync(file, JSON.stringify(json));
    const bytes = new Uint8Array(readFileSync(file));
    const { graph } = convert({ bytes, file });
    expect(graph.nodes.map((n) => n.op)).toEqual(['TANH']);
  });

  it('ops TFLite cannot hold are refused by name with their reason: Where (data-dependent shape), NMS (post-processing)', () => {
    const file = writeTfjsModel(
      join(dir, 'refused'),
      [
        node('x', 'Placeholder', [], { dtype: dt(), shape: shape([1, 4]) }),
        node('gt', 'Greater', ['x', 'x']),
        node('idx', 'Where', ['gt'], { T: dt('DT_BOOL') }),
        node('nms', 'NonMaxSuppressionV5', ['x', 'x', 'x', 'x', 'x', 'x']),
      ],
      [],
    );
    const bytes = new Uint8Array(readFileSync(file));
    const err = conversionError(bytes, file);
    expect(isMaiError(err) && err.diagnostics.map((d) => [d.node, d.reason])).toEqual([
      ['idx', 'dynamic-shape'],
      ['nms', 'unsupported-op'],
    ]);
    expect((err as { diagnostics: Array<{ message: string }> }).diagnostics[1]!.message).toMatch(/NonMaxSuppressionV5 is detection post-processing .* --outputs/);
  });

  it('an input with unknown spatial dims needs --input-shape; the error suggests one', () => {
    const file = writeTfjsModel(join(dir, 'dynamic'), [node('x', 'Placeholder', [], { dtype: dt(), shape: shape([-1, -1, -1, 3]) }), node('y', 'Relu', ['x'])], []);
    const bytes = new Uint8Array(readFileSync(file));
    const err = conversionError(bytes, file);
    expect(isMaiError(err) && err.code).toBe('dynamic-shape');
    expect((err as { hint?: string }).hint).toMatch(/--input-shape x=1,/);
    const { graph } = convert({ bytes, file, inputShapes: { 'x:0': [1, 16, 12, 3] } });
    expect(graph.tensor(graph.inputs[0]!).shape).toEqual([1, 16, 12, 3]);
  });
});
