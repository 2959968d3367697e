/** Small .tflite models written with the project's writer, for device-lab tests. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTflite } from '../../src/tflite/writer.js';
import { IrBuilder } from '../helpers/ir-builder.js';

export const SELFIE = 'node_modules/@mediapipe/selfie_segmentation/selfie_segmentation.tflite';

/** fp32 conv → relu → depthwise → logistic: fully delegated. */
export function gpuFriendlyModel(): Uint8Array {
  const b = new IrBuilder(11);
  const x = b.input('image', [1, 64, 64, 3]);
  const c = b.conv2d(x, { out: 16, k: 3, stride: 2, activation: 'RELU' });
  const d = b.depthwise(c, { k: 3 });
  const c2 = b.conv2d(d, { out: 1, k: 1 });
  b.output(b.unary('LOGISTIC', c2));
  return writeTflite(b.graph);
}

/** conv → relu → ARG_MAX: the GPU delegate rejects ARG_MAX. */
export function argMaxModel(): Uint8Array {
  const b = new IrBuilder(12);
  const x = b.input('image', [1, 32, 32, 3]);
  const c = b.conv2d(x, { out: 8, k: 3, activation: 'RELU' });
  const am = b.op('ARG_MAX', [c, b.ints([3])], [1, 32, 32], { outDataType: 'int32' }, { dtype: 'int32', name: 'argmax' });
  b.output(am);
  return writeTflite(b.graph);
}

export function writeModel(dir: string, name: string, bytes: Uint8Array): string {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** conv → RESHAPE to 5-D → RESHAPE back: every node touching the 5-D tensor is rejected (rank > 4). */
export function fiveDModel(): Uint8Array {
  const b = new IrBuilder(13);
  const x = b.input('image', [1, 16, 16, 8]);
  const c = b.conv2d(x, { out: 8, k: 1 });
  const r5 = b.reshape(c, [1, 2, 8, 16, 8], { name: 'to5d' });
  b.output(b.reshape(r5, [1, 16, 16, 8], { name: 'back' }));
  return writeTflite(b.graph);
}
