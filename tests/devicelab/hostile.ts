/** fast-check arbitraries for hostile names and words: shell syntax, quotes, whitespace, `--` prefixes, non-ASCII, very long. */
import fc from 'fast-check';
import { truncateBytes } from '../../src/core/out-path.js';

/** Pieces a hostile name is made of. */
const PIECES = [
  ';', '&', '&&', '|', '||', '$', '$(', ')', '`', "'", '"', '\\', ' ', '\t', '\n', '*', '?', '[', ']', '{', '}', '~', '#', '!',
  '<', '>', '2>&1', '>/dev/null', '=', '-', '--', '%', ',', ':', '.', '..', '$HOME', '${IFS}', '$(touch /pwned)', '`id`',
  "'; rm -rf / #", '"$(reboot)"', 'a', 'b', 'model', '.tflite', 'é', '日本', '🙂', '\u202e', 'Ω', '\u00a0', '\u2028',
];

/** Control characters: fine in a local file name, refused in device paths and flags. */
const CONTROL = ['\u0001', '\u001b', '\u007f', '\r', '\u0085'];

/** A hostile word (no NUL, no control characters other than tab / newline, which appear in PIECES). */
export const hostileWord = (maxLength = 12): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.string({ unit: fc.constantFrom(...PIECES), maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...PIECES), minLength: 1, maxLength: 4 }).map((s) => s.repeat(200)) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  ).filter((s) => !s.includes('\0'));

/** A word for a device path component: hostile, without control characters (devices.yaml refuses those). */
export const hostilePathPart = (): fc.Arbitrary<string> =>
  fc
    .string({ unit: fc.constantFrom(...PIECES.filter((p) => !/[\u0000-\u001f\u007f-\u009f\u2028]/.test(p) && !p.includes('/'))), minLength: 1, maxLength: 8 })
    .filter((s) => s !== '.' && s !== '..');

/** A lab.yaml model name the schema accepts (letters, digits, `. _ -`, at most 128): flag-like, dots, or long. */
export const labModelName = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom('-', '--', '.', '..', '_', 'a', 'Z', '9', 'model', '-rf', '--graph', '-.'), minLength: 1, maxLength: 8 }) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 128 }).map((n) => `--${'m'.repeat(n - 2)}`) },
  );

/** A local file name (one path component: no `/`, no NUL, at most 255 bytes, not `.`/`..`). */
export const hostileFileName = (): fc.Arbitrary<string> =>
  fc
    .oneof(
      { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom(...PIECES, ...CONTROL), minLength: 1, maxLength: 12 }) },
      { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...PIECES), minLength: 1, maxLength: 6 }).map((s) => `--${s}.tflite`) },
      { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...PIECES), minLength: 1, maxLength: 3 }).map((s) => s.repeat(120)) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) },
    )
    .map((s) => s.replace(/\//g, '∕'))
    .map((s) => truncateBytes(s, 255))
    .filter((s) => s.length > 0 && s !== '.' && s !== '..' && !s.includes('\0'));

/** The example, and a few more that would have run code on the phone before. */
export const KNOWN_INJECTIONS = [
  'a;touch $HOME-pwned.tflite',
  '$(reboot).tflite',
  '`id`.tflite',
  "it's; rm -rf \"$HOME\".tflite",
  'x && touch pwned || touch pwned',
  'm | sh',
  'a\ntouch $HOME-pwned',
  '--graph=$HOME.tflite',
  '-rf',
  '*.tflite',
];
