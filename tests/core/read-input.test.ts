import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readInputFile } from '../../src/core/read-input.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readInputFile', () => {
  it('reads the whole file, byte for byte (several MiB, odd size)', async () => {
    const data = Uint8Array.from({ length: 5 * 2 ** 20 + 3 }, (_, i) => (i * 31) & 0xff);
    writeFileSync(join(dir, 'big.bin'), data);
    const got = await readInputFile(join(dir, 'big.bin'));
    expect(got.byteLength).toBe(data.byteLength);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(data))).toBe(0);
  });

  it('a missing file, a folder and an empty file are exit-2 errors naming the path', async () => {
    writeFileSync(join(dir, 'empty.onnx'), '');
    await expect(readInputFile(join(dir, 'nope.onnx'))).rejects.toMatchObject({ exit: 2, message: `model file not found: ${join(dir, 'nope.onnx')}` });
    await expect(readInputFile(dir)).rejects.toMatchObject({ exit: 2, message: `model path is a directory, not a file: ${dir}` });
    await expect(readInputFile(join(dir, 'empty.onnx'), 'image')).rejects.toMatchObject({ exit: 2, message: `image file is empty: ${join(dir, 'empty.onnx')}` });
  });
});
