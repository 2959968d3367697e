/**
 * TFLite's large-model layout (constants after the flatbuffer, Buffer.offset / size from the start of
 * the file), which the writer uses above the 2 GiB FlatBuffers limit. The limit is lowered here so a
 * real-export model takes that path: LiteRT loads it and agrees with onnxruntime, our reader gets
 * the same constants back, the streamed file (holes filled on the way) equals the in-memory one.
 * scripts/corpus/large_external.py makes a real > 2 GiB model for the measurement in the issue.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertGraph } from '../../src/convert/index.js';
import { checkConversion } from '../../src/convert/check.js';
import { writeFileAtomic } from '../../src/core/fs-atomic.js';
import { writeTflite, writeTfliteWithHoles } from '../../src/tflite/writer.js';
import { readTflite } from '../../src/tflite/reader.js';

const file = resolve('data/corpus/unet.external.onnx');
const bytes = new Uint8Array(readFileSync(file));
const { graph } = convertGraph({ bytes, file });
const inline = writeTflite(graph);
const limit = Math.floor(inline.byteLength / 2);
const dir = mkdtempSync(join(tmpdir(), 'mai-external-buffers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('constants after the flatbuffer (large-model layout)', () => {
  it('LiteRT runs the file and it matches onnxruntime; our reader reads the same constants', async () => {
    const outside = writeTflite(graph, { flatbufferLimit: limit });
    expect(outside).not.toEqual(inline);
    const check = await checkConversion(bytes, outside, graph, { file });
    expect(check.pass, JSON.stringify(check.outputs)).toBe(true);
    const a = readTflite(inline);
    const b = readTflite(outside);
    let constants = 0;
    for (const t of a.tensors.values()) {
      if (!t.data) continue;
      constants++;
      expect(Array.from(b.tensor(t.name).data as Float32Array), t.name).toEqual(Array.from(t.data as Float32Array));
    }
    expect(constants).toBeGreaterThan(10);
  });

  it('every constant is a hole past the flatbuffer, 16-aligned; the streamed file equals the in-memory bytes', async () => {
    const { bytes: out, holes } = writeTfliteWithHoles(graph, { flatbufferLimit: limit });
    const weights = [...graph.tensors.values()].filter((t) => t.data).reduce((s, t) => s + (t.data as Float32Array).byteLength, 0);
    expect(holes.reduce((s, h) => s + h.length, 0)).toBe(weights);
    expect(holes[0]!.offset).toBeLessThan(limit);
    for (const h of holes) expect(h.offset % 16).toBe(0);
    expect(holes[holes.length - 1]!.offset + holes[holes.length - 1]!.length).toBeLessThanOrEqual(out.byteLength);
    const path = join(dir, 'model.tflite');
    await writeFileAtomic(path, { bytes: out, holes });
    expect(new Uint8Array(readFileSync(path))).toEqual(writeTflite(graph, { flatbufferLimit: limit }));
  });

  it('a structure that alone exceeds the limit is refused (model-too-large)', () => {
    expect(() => writeTflite(graph, { flatbufferLimit: 1000 })).toThrow(expect.objectContaining({ code: 'model-too-large' }));
  });
});
