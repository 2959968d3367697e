/**
 * Gemm: Y = alpha·A'·B' + beta·C. Constant B → FULLY_CONNECTED with weights [N, K] (alpha folded in;
 * beta·C folded into the bias when C is constant and per-column). Otherwise BATCH_MATMUL (+ MUL alpha).
 * Any C term not folded is added with ADD (broadcasting).
 */

import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitBinary } from './binary.js';
import { permuteData } from '../../../ir/ndarray.js';

export function importGemm(ctx: ImportContext, node: OnnxNode): void {
  const [a, b, c] = [node.input(0), node.input(1), node.input(2)];
  const transA = node.int('transA', 0) === 1;
  const transB = node.int('transB', 0) === 1;
  const alpha = node.float('alpha', 1);
  const beta = node.float('beta', 1);
  const as = ctx.shape(a);
  const bs = ctx.shape(b);
  if (as.length !== 2 || bs.length !== 2) ctx.fail('shape-mismatch', `Gemm needs 2-D A and B, got [${as}] and [${bs}]`);
  const m = transA ? as[1]! : as[0]!;
  const k = transA ? as[0]! : as[1]!;
  const n = transB ? bs[0]! : bs[1]!;
  const outName = node.outputs[0]!;
  const hasC = !!c && beta !== 0;
  const cs = hasC ? ctx.shape(c) : [];
  const cData = hasC ? ctx.constFloat32(c) : undefined;
  let aT = ctx.nchw(a);
  if (transA) aT = ctx.permute(aT, [1, 0], 'plain', `${node.name}_a_t`);
  const bData = ctx.constFloat32(b);
  // C folds into the FC bias when constant and constant along rows: [], [1], [N], [1,N], [1,1]
  const perColumn = cData !== undefined && cs.slice(0, -1).every((d) => d === 1) && (cs.length === 0 || cs[cs.length - 1] === n || cs[cs.length - 1] === 1);
  const foldC = hasC && bData !== undefined && perColumn;
  const productName = hasC && !foldC ? `${node.name}__product` : outName;
  if (bData) {
    const w = transB ? Float32Array.from(bData) : (permuteData('float32', bData, bs, [1, 0]) as Float32Array);
    if (alpha !== 1) for (let i = 0; i < w.length; i++) w[i]! *= alpha;
    const inputs = [aT, ctx.float32Const(`${node.name}_weights`, w, [n, k])];
    if (foldC) {
      const bias = new Float32Array(n);
      for (let i = 0; i < n; i++) bias[i] = beta * (cData!.length === 1 ? cData![0]! : cData![i]!);
      inputs.push(ctx.float32Const(`${node.name}_bias`, bias, [n]));
    }
    const out = ctx.define(productName, 'float32', [m, n], 'ONNX');
    ctx.emit('FULLY_CONNECTED', inputs, [out], { activation: 'NONE', keepNumDims: false });
  } else {
    const matName = alpha !== 1 ? `${node.name}__matmul` : productName;
    const out = ctx.define(matName, 'float32', [m, n], 'ONNX');
    ctx.emit('BATCH_MATMUL', [aT, ctx.nchw(b)], [out], { adjX: false, adjY: transB });
    if (alpha !== 1) {
      const alphaName = `${node.name}__alpha`;
      ctx.defineConst(alphaName, { dtype: 'float32', shape: [1], data: Float32Array.of(alpha) });
      emitBinary(ctx, 'MUL', matName, alphaName, productName);
    }
  }
  if (!hasC || foldC) return;
  let cName = c;
  if (beta !== 1) {
    cName = `${node.name}__beta_c`;
    if (cData) ctx.defineConst(cName, { dtype: 'float32', shape: cs, data: cData.map((v) => v * beta) });
    else {
      const betaName = `${node.name}__beta`;
      ctx.defineConst(betaName, { dtype: 'float32', shape: [1], data: Float32Array.of(beta) });
      emitBinary(ctx, 'MUL', c, betaName, cName);
    }
  }
  emitBinary(ctx, 'ADD', productName, cName, outName);
}
