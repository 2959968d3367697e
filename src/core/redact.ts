/**
 * Credentials never reach logs, errors, JSON or reports: `redactSecrets` replaces
 * the password of every URL (`postgres://lab:secret@db/mai` → `postgres://lab:***@db/mai`)
 * and every libpq-style / query `password=…` value in a text (a database location,
 * a driver's error message). A plain file path comes back unchanged. Every
 * `MaiError` message, hint and file goes through it.
 */

export const REDACTED = '***';

/** Query parameters and key=value settings that carry a secret. */
const SECRET_KEYS = ['password', 'passwd', 'pwd', 'sslpassword', 'secret', 'token', 'access_token', 'api_key', 'apikey'];

/** `scheme://user:password@` — the password part (anything up to the last `@` before the host). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/?#]*):([^\s/?#]*)@/gi;
/** `password=value` in a query string or a libpq conninfo (`password='a b'` quoted too). */
const KEY_VALUE = new RegExp(`(^|[\\s?&;,(])(${SECRET_KEYS.join('|')})(\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|"(?:[^"\\\\]|\\\\.)*"|[^\\s&;,)]+)`, 'gi');

/** Free text with every URL password and `password=` value replaced by `***`. */
export function redactSecrets(text: string): string {
  return text.replace(URL_USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`).replace(KEY_VALUE, (_m, pre: string, key: string, eq: string) => `${pre}${key}${eq}${REDACTED}`);
}
