/**
 * Reads the model a user names: a file, or a SavedModel directory (its saved_model.pb; the directory
 * stays the model's path, so the variables/ beside it are found).
 */
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { readInputFile } from './read-input.js';

export async function readModelInput(path: string, what = 'model'): Promise<Uint8Array> {
  let dir = false;
  try {
    dir = statSync(path).isDirectory();
  } catch {
    // readInputFile reports the missing file
  }
  return readInputFile(dir ? join(path, 'saved_model.pb') : path, dir ? `${what} (SavedModel directory without saved_model.pb)` : what);
}
