import sharp from 'sharp';
import type { FloatImage } from './image.js';

/** FloatImage ([0, 1], clamped) → 8-bit PNG bytes. 1 or 3 channels. */
export async function encodePng(img: FloatImage, opts: { width?: number } = {}): Promise<Buffer> {
  const u8 = new Uint8Array(img.data.length);
  for (let i = 0; i < u8.length; i++) {
    const v = img.data[i]!;
    u8[i] = Number.isNaN(v) ? 0 : Math.round(Math.min(1, Math.max(0, v)) * 255);
  }
  let p = sharp(u8, { raw: { width: img.width, height: img.height, channels: img.channels as 1 | 3 } });
  if (opts.width && opts.width < img.width) p = p.resize(opts.width);
  if (img.channels === 1) p = p.toColourspace('b-w');
  return p.png({ compressionLevel: 9 }).toBuffer();
}

/** A data: URI for an HTML <img>. */
export async function pngDataUri(img: FloatImage, opts: { width?: number } = {}): Promise<string> {
  return `data:image/png;base64,${(await encodePng(img, opts)).toString('base64')}`;
}
