/**
 * `--db`: the results database of every command that stores or reads results
 * (deploy, lab nightly, lab history, lab worker). A SQLite file (default
 * `.mai/results.db`) or a PostgreSQL URL; `MAI_DB` sets it for a whole lab so
 * the password stays off command lines. Never printed with its password.
 */

import { DEFAULT_RESULTS_DB } from '../devicelab/store/paths.js';

export const DEFAULT_DB = DEFAULT_RESULTS_DB;

/** Arguments of `.option(...)` for `--db`: its default is `$MAI_DB`, else `fallback` (none: required from one of them). */
export function dbOption(fallback: string | undefined = DEFAULT_DB): [string, string, string | undefined] {
  return ['--db <file|url>', 'results database: a SQLite file, or postgres://user:pass@host:port/db for a lab that spans hosts (env MAI_DB)', process.env.MAI_DB || fallback];
}
