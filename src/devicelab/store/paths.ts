/** Where `mai deploy` stores its results unless told otherwise (a constant the CLI reads without loading SQLite). */
export const DEFAULT_RESULTS_DB = '.mai/results.db';
