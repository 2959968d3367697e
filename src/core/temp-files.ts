/**
 * The one owner of temporary files and folders: everything mai creates as scratch space is
 * registered here and removed when the work is done, when the process exits (any exit path that
 * runs JavaScript: a normal end, process.exit, an uncaught error) and when a signal stops it
 * (src/core/shutdown.ts calls removeAllTemp before exiting).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

const live = new Set<string>();
let exitHookInstalled = false;

/** Register a path to be removed on exit; returns it. */
export function trackTemp(path: string): string {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', removeAllTemp);
  }
  live.add(path);
  return path;
}

/** The path is gone or has become a real output (e.g. renamed over the target): stop tracking it. */
export function untrackTemp(path: string): void {
  live.delete(path);
}

/** Remove a tracked path now (file or folder; missing is fine) and stop tracking it. */
export function removeTemp(path: string): void {
  rmSync(path, { recursive: true, force: true });
  live.delete(path);
}

/** Remove every tracked path. Synchronous, so it can run in an 'exit' handler. Never throws. */
export function removeAllTemp(): void {
  for (const path of [...live]) {
    try {
      removeTemp(path);
    } catch {
      /* best effort: one stuck path must not keep the others */
    }
  }
}

/** Paths currently tracked (tests). */
export function trackedTemp(): string[] {
  return [...live];
}

/**
 * A tracked, hidden sibling of `path` (`.<name>.<hex>.tmp` in the same folder, so a rename over
 * `path` is atomic). Nothing is created; the caller writes it.
 */
export function tempSibling(path: string): string {
  return trackTemp(join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`));
}

/** A new tracked folder under the OS temp folder, e.g. tempDir('mai-check-'). */
export function tempDir(prefix: string): string {
  return trackTemp(mkdtempSync(join(tmpdir(), prefix)));
}
