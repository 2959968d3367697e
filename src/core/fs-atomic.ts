import { promises as fs, statSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { environmentError, inputError } from './errors.js';

/**
 * Checks, before any work is done, that `path` can be written as an output:
 * its folder exists and is a folder, and `path` itself is not a folder.
 * `flag` names the option in the message (e.g. '-o', '--html'). Exit 2.
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
}

/** Refuses an output path that is the same file as an input (it would be overwritten). */
export function checkNotSameFile(input: string, output: string, flag: string): void {
  if (resolve(input) === resolve(output)) {
    throw inputError('output-overwrites-input', `${flag} ${output} is the input model itself; choose another output path`, { file: output });
  }
}

/**
 * Write a file so that readers never see a half-written output: write a
 * sibling temp file, then rename over the target. On failure the temp file is
 * removed and nothing is left at `path`. Errors name `path`, never the temp file.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') throw inputError('output-dir-missing', `cannot write ${path}: its folder does not exist`, { file: path, cause: e });
    if (err.code === 'EISDIR') throw inputError('output-is-directory', `cannot write ${path}: it is a folder`, { file: path, cause: e });
    throw environmentError('write-failed', `cannot write ${path}: ${err.code ?? err.message}`, { file: path, cause: e });
  }
}
