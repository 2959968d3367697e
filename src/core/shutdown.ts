/**
 * Stopping on SIGINT / SIGTERM: run the registered shutdown hooks (servers close their sockets,
 * stores close their files) for at most `graceMs`, remove every temporary file, and exit with
 * 128 + the signal number as a shell reports it (130 for SIGINT, 143 for SIGTERM). A second
 * signal exits at once. Work running synchronously (a conversion) is stopped at its next await.
 */
import { removeAllTemp } from './temp-files.js';

export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT;

type Hook = () => void | Promise<void>;
/** Each hook with the longest it may take (ms); undefined: the handler's default grace. */
const hooks = new Map<Hook, number | undefined>();

/**
 * Run `hook` when a signal stops the process; returns a function that unregisters it.
 * `graceMs` lets a hook that finishes work in flight (a lab worker's running job) take longer
 * than the default grace; the process still exits with the signal's code when it is done.
 */
export function onShutdown(hook: Hook, opts: { graceMs?: number } = {}): () => void {
  hooks.set(hook, opts.graceMs);
  return () => void hooks.delete(hook);
}

export interface SignalHandlerOptions {
  /** longest wait for the hooks before exiting anyway (ms) */
  graceMs?: number;
  /** how to end the process (tests replace it) */
  exit?: (code: number) => void;
}

let installed: { remove(): void } | undefined;

/** Installs the SIGINT / SIGTERM handlers once per process (the CLI's entry point calls it). */
export function installSignalHandlers(opts: SignalHandlerOptions = {}): { remove(): void } {
  if (installed) return installed;
  const graceMs = opts.graceMs ?? 2000;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const stop = (signal: StopSignal) => {
    const code = SIGNAL_EXIT[signal];
    const finish = () => {
      removeAllTemp();
      exit(code);
    };
    if (stopping) return finish();
    stopping = true;
    const longest = Math.max(graceMs, ...[...hooks.values()].map((g) => g ?? 0));
    const timer = setTimeout(finish, longest);
    void Promise.allSettled([...hooks.keys()].map(async (h) => h())).then(() => {
      clearTimeout(timer);
      finish();
    });
  };
  const onInt = () => stop('SIGINT');
  const onTerm = () => stop('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  installed = {
    remove() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      installed = undefined;
    },
  };
  return installed;
}
