import { promises as fs } from 'node:fs';
import { inputError } from './errors.js';

/** Bytes per read: Node's fs.read takes an int32 length (a larger one aborts the process). */
const MAX_READ = 2 ** 30;

/**
 * The whole file in one buffer, read with as few reads as the OS allows (fs.readFile reads in
 * 512 KiB pieces, each a round trip through the thread pool: ~2× slower on a 66 MB model), at most
 * 1 GiB each (a .tflite above 2 GiB in TFLite's large-model layout is read whole too).
 */
async function readWhole(path: string): Promise<Buffer> {
  const fh = await fs.open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const buf = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await fh.read(buf, at, Math.min(size - at, MAX_READ), at);
      if (bytesRead === 0) break; // the file shrank while being read
      at += bytesRead;
    }
    return at === size ? buf : buf.subarray(0, at);
  } finally {
    await fh.close();
  }
}

/** Read a user-supplied file; a missing/unreadable/empty file is a clear exit-2 error naming it. */
export async function readInputFile(path: string, what = 'model'): Promise<Uint8Array> {
  let buf: Buffer;
  try {
    buf = await readWhole(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw inputError('file-not-found', `${what} file not found: ${path}`, { file: path });
    if (err.code === 'EISDIR') throw inputError('file-is-directory', `${what} path is a directory, not a file: ${path}`, { file: path });
    throw inputError('file-unreadable', `cannot read ${what} file ${path}: ${err.message}`, { file: path });
  }
  if (buf.byteLength === 0) throw inputError('empty-file', `${what} file is empty: ${path}`, { file: path });
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Read a user-supplied text file (a config); a missing or unreadable one is an exit-2 error naming it. */
export async function readInputText(path: string, what: string): Promise<string> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw inputError(missing ? 'file-not-found' : 'file-unreadable', `${what} file ${missing ? 'not found' : 'unreadable'}: ${path}`, { file: path });
  }
}
