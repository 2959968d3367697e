/** Google's selfie_segmentation.tflite from the npm package @mediapipe/selfie_segmentation, if installed. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function selfiePath(): string | undefined {
  try {
    const p = join(dirname(createRequire(import.meta.url).resolve('@mediapipe/selfie_segmentation/package.json')), 'selfie_segmentation.tflite');
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}
