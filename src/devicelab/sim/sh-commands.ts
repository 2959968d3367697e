/**
 * The commands the simulated device's shell knows (toybox / mksh builtins as a
 * phone has them, for what `mai deploy` and a person at `adb shell` use): one
 * function per command, argv and stdin in, stdout / stderr / exit status out.
 * Executable files whose name contains `benchmark_model` run the simulated tool.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { runBenchmarkTool } from './benchmark-tool.js';
import type { GraphReader, SimDevice } from './device.js';

export interface CommandIo {
  args: string[];
  stdin: string;
  device: SimDevice;
  readGraph: GraphReader;
  /** Absolute path of `p` from the shell's working directory. */
  path(p: string): string;
  shell: { cwd: string; exit?: number };
}

export interface CommandOutput {
  out: string;
  err: string;
  code: number;
  /** The process never exits (fault injection). */
  hang?: boolean;
}

type Command = (io: CommandIo) => CommandOutput | Promise<CommandOutput>;

const ok = (out = ''): CommandOutput => ({ out, err: '', code: 0 });
const bad = (err: string, code = 1): CommandOutput => ({ out: '', err: err.endsWith('\n') ? err : `${err}\n`, code });
const operandsOf = (args: string[]) => {
  const i = args.indexOf('--');
  return i >= 0 ? [...args.slice(0, i).filter((a) => !a.startsWith('-') || a === '-'), ...args.slice(i + 1)] : args.filter((a) => !a.startsWith('-') || a === '-');
};

/** Backslash escapes of echo / printf formats (`\c` stops output: returned as `stop`). */
function unescape(s: string, octalNeedsZero: boolean): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    const simple: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
    if (n in simple) out += simple[n];
    else if (n === 'c') return { text: out, stop: true };
    else if (/[0-7]/.test(n) && (n === '0' || !octalNeedsZero)) {
      // echo / %b: \0 then up to 3 octal digits; a printf format: up to 3 octal digits.
      const from = octalNeedsZero ? i + 1 : i;
      const digits = /^[0-7]{0,3}/.exec(s.slice(from))![0];
      out += String.fromCharCode(parseInt(digits || '0', 8) & 0xff);
      i = from + digits.length - 1;
    } else out += `\\${n}`;
  }
  return { text: out, stop: false };
}

/** printf FORMAT [ARG…]: %s %b %c %d %i %u %o %x %X %%, flags/width/precision; the format repeats while arguments remain. */
function printf(args: string[]): CommandOutput {
  const [format, ...rest] = args;
  if (format === undefined) return bad('printf: Needs 1 argument', 1);
  let out = '';
  let err = '';
  let k = 0;
  do {
    const used = k;
    const re = /%([-+ 0#]*)(\d*)(?:\.(\d*))?([sbcdiuoxX%])|\\(?:[0-7]{1,3}|.)|[^%\\]+|[%\\]/gs;
    for (const m of format.matchAll(re)) {
      const tok = m[0];
      if (tok.startsWith('\\')) {
        const u = unescape(tok, false);
        out += u.text;
        if (u.stop) return { out, err, code: err ? 1 : 0 };
        continue;
      }
      if (!m[4]) {
        out += tok;
        continue;
      }
      const conv = m[4];
      if (conv === '%') {
        out += '%';
        continue;
      }
      const arg = rest[k++] ?? '';
      let s: string;
      if (conv === 's') s = m[3] !== undefined ? arg.slice(0, Number(m[3] || 0)) : arg;
      else if (conv === 'b') s = unescape(arg, true).text;
      else if (conv === 'c') s = arg.slice(0, 1);
      else {
        const n = arg === '' ? 0 : Number(arg.startsWith("'") || arg.startsWith('"') ? arg.codePointAt(1) : arg);
        if (!Number.isFinite(n)) {
          err += `printf: invalid number '${arg}'\n`;
          s = '0';
        } else {
          const v = Math.trunc(n);
          s = conv === 'o' ? v.toString(8) : conv === 'x' ? v.toString(16) : conv === 'X' ? v.toString(16).toUpperCase() : String(v);
          if (m[1]?.includes('+') && v >= 0 && 'di'.includes(conv)) s = `+${s}`;
        }
      }
      const width = Number(m[2] || 0);
      if (s.length < width) s = m[1]?.includes('-') ? s.padEnd(width) : m[1]?.includes('0') && conv !== 's' ? s.padStart(width, '0') : s.padStart(width);
      out += s;
    }
    if (k === used) break;
  } while (k < rest.length);
  return { out, err, code: err ? 1 : 0 };
}

function echo(args: string[]): CommandOutput {
  let i = 0;
  let newline = true;
  let escapes = true;
  for (; i < args.length && /^-[neE]+$/.test(args[i]!); i++) {
    for (const f of args[i]!.slice(1)) {
      if (f === 'n') newline = false;
      else escapes = f === 'e';
    }
  }
  const text = args.slice(i).join(' ');
  if (!escapes) return ok(text + (newline ? '\n' : ''));
  const u = unescape(text, true);
  return ok(u.text + (newline && !u.stop ? '\n' : ''));
}

function hashFiles(algo: 'sha256' | 'md5', name: string, io: CommandIo): CommandOutput {
  const files = operandsOf(io.args);
  let out = '';
  let err = '';
  for (const f of files.length ? files : ['-']) {
    const data = f === '-' ? Buffer.from(io.stdin, 'latin1') : io.device.fs.readFile(io.path(f));
    if (!data) err += `${name}: ${f}: No such file or directory\n`;
    else out += `${createHash(algo).update(data).digest('hex')}  ${f}\n`;
  }
  return { out, err, code: err ? 1 : 0 };
}

function ls(io: CommandIo): CommandOutput {
  const fs = io.device.fs;
  const long = io.args.some((a) => /^-.*l/.test(a));
  const ops = operandsOf(io.args);
  let out = '';
  let err = '';
  for (const t of ops.length ? ops : [io.shell.cwd]) {
    const e = fs.get(io.path(t));
    if (!e) {
      err += `ls: ${t}: No such file or directory\n`;
      continue;
    }
    const rows = e.type === 'dir' ? fs.list(io.path(t)) : [{ name: t, entry: e }];
    for (const r of rows) {
      if (!long) out += `${r.name}\n`;
      else {
        const perm = r.entry.perm;
        const bits = ['r', 'w', 'x', 'r', 'w', 'x', 'r', 'w', 'x'].map((c, i) => (perm & (1 << (8 - i)) ? c : '-')).join('');
        const date = new Date(r.entry.mtime * 1000).toISOString().slice(0, 16).replace('T', ' ');
        out += `${r.entry.type === 'dir' ? 'd' : '-'}${bits} 1 shell shell ${fs.size(r.entry)} ${date} ${r.name}\n`;
      }
    }
  }
  return { out, err, code: err ? 1 : 0 };
}

function grep(io: CommandIo): CommandOutput {
  const [pattern, ...files] = operandsOf(io.args);
  if (pattern === undefined) return bad('usage: grep PATTERN FILE...', 2);
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    return bad(`grep: bad regex '${pattern}'`, 2);
  }
  let out = '';
  let err = '';
  let hit = false;
  for (const f of files.length ? files : ['-']) {
    const data = f === '-' ? io.stdin : io.device.fs.readFile(io.path(f))?.toString('utf8');
    if (data === undefined) {
      err += `grep: ${f}: No such file or directory\n`;
      continue;
    }
    for (const l of data.split('\n')) {
      if (l === '' || !re.test(l)) continue;
      hit = true;
      out += files.length > 1 ? `${f}:${l}\n` : `${l}\n`;
    }
  }
  return { out, err, code: err ? 2 : hit ? 0 : 1 };
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  true: () => ok(),
  false: () => ({ out: '', err: '', code: 1 }),
  echo: (io) => echo(io.args),
  printf: (io) => printf(io.args),
  pwd: (io) => ok(`${io.shell.cwd}\n`),
  cd: (io) => {
    const to = io.path(io.args[0] ?? '/');
    if (io.device.fs.get(to)?.type !== 'dir') return bad(`/system/bin/sh: cd: ${io.args[0]}: No such file or directory`, 2);
    io.shell.cwd = to;
    return ok();
  },
  exit: (io) => {
    const code = io.args[0] === undefined ? 0 : Number(io.args[0]) & 0xff;
    io.shell.exit = code;
    return { out: '', err: '', code };
  },
  getprop: (io) => {
    const p = io.device.props;
    if (io.args[0]) return ok(`${p[io.args[0]] ?? io.args[1] ?? ''}\n`);
    return ok(Object.keys(p).sort().map((k) => `[${k}]: [${p[k]}]\n`).join(''));
  },
  chmod: (io) => {
    const [mode, ...files] = io.args;
    if (!mode || files.length === 0) return bad('chmod: Need 2 arguments');
    let err = '';
    for (const f of files) {
      const e = io.device.fs.get(io.path(f));
      if (!e) err += `chmod: ${f}: No such file or directory\n`;
      else if (/^[0-7]+$/.test(mode)) e.perm = parseInt(mode, 8) & 0o777;
      else if (/\+x/.test(mode)) e.perm |= 0o111;
      else err += `chmod: bad mode '${mode}'\n`;
    }
    return err ? bad(err) : ok();
  },
  rm: (io) => {
    const force = io.args.some((a) => /^-[^-]*f/.test(a));
    const rec = io.args.some((a) => /^-[^-]*r/i.test(a));
    let err = '';
    for (const f of operandsOf(io.args)) {
      try {
        if (!io.device.fs.remove(io.path(f), rec) && !force) err += `rm: ${f}: No such file or directory\n`;
      } catch (e) {
        err += `rm: ${(e as Error).message}\n`;
      }
    }
    return err ? bad(err) : ok();
  },
  mkdir: (io) => {
    const fs = io.device.fs;
    const parents = io.args.some((a) => /^-[^-]*p/.test(a));
    let err = '';
    for (const d of operandsOf(io.args)) {
      const p = io.path(d);
      if (fs.get(p) && !parents) err += `mkdir: '${d}': File exists\n`;
      else if (!parents && !fs.get(posix.dirname(p))) err += `mkdir: '${d}': No such file or directory\n`;
      else {
        try {
          fs.mkdirp(p);
        } catch (e) {
          err += `mkdir: '${d}': ${(e as Error).message.replace(/^.*: /, '')}\n`;
        }
      }
    }
    return err ? bad(err) : ok();
  },
  touch: (io) => {
    const fs = io.device.fs;
    let err = '';
    for (const f of operandsOf(io.args)) {
      const p = io.path(f);
      const e = fs.get(p);
      if (e) e.mtime = Math.floor(Date.now() / 1000);
      else {
        try {
          fs.writeFile(p, Buffer.alloc(0));
        } catch (x) {
          err += `touch: '${f}': ${(x as Error).message.replace(/^.*: /, '')}\n`;
        }
      }
    }
    return err ? bad(err) : ok();
  },
  ls,
  cat: (io) => {
    let out = '';
    let err = '';
    const files = operandsOf(io.args);
    for (const f of files.length ? files : ['-']) {
      if (f === '-') {
        out += io.stdin;
        continue;
      }
      const e = io.device.fs.get(io.path(f));
      if (!e) err += `cat: ${f}: No such file or directory\n`;
      else if (e.type === 'dir') err += `cat: ${f}: Is a directory\n`;
      else out += io.device.fs.readFile(io.path(f))!.toString('latin1');
    }
    return { out, err, code: err ? 1 : 0 };
  },
  grep,
  dumpsys: (io) => (io.args[0] === 'battery' ? ok(io.device.dumpsysBattery()) : bad(`Can't find service: ${io.args[0] ?? ''}`)),
  sha256sum: (io) => hashFiles('sha256', 'sha256sum', io),
  md5sum: (io) => hashFiles('md5', 'md5sum', io),
  test: (io) => testExpr(io, io.args),
  '[': (io) => (io.args[io.args.length - 1] === ']' ? testExpr(io, io.args.slice(0, -1)) : bad("[: missing ']'", 2)),
};

function testExpr(io: CommandIo, a: string[]): CommandOutput {
  const fs = io.device.fs;
  let r: boolean;
  if (a.length === 0) r = false;
  else if (a.length === 1) r = a[0] !== '';
  else if (a.length === 2 && a[0] === '!') r = a[1] === '';
  else if (a.length === 2) {
    const e = fs.get(io.path(a[1]!));
    const flag = a[0];
    if (flag === '-z') r = a[1] === '';
    else if (flag === '-n') r = a[1] !== '';
    else r = flag === '-f' ? e?.type === 'file' : flag === '-d' ? e?.type === 'dir' : flag === '-x' ? !!e && (e.perm & 0o111) !== 0 : flag === '-s' ? !!e && fs.size(e) > 0 : !!e;
  } else if (a.length === 3 && (a[1] === '=' || a[1] === '!=')) r = (a[0] === a[2]) === (a[1] === '=');
  else return bad(`test: unknown expression: ${a.join(' ')}`, 2);
  return { out: '', err: '', code: r ? 0 : 1 };
}

/** Run an executable file: the simulated benchmark_model, or an exec error for anything else. */
export async function runExecutable(io: CommandIo, name: string): Promise<CommandOutput & { notFound?: boolean }> {
  const path = io.path(name);
  const e = io.device.fs.get(path);
  if (!e) return { ...bad(`/system/bin/sh: ${name}: inaccessible or not found`, 127), notFound: true };
  if (e.type !== 'file' || (e.perm & 0o111) === 0) return bad(`/system/bin/sh: ${name}: can't execute: Permission denied`, 126);
  if (!posix.basename(path).includes('benchmark_model')) return bad(`/system/bin/sh: ${name}: can't execute: Exec format error`, 126);
  if (io.device.take('benchmarkHang')) return { out: 'INFO: STARTING!\n', err: '', code: 0, hang: true };
  const r = await runBenchmarkTool(io.device, io.args, io.readGraph);
  return { out: r.output, err: '', code: r.exitCode };
}
