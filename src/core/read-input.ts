import { promises as fs } from 'node:fs';
import { inputError } from './errors.js';

/** Read a user-supplied file; a missing/unreadable/empty file is a clear exit-2 error naming it. */
export async function readInputFile(path: string, what = 'model'): Promise<Uint8Array> {
  let buf: Buffer;
  try {
    buf = await fs.readFile(path);
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
