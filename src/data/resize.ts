import { makeImage, type FloatImage } from './image.js';

/**
 * Bilinear resize with half-pixel centres (as TFLite RESIZE_BILINEAR with
 * half_pixel_centers and PyTorch align_corners=False), edges clamped. Used
 * for float model outputs, which sharp's 8-bit pipeline would quantize.
 */
export function resizeBilinear(img: FloatImage, width: number, height: number): FloatImage {
  if (img.width === width && img.height === height) return img;
  const { width: W, height: H, channels: C } = img;
  const out = makeImage(width, height, C);
  const sx = W / width;
  const sy = H / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), H - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, H - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), W - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, W - 1);
      const wx = fx - x0;
      for (let c = 0; c < C; c++) {
        const a = img.data[(y0 * W + x0) * C + c]!;
        const b = img.data[(y0 * W + x1) * C + c]!;
        const d = img.data[(y1 * W + x0) * C + c]!;
        const e = img.data[(y1 * W + x1) * C + c]!;
        out.data[(y * width + x) * C + c] = (a * (1 - wx) + b * wx) * (1 - wy) + (d * (1 - wx) + e * wx) * wy;
      }
    }
  }
  return out;
}
