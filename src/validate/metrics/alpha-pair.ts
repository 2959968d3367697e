import { assertSameSize, type FloatImage } from '../../data/image.js';
import { inputError, internalError } from '../../core/errors.js';

/** Checks shared by the matting metrics: single-channel, same size, region sized to match. */
export function checkAlphaPair(pred: FloatImage, gt: FloatImage, region: Uint8Array | undefined, what: string): void {
  assertSameSize(pred, gt, what);
  if (pred.channels !== 1) throw inputError('shape-mismatch', `${what}: alpha must have 1 channel, got ${pred.channels}`);
  if (region && region.length !== pred.width * pred.height) throw internalError(`${what}: region has ${region.length} pixels, image ${pred.width * pred.height}`);
}
