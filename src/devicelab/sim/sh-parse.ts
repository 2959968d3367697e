/**
 * Parser for the simulated device's `/system/bin/sh`, following mksh (Android's
 * shell) and POSIX sh for what it covers: lists (`;`, `&`, newlines), `&&`, `||`,
 * pipelines with `!`, simple commands with assignments, words with single quotes,
 * double quotes (backslash escapes `$ \` " \ newline`), backslashes, `$?` `$$`
 * `$#` `$NAME` `${NAME}`, `$(…)` and backticks, `~`, comments, and redirections
 * (`[n]>`, `>>`, `<`, `>&n`, `<&n`, `>|`). Compound commands, functions, here-documents
 * and arithmetic are refused with a `ShellSyntaxError` naming them.
 */

export type WordPart =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'param'; name: string; quoted: boolean }
  | { kind: 'subst'; script: Script; quoted: boolean }
  | { kind: 'tilde' };
export type Word = WordPart[];

export interface Redirect {
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<&';
  target: Word;
}

export interface SimpleCommand {
  assigns: Array<{ name: string; value: Word }>;
  words: Word[];
  redirects: Redirect[];
}

export interface Pipeline {
  negate: boolean;
  commands: SimpleCommand[];
}

export interface AndOr {
  first: Pipeline;
  rest: Array<{ op: '&&' | '||'; pipeline: Pipeline }>;
  /** Ended with `&` (the simulator runs it to completion before going on). */
  background: boolean;
}

export type Script = AndOr[];

export class ShellSyntaxError extends Error {
  override name = 'ShellSyntaxError';
}

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'while', 'until', 'do', 'done', 'function', 'select', 'time', '{', '}', '[[', ']]']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const SPECIAL_PARAM = /^[?$#!0-9@*-]/;
const META = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);

class Parser {
  pos = 0;
  constructor(
    readonly src: string,
    /** Inside `$(…)`: stop at the `)` that closes it. */
    readonly closeParen = false,
  ) {}

  get c(): string | undefined {
    return this.src[this.pos];
  }
  at(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  skipBlanks(): void {
    for (;;) {
      const c = this.c;
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '\\' && this.src[this.pos + 1] === '\n') this.pos += 2;
      else if (c === '#') while (this.c !== undefined && this.c !== '\n') this.pos++;
      else return;
    }
  }

  script(): Script {
    const out: Script = [];
    for (;;) {
      this.skipBlanks();
      while (this.c === '\n' || this.c === ';') {
        if (this.c === ';' && this.src[this.pos + 1] === ';') throw new ShellSyntaxError("syntax error: ';;' unexpected");
        this.pos++;
        this.skipBlanks();
      }
      if (this.c === undefined) break;
      if (this.c === ')') {
        if (this.closeParen) break;
        throw new ShellSyntaxError("syntax error: ')' unexpected");
      }
      const item = this.andOr();
      out.push(item);
      this.skipBlanks();
      if (this.c === '&' && !this.at('&&')) {
        this.pos++;
        item.background = true;
      } else if (this.c === ';') {
        if (this.at(';;')) throw new ShellSyntaxError("syntax error: ';;' unexpected");
        this.pos++;
      } else if (this.c === '\n') this.pos++;
      else if (this.c !== undefined && !(this.c === ')' && this.closeParen)) throw new ShellSyntaxError(`syntax error: '${this.c}' unexpected`);
    }
    return out;
  }

  andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      this.skipBlanks();
      const op = this.at('&&') ? '&&' : this.at('||') ? '||' : undefined;
      if (!op) break;
      this.pos += 2;
      this.skipNewlines();
      rest.push({ op, pipeline: this.pipeline() });
    }
    return { first, rest, background: false };
  }

  skipNewlines(): void {
    this.skipBlanks();
    while (this.c === '\n') {
      this.pos++;
      this.skipBlanks();
    }
  }

  pipeline(): Pipeline {
    this.skipBlanks();
    let negate = false;
    if (this.c === '!' && (this.src[this.pos + 1] === ' ' || this.src[this.pos + 1] === '\t')) {
      negate = true;
      this.pos++;
    }
    const commands = [this.simple()];
    for (;;) {
      this.skipBlanks();
      if (this.c !== '|' || this.at('||')) break;
      this.pos++;
      this.skipNewlines();
      commands.push(this.simple());
    }
    return { negate, commands };
  }

  simple(): SimpleCommand {
    const cmd: SimpleCommand = { assigns: [], words: [], redirects: [] };
    for (;;) {
      this.skipBlanks();
      const c = this.c;
      if (c === undefined || c === '\n' || c === ';' || c === '&' || c === '|') break;
      if (c === ')') {
        if (this.closeParen) break;
        throw new ShellSyntaxError("syntax error: ')' unexpected");
      }
      if (c === '(') throw new ShellSyntaxError(cmd.words.length ? "syntax error: '(' unexpected" : 'the simulated shell does not run subshells ( … )');
      const redir = /^(\d*)(>>|>&|<&|>\||<<|<>|>|<)/.exec(this.src.slice(this.pos, this.pos + 12));
      if (redir) {
        this.pos += redir[0].length;
        if (redir[2] === '<<') throw new ShellSyntaxError('the simulated shell does not take here-documents (<<)');
        if (redir[2] === '<>') throw new ShellSyntaxError('the simulated shell does not take <> redirections');
        this.skipBlanks();
        const target = this.word();
        if (!target.length) throw new ShellSyntaxError(`syntax error: missing file name after '${redir[2]}'`);
        const op = (redir[2] === '>|' ? '>' : redir[2]) as Redirect['op'];
        const fd = redir[1] ? Number(redir[1]) : op.startsWith('<') ? 0 : 1;
        cmd.redirects.push({ fd, op, target });
        continue;
      }
      const start = this.pos;
      const w = this.word();
      if (this.pos === start) throw new ShellSyntaxError(`syntax error: '${c}' unexpected`);
      const raw = this.src.slice(start, this.pos);
      if (cmd.words.length === 0 && cmd.assigns.length === 0 && RESERVED.has(raw)) {
        throw new ShellSyntaxError(raw === 'fi' || raw === 'done' || raw === 'esac' || raw === '}' ? `syntax error: '${raw}' unexpected` : `the simulated shell does not run '${raw}' (compound commands)`);
      }
      const assign = cmd.words.length === 0 ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(raw) : null;
      if (assign && w[0]?.kind === 'text' && !w[0].quoted && w[0].text.startsWith(assign[0])) {
        const value = [...w];
        const head = value[0] as Extract<WordPart, { kind: 'text' }>;
        value[0] = { ...head, text: head.text.slice(assign[0].length) };
        cmd.assigns.push({ name: assign[1]!, value });
      } else cmd.words.push(w);
    }
    if (!cmd.words.length && !cmd.assigns.length && !cmd.redirects.length) {
      const c = this.c;
      throw new ShellSyntaxError(`syntax error: '${c === undefined ? 'end of file' : c === '\n' ? 'newline' : c}' unexpected`);
    }
    return cmd;
  }

  /** One word, up to an unquoted blank or operator. */
  word(): Word {
    const parts: Word = [];
    let text = '';
    const flush = (quoted: boolean) => {
      if (text) parts.push({ kind: 'text', text, quoted });
      text = '';
    };
    if (this.c === '~') {
      const m = /^~(?=$|[/\s;&|<>()])/.exec(this.src.slice(this.pos, this.pos + 2));
      if (m) {
        parts.push({ kind: 'tilde' });
        this.pos++;
      }
    }
    for (;;) {
      const c = this.c;
      if (c === undefined || META.has(c)) break;
      if (c === '\\') {
        const n = this.src[this.pos + 1];
        this.pos += 2;
        if (n === undefined) {
          text += '\\';
          break;
        }
        if (n === '\n') continue;
        flush(false);
        parts.push({ kind: 'text', text: n, quoted: true });
      } else if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellSyntaxError('no closing quote');
        flush(false);
        parts.push({ kind: 'text', text: this.src.slice(this.pos + 1, end), quoted: true });
        this.pos = end + 1;
      } else if (c === '"') {
        flush(false);
        this.pos++;
        parts.push(...this.doubleQuoted());
      } else if (c === '$' || c === '`') {
        const x = this.expansionOrChar(false);
        if (typeof x === 'string') text += x;
        else {
          flush(false);
          parts.push(x);
        }
      } else {
        text += c;
        this.pos++;
      }
    }
    flush(false);
    return parts;
  }

  /** After the opening `"`, up to and including the closing one. */
  doubleQuoted(): WordPart[] {
    const parts: WordPart[] = [];
    let text = '';
    for (;;) {
      const c = this.c;
      if (c === undefined) throw new ShellSyntaxError('no closing quote');
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const n = this.src[this.pos + 1];
        if (n === '$' || n === '`' || n === '"' || n === '\\') {
          text += n;
          this.pos += 2;
        } else if (n === '\n') this.pos += 2;
        else {
          text += '\\';
          this.pos++;
        }
      } else if (c === '$' || c === '`') {
        const x = this.expansionOrChar(true);
        if (typeof x === 'string') text += x;
        else {
          if (text) parts.push({ kind: 'text', text, quoted: true });
          text = '';
          parts.push(x);
        }
      } else {
        text += c;
        this.pos++;
      }
    }
    if (text || parts.length === 0) parts.push({ kind: 'text', text, quoted: true });
    return parts;
  }

  /** At `$` or a backtick: the expansion there, or a plain `$` as text. */
  expansionOrChar(quoted: boolean): WordPart | string {
    const p = this.dollarOrBacktick(quoted);
    if (p) return p;
    this.pos++;
    return this.src[this.pos - 1]!;
  }

  /** `$…` or a backtick substitution at pos; undefined when `$` is a plain character. */
  dollarOrBacktick(quoted: boolean): WordPart | undefined {
    if (this.c === '`') {
      let body = '';
      let i = this.pos + 1;
      for (;;) {
        const c = this.src[i];
        if (c === undefined) throw new ShellSyntaxError('no closing quote (`)');
        if (c === '`') break;
        if (c === '\\' && (this.src[i + 1] === '`' || this.src[i + 1] === '\\' || this.src[i + 1] === '$')) {
          body += this.src[i + 1];
          i += 2;
          continue;
        }
        body += c;
        i++;
      }
      this.pos = i + 1;
      return { kind: 'subst', script: parseScript(body), quoted };
    }
    const rest = this.src.slice(this.pos + 1);
    if (rest.startsWith('((')) throw new ShellSyntaxError('the simulated shell does not do arithmetic $(( … ))');
    if (rest.startsWith('(')) {
      const inner = new Parser(this.src, true);
      inner.pos = this.pos + 2;
      const script = inner.script();
      if (inner.c !== ')') throw new ShellSyntaxError("syntax error: no closing ')' for '$('");
      this.pos = inner.pos + 1;
      return { kind: 'subst', script, quoted };
    }
    if (rest.startsWith('{')) {
      const m = /^\{([A-Za-z_][A-Za-z0-9_]*|[?$#!0-9@*-])\}/.exec(rest);
      if (!m) throw new ShellSyntaxError(`the simulated shell does not take \${…} beyond \${NAME}: ${rest.slice(0, 20)}`);
      this.pos += 1 + m[0].length;
      return { kind: 'param', name: m[1]!, quoted };
    }
    const m = NAME.exec(rest) ?? SPECIAL_PARAM.exec(rest);
    if (!m) return undefined;
    this.pos += 1 + m[0].length;
    return { kind: 'param', name: m[0], quoted };
  }
}

/** Parse a command line (what adbd hands to `sh -c`). */
export function parseScript(src: string): Script {
  const p = new Parser(src);
  const s = p.script();
  if (p.c !== undefined) throw new ShellSyntaxError(`syntax error: '${p.c}' unexpected`);
  return s;
}
