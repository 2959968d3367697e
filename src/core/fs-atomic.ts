import { promises as fs } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { environmentError } from './errors.js';

/**
 * Write a file so that readers never see a half-written output: write a
 * sibling temp file, then rename over the target. On failure the temp file is
 * removed and nothing is left at `path`.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw environmentError('write-failed', `cannot write ${path}: ${err.message}`, { file: path, cause: e });
  }
}
