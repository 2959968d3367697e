/**
 * AffineGrid (opset 20; 2-D and 3-D) with a constant `size`: the normalized base grid of every output
 * position — rows (x, y[, z], 1), x varying fastest, coordinates −1 + (2i + 1)/S (align_corners = 0)
 * or −1 + 2i/(S − 1) (align_corners = 1) — is a constant [P, k+1]; the grid is one BATCH_MATMUL
 * of it with θᵀ [N, k+1, k] (θ TRANSPOSEd), RESHAPEd to [N, (D,) H, W, k].
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
  const base = new Float32Array(points * (k + 1));
  for (let p = 0; p < points; p++) {
    // p's index along each spatial axis, W fastest; the row is (x, y[, z], 1): W's coordinate first
    let rest = p;
    const at = spatial.map(() => 0);
    for (let a = k - 1; a >= 0; a--) {
      at[a] = rest % spatial[a]!;
      rest = Math.floor(rest / spatial[a]!);
    }
    for (let c = 0; c < k; c++) base[p * (k + 1) + c] = coords[k - 1 - c]![at[k - 1 - c]!]!;
    base[p * (k + 1) + k] = 1;
  }
  const name = `${node.name}_affine_grid`;
  const rows = ctx.float32Const(`${name}_base`, base, [points, k + 1]);
  const thetaT = ctx.permute(ctx.nchw(theta), [0, 2, 1], 'plain', `${name}_theta_t`);
  const mm = ctx.newTensor(`${name}_points`, 'float32', [n, points, k], 'plain');
  ctx.emit('BATCH_MATMUL', [rows, thetaT], [mm], { adjX: false, adjY: false });
  const outShape = [n, ...spatial, k];
  const out = ctx.define(node.outputs[0]!, 'float32', outShape, 'ONNX');
  ctx.emit('RESHAPE', [mm, ctx.int32Const(`${out}_shape`, outShape)], [out], { newShape: outShape });
}
