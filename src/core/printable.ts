/**
 * User text (a model's file name, a sample name) shown on a terminal: control
 * characters become visible escapes (`\n`, `\x1b`, `\u0085`), so a name cannot
 * break a table row or send escape sequences to the terminal. JSON and the
 * results store keep the exact text.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function printable(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}
