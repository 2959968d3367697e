/**
 * RotaryEmbedding (opset 23) against onnxruntime with constant caches: 4-D and 3-D input, with and
 * without position_ids, halves and interleaved, partial rotary_embedding_dim; a runtime cache is
 * refused by name. The conformance suite covers the same modes with its own data.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, attr, uniformFloat32 } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, importRejection } from './harness.js';

interface Case { shape: number[]; heads?: number; interleaved: number; dim: number; positions: boolean }

function model(c: Case): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 23 });
  const x = b.input('x', c.shape);
  const [batch, seq] = c.shape.length === 4 ? [c.shape[0]!, c.shape[2]!] : [c.shape[0]!, c.shape[1]!];
  const d = c.shape.length === 4 ? c.shape[3]! : c.shape[2]! / c.heads!;
  const half = (c.dim || d) / 2;
  const rows = c.positions ? [20, half] : [batch, seq, half];
  const n = rows.reduce((p, q) => p * q, 1);
  const inputs = [x, b.init('cos', rows, uniformFloat32(n, 3, -1, 1)), b.init('sin', rows, uniformFloat32(n, 4, -1, 1))];
  if (c.positions) inputs.push(b.init('pos', [batch, seq], BigInt64Array.from({ length: batch * seq }, (_, i) => BigInt((i * 7) % 20)), 'int64'));
  const attrs = { interleaved: attr.int(c.interleaved), rotary_embedding_dim: attr.int(c.dim), ...(c.heads ? { num_heads: attr.int(c.heads) } : {}) };
  b.output(b.node('RotaryEmbedding', inputs, attrs, 'y'));
  return b.build();
}

describe('ONNX RotaryEmbedding vs onnxruntime', () => {
  const cases: Case[] = [
    { shape: [2, 3, 5, 8], interleaved: 0, dim: 0, positions: true },
    { shape: [1, 2, 6, 8], interleaved: 1, dim: 0, positions: false },
    { shape: [2, 3, 5, 8], interleaved: 0, dim: 4, positions: true },
    { shape: [1, 2, 6, 8], interleaved: 1, dim: 6, positions: true },
    { shape: [2, 5, 24], heads: 3, interleaved: 0, dim: 0, positions: true },
    { shape: [1, 4, 16], heads: 2, interleaved: 1, dim: 4, positions: false },
  ];
  for (const c of cases) {
    it(`[${c.shape}]${c.heads ? ` ${c.heads} heads` : ''} interleaved=${c.interleaved} dim=${c.dim}${c.positions ? ' with position_ids' : ''}`, async () => {
      await expectMatchesOrt(model(c), { keepIoLayout: true });
    });
  }

  it('refuses a runtime cos_cache by name', () => {
    const b = new OnnxGraphBuilder({ opset: 23 });
    const x = b.input('x', [1, 2, 3, 4]);
    const cos = b.input('cos', [1, 3, 2]);
    b.output(b.node('RotaryEmbedding', [x, cos, b.init('sin', [1, 3, 2], new Float32Array(6))], {}, 'y'));
    const e = importRejection(b.build());
    expect(e.diagnostics[0]).toMatchObject({ reason: 'requires-constant-input', opType: 'RotaryEmbedding' });
  });
});
