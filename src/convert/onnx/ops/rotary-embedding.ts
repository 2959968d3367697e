/**
 * RotaryEmbedding (opset 23) with constant caches (and position ids) as y = x·C + swap(x)·S: C and S
 * are constants built here from cos_cache / sin_cache rows (picked by position_ids), and swap(x) is
 * one GATHER along the last axis pairing each rotated element with its partner — d ↔ d ± R/2 (halves)
 * or 2k ↔ 2k+1 (interleaved); elements past rotary_embedding_dim R get C = 1, S = 0. All GPU ops.
 * 4-D x [B, heads, S, D]: C and S are [B, 1, S, D]; 3-D x [B, S, heads·D]: [B, S, heads·D].
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitBinary } from './binary.js';

export function checkRotaryEmbedding(ctx: ImportContext, node: OnnxNode): void {
  for (const [i, what] of [[1, 'cos_cache'], [2, 'sin_cache'], [3, 'position_ids']] as const) {
    const name = node.input(i);
    if (name && ctx.isRuntime(name)) ctx.fail('requires-constant-input', `RotaryEmbedding ${what} (input '${name}') must be a constant`);
  }
}

export function importRotaryEmbedding(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const fail = (m: string): never => ctx.fail('unsupported-attribute', `RotaryEmbedding: ${m}`);
  if (xs.length !== 3 && xs.length !== 4) fail(`input '${x}' [${xs}] must be 3-D or 4-D`);
  const [b, seq] = xs.length === 4 ? [xs[0]!, xs[2]!] : [xs[0]!, xs[1]!];
  const heads = xs.length === 4 ? xs[1]! : node.int('num_heads', 0)!;
  if (heads <= 0 || (xs.length === 3 && xs[2]! % heads !== 0)) fail(`num_heads ${heads} must divide the hidden size ${xs[2]} of a 3-D input`);
  const d = xs.length === 4 ? xs[3]! : xs[2]! / heads;
  const r = node.int('rotary_embedding_dim', 0) || d;
  if (r % 2 !== 0 || r > d) fail(`rotary_embedding_dim ${r} must be even and at most the head size ${d}`);
  const half = r / 2;
  const interleaved = node.int('interleaved', 0) === 1;
  const cos = ctx.constFloat32(node.input(1))!;
  const sin = ctx.constFloat32(node.input(2))!;
  const width = ctx.shape(node.input(1)).at(-1)!;
  if (width < half) fail(`cos_cache rows hold ${width} values; rotary_embedding_dim ${r} needs ${half}`);
  // the cache row each (batch, position) reads
  const pos = node.input(3) ? ctx.constNumbers(node.input(3))! : undefined;
  const cacheRows = ctx.shape(node.input(1)).slice(0, -1).reduce((p, q) => p * q, 1);
  const rowOf = (bi: number, si: number): number => {
    const row = pos ? pos[bi * seq + si]! : bi * seq + si;
    if (!Number.isInteger(row) || row < 0 || row >= cacheRows) ctx.fail('invalid-model', `RotaryEmbedding position ${row} is outside the ${cacheRows} cache rows`);
    return row;
  };
  // per element of a head: partner index, and C / S at (batch, position)
  const partner = Array.from({ length: d }, (_, i) => (i >= r ? i : interleaved ? i ^ 1 : i < half ? i + half : i - half));
  const freq = (i: number) => (interleaved ? i >> 1 : i % half);
  const sign = (i: number) => (interleaved ? (i % 2 === 0 ? -1 : 1) : i < half ? -1 : 1);
  const perHead = xs.length === 3 ? heads : 1;
  const cData = new Float32Array(b * seq * perHead * d);
  const sData = new Float32Array(cData.length);
  for (let bi = 0; bi < b; bi++) {
    for (let si = 0; si < seq; si++) {
      const row = rowOf(bi, si) * width;
      for (let h = 0; h < perHead; h++) {
        for (let i = 0; i < d; i++) {
          const o = ((bi * seq + si) * perHead + h) * d + i;
          cData[o] = i < r ? cos[row + freq(i)]! : 1;
          sData[o] = i < r ? sign(i) * sin[row + freq(i)]! : 0;
        }
      }
    }
  }
  const v = (s: string) => `${node.name}__${s}`;
  const constShape = xs.length === 4 ? [b, 1, seq, d] : [b, seq, heads * d];
  ctx.defineConst(v('cos'), { dtype: 'float32', shape: constShape, data: cData });
  ctx.defineConst(v('sin'), { dtype: 'float32', shape: constShape, data: sData });
  // swap(x): GATHER along the last axis, in ONNX order
  const ids = Array.from({ length: perHead * d }, (_, j) => Math.floor(j / d) * d + partner[j % d]!);
  const swapped = ctx.define(v('swapped'), ctx.dtype(x), xs, 'ONNX');
  ctx.emit('GATHER', [ctx.nchw(x), ctx.int32Const(`${swapped}_ids`, ids)], [swapped], { axis: xs.length - 1, batchDims: 0 });
  emitBinary(ctx, 'MUL', x, v('cos'), v('x_cos'));
  emitBinary(ctx, 'MUL', v('swapped'), v('sin'), v('swapped_sin'));
  emitBinary(ctx, 'ADD', v('x_cos'), v('swapped_sin'), node.outputs[0]!);
}
