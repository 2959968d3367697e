/**
 * Device shell command lines, built from argv lists. `quoteArg` is the one
 * place a word is escaped for the phone's `/system/bin/sh` (mksh) and any POSIX
 * sh: POSIX single quotes, `'` written as `'\''`. `commandLine` is the one place
 * words are joined, so a file name, a devices.yaml path, a `--flag` value or a
 * job payload reaches the device as exactly one argument, never as code.
 * Everything sent to `shell:` is a `ShellLine`, which only these helpers make.
 */
import { inputError, internalError } from '../../core/errors.js';

/** A command line for the device shell, made by `commandLine` / `commandList` / `withExitStatus` only. */
export type ShellLine = string & { readonly __shellLine: unique symbol };

/** A path pattern the device shell expands (left unquoted). Only fixed patterns from mai's own code. */
export interface Glob {
  readonly glob: string;
}
export type Word = string | Glob;

/** Words that need no quotes anywhere in a command (no shell syntax, no glob, no tilde, no `=`). */
const BARE = /^[A-Za-z0-9_@%+:,./-]+$/;
/** Also bare after the command name: `=` only assigns before it (`A=b cmd`). */
const BARE_ARG = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** Reserved words of mksh / POSIX sh: quoted when they are the command name. */
const RESERVED = new Set(['case', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'function', 'if', 'in', 'select', 'then', 'time', 'until', 'while']);
const GLOB = /^[A-Za-z0-9_@%+=:,./*?-]+$/;

/** A fixed glob pattern (`*` and `?` only, no quotes or spaces), expanded by the device shell. */
export function glob(pattern: string): Glob {
  if (!GLOB.test(pattern) || !/[*?]/.test(pattern)) throw internalError(`not a plain glob pattern: ${JSON.stringify(pattern)}`);
  return { glob: pattern };
}

/**
 * One word for the device shell: bare when it holds no shell syntax, else single-quoted.
 * A NUL byte cannot be passed in an argument at all: refused (exit 2).
 */
export function quoteArg(word: string, commandName = false): string {
  if (word.includes('\0')) throw inputError('shell-nul', `a device command argument contains a NUL byte: ${JSON.stringify(word.slice(0, 80))}`);
  if ((commandName ? BARE : BARE_ARG).test(word) && !(commandName && RESERVED.has(word))) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The longest line `shell:` can carry: the adb host protocol frames a request with a 4-hex-digit
 * length (at most 65535 bytes, `shell:` included). Debian's `adb shell` refuses lines over 4096
 * bytes (MAX_PAYLOAD_V1) for devices without the shell protocol; adbkit, which mai uses, does not.
 */
export const MAX_SHELL_LINE_BYTES = 0xffff - 'shell:'.length;

/** A finished line: refused (exit 2) when adb could not carry it. */
function shellLine(text: string): ShellLine {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_SHELL_LINE_BYTES) {
    throw inputError('shell-line-too-long', `a device command is ${bytes} bytes long; adb's shell service takes at most ${MAX_SHELL_LINE_BYTES}`, {
      hint: 'shorten the device paths in devices.yaml or the --flag values',
    });
  }
  return text as ShellLine;
}

export interface CommandOptions {
  /** `discard`: `2>/dev/null`; `stdout`: `2>&1`. Default: stderr as is (raw `shell:` merges it into the output). */
  stderr?: 'discard' | 'stdout';
}

/** One simple command: every word quoted by `quoteArg`, joined with spaces, plus a stderr redirection. */
export function commandLine(argv: readonly Word[], o: CommandOptions = {}): ShellLine {
  if (argv.length === 0 || typeof argv[0] !== 'string') throw internalError('a device command needs a command name');
  const words = argv.map((w, i) => (typeof w === 'string' ? quoteArg(w, i === 0) : w.glob));
  if (o.stderr === 'discard') words.push('2>/dev/null');
  else if (o.stderr === 'stdout') words.push('2>&1');
  return shellLine(words.join(' '));
}

/** Commands run one after another (`a; b`), whatever each one's exit status. */
export function commandList(...lines: ShellLine[]): ShellLine {
  return shellLine(lines.join('; '));
}

/** What `withExitStatus` appends: raw `shell:` sends no exit status, so the line prints it. */
export const EXIT_STATUS_MARKER = '__RC=';

/** `line; echo __RC=$?`: the output ends with the line's exit status (`parseExitStatus` reads it). */
export function withExitStatus(line: ShellLine): ShellLine {
  return shellLine(`${line}; echo ${EXIT_STATUS_MARKER}$?`);
}

/** The output without the marker and the exit status it carries (undefined: the output ended early). */
export function parseExitStatus(text: string): { output: string; status?: number } {
  const m = new RegExp(`${EXIT_STATUS_MARKER}(\\d+)\\s*$`).exec(text);
  return m ? { output: text.slice(0, m.index), status: Number(m[1]) } : { output: text };
}
