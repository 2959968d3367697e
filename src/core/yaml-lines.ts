/** YAML config files parsed with line numbers, so errors can name `file:line: field`. */
import { LineCounter, parseDocument, isMap, isPair, isScalar, isSeq } from 'yaml';
import { inputError, type ErrorCode } from './errors.js';

export interface YamlWithLines {
  doc: ReturnType<typeof parseDocument>;
  lc: LineCounter;
}

/** Parse YAML text; malformed YAML throws `code` (exit 2) as `where:line: malformed YAML: …`. */
export function parseYamlWithLines(text: string, where: string, code: ErrorCode, extra: { file?: string; hint?: string } = {}): YamlWithLines {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw inputError(code, `${where}:${lc.linePos(e.pos[0]).line}: malformed YAML: ${e.message.split('\n')[0]}`, extra);
  }
  return { doc, lc };
}

/**
 * Walks `path` (map keys, sequence indexes) from `root`: `depth` is how many
 * segments were found, `line` the line of the deepest key / item found.
 */
export function yamlLineAt(root: unknown, lc: LineCounter, path: ReadonlyArray<PropertyKey>): { line?: number; depth: number } {
  let cur: unknown = root;
  let line: number | undefined;
  let depth = 0;
  for (const seg of path) {
    let at: { range?: [number, number, number] | null } | undefined;
    if (isMap(cur)) {
      const pair = cur.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      at = pair.key as typeof at;
      cur = pair.value;
    } else if (isSeq(cur)) {
      at = cur.items[Number(seg)] as typeof at;
      if (!at) break;
      cur = at;
    } else break;
    depth++;
    if (at?.range) line = lc.linePos(at.range[0]).line;
  }
  return { line, depth };
}

/** Line where `node` starts, if it is a parsed YAML node. */
export function yamlNodeLine(lc: LineCounter, node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] | null } | null | undefined)?.range;
  return range ? lc.linePos(range[0]).line : undefined;
}
