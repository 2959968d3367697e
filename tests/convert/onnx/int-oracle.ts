/** Oracle for integer models: onnxruntime and our .tflite in LiteRT.js on the same feeds must give identical integers. */
import { expect } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import type { HostTensor } from '../../../src/runtime/types.js';
import { writeTflite } from '../../../src/tflite/writer.js';

export async function expectSameIntegers(bytes: Uint8Array, feeds: HostTensor[]): Promise<void> {
  const ort = await onnxRuntime.load(bytes);
  const want = await ort.run(feeds);
  await ort.dispose();
  const lrt = await liteRtRuntime.load(writeTflite(importOnnx(bytes)));
  const got = await lrt.run(feeds);
  await lrt.dispose();
  expect(got.map((t) => Array.from(t.data as Int32Array))).toEqual(want.map((t) => Array.from(t.data as Int32Array)));
}
