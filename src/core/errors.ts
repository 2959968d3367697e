/**
 * Typed errors. Library code throws these; only the CLI's top-level handler
 * (src/cli/main.ts) turns them into a message and an exit code.
 *
 * Exit codes (README § Commands): 1 a verdict failed, 2 bad input / unsupported model,
 * 3 device or environment failure, 70 an internal error (a bug in mai).
 * Codes are the closed catalogue of src/core/error-codes.ts.
 */
import { redactSecrets } from './redact.js';
import type { ErrorCode } from './error-codes.js';

export type { ErrorCode } from './error-codes.js';
export type ExitCode = 1 | 2 | 3 | typeof INTERNAL_EXIT;

/** Exit code of an internal error (EX_SOFTWARE of sysexits.h). */
export const INTERNAL_EXIT = 70;

/** The error codes a per-node diagnostic can carry (why one node or tensor cannot be converted). */
export const REASON_CODES = [
  'unsupported-op',
  'unsupported-attribute',
  'requires-constant-input',
  'dynamic-shape',
  'unsupported-dtype',
  'gpu-rank-above-4',
  'invalid-model',
  'shape-mismatch',
  'unsupported-shape',
] as const satisfies readonly ErrorCode[];
export type ReasonCode = (typeof REASON_CODES)[number];

/** One diagnostic about one node (or tensor) of a model. */
export interface NodeDiagnostic {
  reason: ReasonCode;
  node?: string;
  opType?: string;
  message: string;
}

export interface MaiErrorOptions {
  /** Stable machine-readable code from the catalogue, e.g. `onnx-decode-failed`, `file-not-found`. */
  code: ErrorCode;
  /** Exit code the CLI uses for this error. */
  exit: ExitCode;
  /** What to do next, shown under the message. */
  hint?: string;
  /** File the error is about. */
  file?: string;
  /** Per-node diagnostics when several things are wrong at once. */
  diagnostics?: NodeDiagnostic[];
  /** The command already printed its full result (e.g. a --json report with the verdict); the handler prints no JSON. */
  reported?: boolean;
  cause?: unknown;
}

export class MaiError extends Error {
  readonly code: ErrorCode;
  readonly exit: ExitCode;
  readonly hint?: string;
  readonly file?: string;
  readonly diagnostics: NodeDiagnostic[];
  readonly reported: boolean;

  constructor(message: string, opts: MaiErrorOptions) {
    // Database URLs and passwords never reach a message, a hint or JSON.
    super(redactSecrets(message), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'MaiError';
    this.code = opts.code;
    this.exit = opts.exit;
    this.hint = opts.hint === undefined ? undefined : redactSecrets(opts.hint);
    this.file = opts.file === undefined ? undefined : redactSecrets(opts.file);
    this.diagnostics = opts.diagnostics ?? [];
    this.reported = opts.reported ?? false;
  }

  toJSON(): Record<string, unknown> {
    return {
      error: this.code,
      message: this.message,
      ...(this.file ? { file: this.file } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.diagnostics.length ? { diagnostics: this.diagnostics } : {}),
    };
  }
}

/** Bad input: unreadable/corrupt file, unsupported op, malformed config (exit 2). */
export function inputError(code: ErrorCode, message: string, extra: Omit<MaiErrorOptions, 'code' | 'exit'> = {}): MaiError {
  return new MaiError(message, { code, exit: 2, ...extra });
}

/** Device or environment failure: adb gone, runtime missing (exit 3). */
export function environmentError(code: ErrorCode, message: string, extra: Omit<MaiErrorOptions, 'code' | 'exit'> = {}): MaiError {
  return new MaiError(message, { code, exit: 3, ...extra });
}

/** A check or budget failed: a verdict, not a crash (exit 1). */
export function verdictError(code: ErrorCode, message: string, extra: Omit<MaiErrorOptions, 'code' | 'exit'> = {}): MaiError {
  return new MaiError(message, { code, exit: 1, ...extra });
}

/** The model contains nodes we cannot convert; lists every one of them. */
export function unsupportedModel(file: string | undefined, diagnostics: NodeDiagnostic[]): MaiError {
  const head = `${diagnostics.length} node(s) cannot be converted${file ? ` in ${file}` : ''}`;
  return inputError('unsupported-model', head, {
    file,
    diagnostics,
    hint: 'each line names the node, its op and the reason code; README § Supported ONNX ops lists what converts',
  });
}

/**
 * An invariant of mai itself failed (a bug, not bad input): the CLI prints the
 * message with a "please report" line and exits 70.
 */
export class InternalError extends MaiError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'internal', exit: INTERNAL_EXIT, cause });
    this.name = 'InternalError';
  }
}

export function internalError(message: string, cause?: unknown): InternalError {
  return new InternalError(message, cause);
}

export function isMaiError(e: unknown): e is MaiError {
  return e instanceof MaiError;
}
