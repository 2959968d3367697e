/**
 * ResizeBilinear / ResizeNearestNeighbor on the ONNX Resize lowering. TF's flags map onto ONNX's
 * coordinate transformations: align_corners → align_corners (nearest rounds half away from zero:
 * round_prefer_ceil), half_pixel_centers → half_pixel (bilinear) / tf_half_pixel_for_nn (nearest),
 * neither → asymmetric with floor.
 */
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';

export function checkResize(t: TfContext, node: TfNode): void {
  if (node.bool('align_corners', false) && node.bool('half_pixel_centers', false)) t.fail('unsupported-attribute', 'align_corners and half_pixel_centers are both set');
}

export function importResize(t: TfContext, node: TfNode): void {
  const x = node.input(0);
  if (t.rank(x) !== 4) t.fail('unsupported-attribute', `${node.op} takes a 4-D NHWC image, input has rank ${t.rank(x)}`);
  const size = t.requireConst(1, 'size');
  const [n, , , c] = t.shape(x) as [number, number, number, number];
  const bilinear = node.op === 'ResizeBilinear';
  const ac = node.bool('align_corners', false);
  const hp = node.bool('half_pixel_centers', false);
  const coord = ac ? 'align_corners' : hp ? (bilinear ? 'half_pixel' : 'tf_half_pixel_for_nn') : 'asymmetric';
  const attrs: Record<string, string> = { mode: bilinear ? 'linear' : 'nearest', coordinate_transformation_mode: coord };
  if (!bilinear) attrs.nearest_mode = ac ? 'round_prefer_ceil' : 'floor';
  t.onnx('Resize', [x, '', '', t.int64Value('sizes', [n, c, size[0]!, size[1]!])], [node.output()], attrs);
}
