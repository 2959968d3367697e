import { closeSync, openSync, renameSync, statSync, write } from 'node:fs';
import { promisify } from 'node:util';
import { dirname, resolve } from 'node:path';
import { environmentError, inputError } from './errors.js';
import { errnoWords } from './errno-words.js';
import { removeTemp, tempSibling, untrackTemp } from './temp-files.js';

/**
 * Checks, before any work is done, that `path` can be written as an output:
 * its folder exists, is a folder and takes a new file (probed by creating and
 * removing one: permission bits alone miss read-only mounts and root), and
 * `path` itself is not a folder. `flag` names the option in the message
 * (e.g. '-o', '--html'). Exit 2.
 */
export function checkOutputPath(path: string, flag: string): void {
  const dir = dirname(resolve(path));
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch {
    throw inputError('output-dir-missing', `${flag} ${path}: folder ${dir} does not exist`, { file: path, hint: `create it first (mkdir -p ${dir})` });
  }
  if (!dirStat.isDirectory()) throw inputError('output-dir-missing', `${flag} ${path}: ${dir} is not a folder`, { file: path });
  try {
    if (statSync(path).isDirectory()) throw inputError('output-is-directory', `${flag} ${path} is a folder; give a file name`, { file: path });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const probe = tempSibling(resolve(path));
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (e) {
    throw inputError('output-unwritable', `${flag} ${path}: cannot create files in ${dir}: ${errnoWords(e)}`, { file: path, cause: e });
  } finally {
    removeTemp(probe);
  }
}

/** Refuses an output path that is the same file as an input (it would be overwritten). */
export function checkNotSameFile(input: string, output: string, flag: string): void {
  if (resolve(input) === resolve(output)) {
    throw inputError('output-overwrites-input', `${flag} ${output} is the input model itself; choose another output path`, { file: output });
  }
}

const writeChunk = promisify(write);
/** Chunks between which a signal can stop the write (each is one write on the thread pool). */
const CHUNK = 8 << 20;

/**
 * File bytes with ranges still to fill: `holes` are left untouched in `bytes` (so they take no
 * memory) and each is filled into a scratch buffer only on its way to the file.
 */
export interface BytesWithHoles {
  bytes: Uint8Array;
  /** sorted by offset, not overlapping; `fill` writes exactly `length` bytes into its argument */
  holes: ReadonlyArray<{ offset: number; length: number; fill(dst: Uint8Array): void }>;
}

async function writeRange(fd: number, data: Uint8Array, from: number, to: number): Promise<void> {
  for (let at = from; at < to; ) {
    const { bytesWritten } = await writeChunk(fd, data, at, Math.min(CHUNK, to - at));
    at += bytesWritten;
  }
}

async function writeAll(fd: number, data: Uint8Array | BytesWithHoles): Promise<void> {
  if (data instanceof Uint8Array) return writeRange(fd, data, 0, data.byteLength);
  const scratch = new Uint8Array(Math.max(0, ...data.holes.map((h) => h.length)));
  let at = 0;
  for (const h of data.holes) {
    await writeRange(fd, data.bytes, at, h.offset);
    const dst = scratch.subarray(0, h.length);
    h.fill(dst);
    await writeRange(fd, dst, 0, h.length);
    at = h.offset + h.length;
  }
  await writeRange(fd, data.bytes, at, data.bytes.byteLength);
}

/**
 * Write a file so that readers never see a half-written output: write a
 * sibling temp file, then rename over the target. On failure the temp file is
 * removed and nothing is left at `path`. Errors name `path`, never the temp file.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string | BytesWithHoles): Promise<void> {
  const tmp = tempSibling(path);
  try {
    // Created and renamed on this thread, so a signal handler that removes the temp file runs
    // either before it exists or after the rename — never while another thread creates it.
    const fd = openSync(tmp, 'wx');
    try {
      await writeAll(fd, typeof data === 'string' ? Buffer.from(data) : data);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    untrackTemp(tmp);
  } catch (e) {
    removeTemp(tmp);
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') throw inputError('output-dir-missing', `cannot write ${path}: its folder does not exist`, { file: path, cause: e });
    if (err.code === 'EISDIR') throw inputError('output-is-directory', `cannot write ${path}: it is a folder`, { file: path, cause: e });
    throw environmentError('write-failed', `cannot write ${path}: ${errnoWords(e)}`, { file: path, cause: e });
  }
}
