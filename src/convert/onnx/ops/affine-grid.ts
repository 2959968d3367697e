/**
 * AffineGrid (opset 20; 2-D and 3-D) with a constant `size`: the normalized base grid of every output
 * position — columns (x, y[, z], 1), x varying fastest, coordinates −1 + (2i + 1)/S (align_corners = 0)
 * or −1 + 2i/(S − 1) (align_corners = 1) — is a constant [k+1, P]; θ [N, k, k+1] times it in one
 * BATCH_MATMUL gives [N, k, P], TRANSPOSEd and RESHAPEd to [N, (D,) H, W, k].
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { numElements } from '../../../ir/tensor.js';

export function checkAffineGrid(ctx: ImportContext, node: OnnxNode): void {
  const size = node.input(1);
  if (ctx.isRuntime(size)) ctx.fail('requires-constant-input', `AffineGrid size (input '${size}') must be a constant: it sets the output shape`);
}

/**
 * The normalized coordinates of `s` positions along one axis: linspace(−1, 1, s), scaled by (s − 1)/s
 * without align_corners. One position with align_corners is at 1, as in onnxruntime (Eigen's LinSpaced;
 * the ONNX reference's numpy linspace puts it at −1).
 */
function axisCoords(s: number, align: boolean): number[] {
  return Array.from({ length: s }, (_, i) => (align ? (s > 1 ? -1 + (2 * i) / (s - 1) : 1) : -1 + (2 * i + 1) / s));
}

export function importAffineGrid(ctx: ImportContext, node: OnnxNode): void {
  const theta = node.input(0);
  const ts = ctx.shape(theta);
  const size = ctx.requireConst(node.input(1), 'AffineGrid size');
  const k = size.length - 2;
  if (k !== 2 && k !== 3) ctx.fail('invalid-model', `AffineGrid size [${size}] must be [N, C, H, W] or [N, C, D, H, W]`);
  const n = size[0]!;
  if (ts.length !== 3 || ts[0] !== n || ts[1] !== k || ts[2] !== k + 1) ctx.fail('shape-mismatch', `AffineGrid theta '${theta}' [${ts}] must be [${n}, ${k}, ${k + 1}] for size [${size}]`);
  if (ctx.dtype(theta) !== 'float32') ctx.fail('unsupported-dtype', `AffineGrid of ${ctx.dtype(theta)} theta '${theta}': float only`);
  const align = node.int('align_corners', 0) === 1;
  const spatial = size.slice(2); // [(D,) H, W]
  const coords = spatial.map((s) => axisCoords(s, align));
  const points = numElements(spatial);
  // the base grid transposed, [k+1, P]: row c holds coordinate c (x, y[, z]) of every position, W fastest, then 1s
  const base = new Float32Array((k + 1) * points);
  for (let p = 0; p < points; p++) {
    let rest = p;
    for (let a = k - 1; a >= 0; a--) {
      base[(k - 1 - a) * points + p] = coords[a]![rest % spatial[a]!]!;
      rest = Math.floor(rest / spatial[a]!);
    }
    base[k * points + p] = 1;
  }
  const name = `${node.name}_affine_grid`;
  // θ first and the constant 2-D second: the GPU delegate's BATCH_MATMUL takes no constant first input
  const mm = ctx.newTensor(`${name}_components`, 'float32', [n, k, points], 'plain');
  ctx.emit('BATCH_MATMUL', [ctx.nchw(theta), ctx.float32Const(`${name}_base`, base, [k + 1, points])], [mm], { adjX: false, adjY: false });
  const perPoint = ctx.permute(mm, [0, 2, 1], 'plain', `${name}_points`);
  const outShape = [n, ...spatial, k];
  const out = ctx.define(node.outputs[0]!, 'float32', outShape, 'ONNX');
  ctx.emit('RESHAPE', [perPoint, ctx.int32Const(`${out}_shape`, outShape)], [out], { newShape: outShape });
}
