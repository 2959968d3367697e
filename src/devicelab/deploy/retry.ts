/** Timeouts and retries with exponential backoff for transient adb failures. */
import { environmentError, isMaiError } from '../../core/errors.js';

export class TransientError extends Error {
  override name = 'TransientError';
}

/** Errors worth retrying: dropped connections, timeouts, crashes of the benchmark process. */
export function isTransient(e: unknown): boolean {
  if (e instanceof TransientError) return true;
  if (isMaiError(e)) return false;
  const err = e as NodeJS.ErrnoException & { name?: string };
  const msg = String(err?.message ?? '');
  return (
    ['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT'].includes(err?.code ?? '') ||
    /Connection closed|premature|socket hang up|timed out|ECONNRESET|EPIPE|closed unexpectedly/i.test(msg) ||
    err?.name === 'PrematureEOFError'
  );
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => {
        onTimeout?.();
        reject(new TransientError(`${what} timed out after ${ms} ms`));
      }, ms);
    }),
  ]);
}

export interface RetryOptions {
  retries: number;
  /** First backoff delay, ms (doubles each attempt). */
  baseMs?: number;
  onRetry?: (attempt: number, e: unknown, delayMs: number) => void;
}

/** Run `fn`, retrying transient failures; a non-transient error or the last failure becomes an exit-3 error naming `what`. */
export async function withRetry<T>(what: string, fn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<{ value: T; attempts: number }> {
  const base = o.baseMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(attempt), attempts: attempt };
    } catch (e) {
      if (isMaiError(e)) throw e;
      if (!isTransient(e) || attempt > o.retries) {
        throw environmentError('adb-failed', `${what} failed after ${attempt} attempt(s): ${(e as Error).message}`, {
          cause: e,
          hint: 'check the device connection (mai devices) and the adb server',
        });
      }
      const delay = base * 2 ** (attempt - 1);
      o.onRetry?.(attempt, e, delay);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
