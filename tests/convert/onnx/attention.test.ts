/**
 * Attention (opset 23) against onnxruntime: 4-D and 3-D inputs, scale, softcap, a bool and a float
 * mask, is_causal with a KV cache (present_key / present_value), grouped KV heads, every
 * qk_matmul_output_mode, opset-24 nonpad_kv_seqlen; a torch.onnx dynamo export of nn.MultiheadAttention;
 * nonpad_kv_seqlen with a KV cache refused by name. The conformance suite covers the same modes with
 * its own data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attr, buildOnnxModel, type AttrValue, type OnnxTensorSpec, type OnnxValueSpec } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, importRejection } from './harness.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { onnx } from '../../../src/convert/onnx/proto.js';
import { convert } from '../../../src/convert/index.js';

interface Case {
  name: string;
  q: number[];
  k: number[];
  v: number[];
  past?: number[];
  mask?: OnnxTensorSpec;
  attrs?: Record<string, AttrValue>;
  outputs: number;
}

function model(c: Case): Uint8Array {
  const inputs: OnnxValueSpec[] = [{ name: 'q', shape: c.q }, { name: 'k', shape: c.k }, { name: 'v', shape: c.v }];
  if (c.past) inputs.push({ name: 'past_key', shape: c.past }, { name: 'past_value', shape: c.past });
  const names = ['y', 'present_key', 'present_value', 'qk'].slice(0, c.outputs);
  return buildOnnxModel({
    opset: 23,
    inputs,
    outputs: names.map((name) => ({ name })),
    initializers: c.mask ? [c.mask] : [],
    nodes: [{ op: 'Attention', inputs: ['q', 'k', 'v', c.mask ? 'mask' : '', ...(c.past ? ['past_key', 'past_value'] : [])], outputs: names, attrs: c.attrs }],
  });
}

const boolMask = (shape: number[]): OnnxTensorSpec => {
  const n = shape.reduce((p, q) => p * q, 1);
  // every third key masked, and the whole first query row of the last block (a fully masked row → zeros)
  return { name: 'mask', dtype: 'bool', shape, data: Uint8Array.from({ length: n }, (_, i) => (i % 3 === 2 || i >= n - shape.at(-1)! ? 0 : 1)) };
};
const floatMask = (shape: number[]): OnnxTensorSpec => ({ name: 'mask', shape, data: Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, (_, i) => ((i * 7) % 5) - 2) });

describe('ONNX Attention vs onnxruntime', () => {
  const cases: Case[] = [
    { name: '4-D', q: [2, 3, 4, 8], k: [2, 3, 6, 8], v: [2, 3, 6, 5], outputs: 1 },
    { name: '4-D scale, float mask, qk mode 0', q: [1, 2, 4, 8], k: [1, 2, 6, 8], v: [1, 2, 6, 8], mask: floatMask([4, 6]), attrs: { scale: attr.float(0.3) }, outputs: 4 },
    { name: '4-D softcap', q: [1, 2, 4, 8], k: [1, 2, 6, 8], v: [1, 2, 6, 8], attrs: { softcap: attr.float(0.5) }, outputs: 1 },
    { name: '4-D bool mask with a fully masked row, qk mode 3', q: [1, 2, 4, 8], k: [1, 2, 6, 8], v: [1, 2, 6, 8], mask: boolMask([1, 1, 4, 6]), attrs: { qk_matmul_output_mode: attr.int(3) }, outputs: 4 },
    { name: '4-D float mask, qk mode 2', q: [2, 2, 3, 8], k: [2, 2, 5, 8], v: [2, 2, 5, 8], mask: floatMask([2, 1, 3, 5]), attrs: { qk_matmul_output_mode: attr.int(2) }, outputs: 4 },
    { name: '4-D causal with a KV cache and a float mask', q: [1, 2, 3, 8], k: [1, 2, 3, 8], v: [1, 2, 3, 8], past: [1, 2, 4, 8], mask: floatMask([3, 7]), attrs: { is_causal: attr.int(1) }, outputs: 3 },
    { name: '3-D grouped KV heads, causal, KV cache', q: [2, 4, 32], k: [2, 4, 16], v: [2, 4, 16], past: [2, 2, 3, 8], attrs: { q_num_heads: attr.int(4), kv_num_heads: attr.int(2), is_causal: attr.int(1) }, outputs: 3 },
    { name: '3-D bool mask, qk mode 1', q: [1, 5, 12], k: [1, 6, 12], v: [1, 6, 6], mask: boolMask([5, 6]), attrs: { q_num_heads: attr.int(3), kv_num_heads: attr.int(3), qk_matmul_output_mode: attr.int(1) }, outputs: 4 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      await expectMatchesOrt(model(c), { keepIoLayout: true });
    });
  }

  it('a torch.onnx dynamo (opset 23) export of nn.MultiheadAttention', async () => {
    const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'onnx', 'mha-dynamo-opset23.onnx')));
    const { graph } = await expectMatchesOrt(bytes, { keepIoLayout: true });
    expect(graph.nodes.filter((n) => n.sourceNode === 'node_scaled_dot_product_attention').map((n) => n.op)).toContain('SOFTMAX');
  });

  it('a torch.onnx dynamo (opset 23) export of nn.MultiheadAttention with a run-time key_padding_mask: all on the GPU by our table', async () => {
    // scripts/corpus/masked_attention_fixtures.py: key_padding_mask = pad > 0.5 becomes Where(…, −inf, zeros_like) → Attention
    const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'onnx', 'mha-keypad-dynamo-opset23.onnx')));
    // onnxruntime's Attention wants the mask's query axis spelled out (6, not a broadcast 1): its copy
    // expands the [1, 1, 1, 6] mask to [1, 2, 6, 6] instead of [1, 2, 1, 6]
    const ortCopy = onnx.ModelProto.decode(bytes);
    const inits = ortCopy.graph!.initializer!;
    inits[inits.findIndex((t) => t.name === 'val_62')] = onnx.TensorProto.create({ name: 'val_62', dataType: onnx.TensorProto.DataType.INT64, dims: [4], int64Data: [1, 2, 6, 1] });
    const { graph } = await expectMatchesOrt(bytes, { keepIoLayout: true, ortModel: onnx.ModelProto.encode(ortCopy).finish() });
    expect(graph.nodes.map((n) => n.op)).toContain('GREATER_EQUAL');
    expect(checkGpuCompat(convert({ bytes, file: 'mha-keypad.onnx' }).graph).unsupportedLines).toEqual([]);
  });

  it('opset 24 nonpad_kv_seqlen with is_causal and grouped KV heads', async () => {
    const bytes = buildOnnxModel({
      opset: 24,
      inputs: [{ name: 'q', shape: [3, 4, 2, 8] }, { name: 'k', shape: [3, 2, 6, 8] }, { name: 'v', shape: [3, 2, 6, 8] }],
      outputs: [{ name: 'y' }],
      initializers: [{ name: 'lens', dtype: 'int64', shape: [3], data: BigInt64Array.of(6n, 3n, 1n) }],
      nodes: [{ op: 'Attention', inputs: ['q', 'k', 'v', '', '', '', 'lens'], outputs: ['y'], attrs: { is_causal: attr.int(1) } }],
    });
    await expectMatchesOrt(bytes, { keepIoLayout: true });
  });

  // mask = Where(c, fill, m): query row 0 fully masked, row 1 every other key, rows 2-3 open; m a graph input
  const fillMasked = (fill: number) =>
    buildOnnxModel({
      opset: 23,
      inputs: [{ name: 'q', shape: [1, 2, 4, 8] }, { name: 'k', shape: [1, 2, 6, 8] }, { name: 'v', shape: [1, 2, 6, 8] }, { name: 'm', shape: [4, 6] }],
      outputs: [{ name: 'y' }],
      initializers: [{ name: 'c', dtype: 'bool', shape: [4, 6], data: Uint8Array.from({ length: 24 }, (_, i) => (i < 6 || (i < 12 && i % 2 === 0) ? 1 : 0)) }, { name: 'fill', shape: [], data: Float32Array.of(fill) }],
      nodes: [
        { op: 'Where', inputs: ['c', 'fill', 'm'], outputs: ['mask'] },
        { op: 'Attention', inputs: ['q', 'k', 'v', 'mask'], outputs: ['y'] },
      ],
    });

  it('a run-time float mask with a fully −inf row: zeros there, decided without a ±inf comparison (GPU table: all delegated)', async () => {
    const { graph, expected } = await expectMatchesOrt(fillMasked(-Infinity), { keepIoLayout: true });
    expect(Array.from((expected[0]!.data as Float32Array).subarray(0, 8))).toEqual(new Array(8).fill(0));
    expect(checkGpuCompat(graph).unsupportedLines).toEqual([]);
    const compared = graph.nodes.filter((n) => ['GREATER', 'GREATER_EQUAL'].includes(n.op)).flatMap((n) => n.inputs.map((t) => graph.tensor(t).data));
    expect(compared.filter((d) => d && Array.from(d as Float32Array).some((x) => !Number.isFinite(x)))).toEqual([]);
  });

  it('a float mask filled with −1e9 (below −65504, −inf in fp16) masks like −inf: a fully filled row gives zeros', async () => {
    // onnxruntime would spread a row of −1e9 evenly; the converted model treats it as onnxruntime treats −inf
    const { actual } = await expectMatchesOrt(fillMasked(-1e9), { keepIoLayout: true, ortModel: fillMasked(-Infinity) });
    expect(Array.from((actual[0]!.data as Float32Array).subarray(0, 8))).toEqual(new Array(8).fill(0));
  });

  it('refuses nonpad_kv_seqlen together with a KV cache by name', () => {
    const bytes = buildOnnxModel({
      opset: 24,
      inputs: [...['q', 'k', 'v', 'pk', 'pv'].map((name): OnnxValueSpec => ({ name, shape: [1, 2, 3, 4] })), { name: 'lens', dtype: 'int64', shape: [1] }],
      outputs: [{ name: 'y' }],
      nodes: [{ op: 'Attention', inputs: ['q', 'k', 'v', '', 'pk', 'pv', 'lens'], outputs: ['y'] }],
    });
    const e = importRejection(bytes);
    expect(e.diagnostics[0]).toMatchObject({ reason: 'invalid-model', opType: 'Attention' });
    expect(e.diagnostics[0]!.message).toContain('nonpad_kv_seqlen');
  });
});
