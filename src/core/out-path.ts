/**
 * Output files named after user text (a sample, a model, a device): the name
 * becomes one safe path component and the file stays inside the output folder
 * (`--out`), whatever the text holds (`../`, `/`, NUL, control characters, a
 * leading dot, 10 000 characters). Two names that clean up alike keep apart by
 * a short hash of the original.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';
import { inputError } from './errors.js';

/** Bytes a file name may take (ext4 and most file systems: 255), with room to spare. */
const MAX_NAME_BYTES = 200;
// Separators, NUL / C0 / DEL / C1 controls, and what Windows refuses in a name.
const UNSAFE = /[/\\\u0000-\u001f\u007f-\u009f<>:"|?*]/g;

/** The longest prefix of `s` (whole code points) within `max` UTF-8 bytes. */
export function truncateBytes(s: string, max: number): string {
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch) > max) break;
    out += ch;
  }
  return out;
}

/**
 * One file name derived from `name` plus `ext` (e.g. '.png'): unsafe characters become `_`,
 * leading dots and spaces are dropped, long names are cut; when anything changed, `-<8 hex>`
 * of the original's sha256 is appended so distinct names stay distinct.
 */
export function safeFileName(name: string, ext = ''): string {
  let base = name.replace(UNSAFE, '_').replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  const tag = `-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  const room = MAX_NAME_BYTES - Buffer.byteLength(ext) - tag.length;
  const changed = base !== name || Buffer.byteLength(base) > room || base === '';
  if (Buffer.byteLength(base) > room) base = truncateBytes(base, room);
  return `${base || '_'}${changed ? tag : ''}${ext}`;
}

/** `outDir/<safeFileName(name, ext)>`, checked to lie inside `outDir` (exit 2 otherwise). */
export function outputPathIn(outDir: string, name: string, ext = ''): string {
  const root = resolve(outDir);
  const path = resolve(root, safeFileName(name, ext));
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw inputError('output-outside-folder', `output for '${name}' would be written outside ${outDir}`, { file: outDir });
  }
  return path;
}
