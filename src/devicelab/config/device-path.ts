/**
 * Paths on the device named by configuration (devices.yaml `deviceDir`,
 * `benchmark.device`; lab.yaml and job payloads later): absolute, no control
 * characters, short enough for adb's sync service. Anything else they hold
 * (spaces, quotes, `;`, `$`) is data: the quoting helper passes it through.
 */
import { z } from 'zod';

/** adbd refuses a sync path longer than this (file_sync_service.cpp: "path too long"). */
export const ADB_SYNC_PATH_MAX = 1024;
/** `/<sha256>.tflite` appended to a model directory. */
const MODEL_FILE_BYTES = 1 + 64 + '.tflite'.length;

// C0 controls, DEL and C1 controls (newlines, escapes, NUL): a device path never needs them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** What is wrong with a device path, or undefined. `dir`: models are written below it. */
export function devicePathProblem(path: string, kind: 'dir' | 'file'): string | undefined {
  if (!path.startsWith('/')) return 'must be an absolute device path (starting with /)';
  const c = CONTROL.exec(path);
  if (c) return `contains a control character (U+${c[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at offset ${c.index})`;
  const max = kind === 'dir' ? ADB_SYNC_PATH_MAX - MODEL_FILE_BYTES : ADB_SYNC_PATH_MAX;
  const bytes = Buffer.byteLength(path);
  if (bytes > max) return `is ${bytes} bytes long; adb's sync service takes paths of at most ${ADB_SYNC_PATH_MAX} bytes${kind === 'dir' ? ` (${max} for a directory, leaving room for <sha256>.tflite)` : ''}`;
  return undefined;
}

/** zod schema of a device path (errors carry `devicePathProblem`'s message). */
export function devicePath(kind: 'dir' | 'file') {
  return z.string().superRefine((p, ctx) => {
    const problem = devicePathProblem(p, kind);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}
