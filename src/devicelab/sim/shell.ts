/**
 * A small `/system/bin/sh` for the simulated device: enough for what `mai deploy`
 * and a person at `adb shell CMD` run. Sequences with `;`, `&&`, `||`; quotes;
 * `$?`; globs; `2>/dev/null`, `>/dev/null`, `2>&1`. Commands: echo, getprop,
 * chmod, rm, ls, cat, mkdir, grep, dumpsys battery, sha256sum, md5sum, true,
 * false, test/[ -f|-d|-e|-x, and any executable file whose name contains
 * `benchmark_model` (the simulated benchmark tool). Output: stdout and stderr
 * merged, as adb's raw `shell:` delivers it.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { GraphReader, SimDevice } from './device.js';
import { runBenchmarkTool } from './benchmark-tool.js';

export interface ShellResult {
  output: string;
  exitCode: number;
  /** The process never exits (fault injection). */
  hang?: boolean;
}

type Seq = { cmd: string; op: ';' | '&&' | '||' };

/** Split on ; && || outside quotes. */
function splitSequence(line: string): Seq[] {
  const out: Seq[] = [];
  let cur = '';
  let q: string | null = null;
  let op: Seq['op'] = ';';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === q) q = null;
      cur += c;
      continue;
    }
    if (c === "'" || c === '"') {
      q = c;
      cur += c;
      continue;
    }
    if (c === '\\' && i + 1 < line.length) {
      cur += c + line[++i];
      continue;
    }
    const two = line.slice(i, i + 2);
    if (c === ';' || c === '\n' || two === '&&' || two === '||') {
      out.push({ cmd: cur, op });
      op = c === ';' || c === '\n' ? ';' : (two as Seq['op']);
      if (two === '&&' || two === '||') i++;
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push({ cmd: cur, op });
  return out.filter((s) => s.cmd.trim() !== '');
}

/** Words of one simple command: quotes removed, `$?` expanded, unquoted globs marked. */
function words(cmd: string, lastRc: number): Array<{ w: string; glob: boolean }> {
  const out: Array<{ w: string; glob: boolean }> = [];
  let cur = '';
  let any = false;
  let glob = false;
  let q: string | null = null;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i]!;
    if (q === "'") {
      if (c === "'") q = null;
      else cur += c;
      continue;
    }
    if (q === '"') {
      if (c === '"') q = null;
      else if (c === '$' && cmd[i + 1] === '?') {
        cur += String(lastRc);
        i++;
      } else cur += c;
      continue;
    }
    if (c === "'" || c === '"') {
      q = c;
      any = true;
      continue;
    }
    if (c === '\\' && i + 1 < cmd.length) {
      cur += cmd[++i];
      any = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (any || cur) out.push({ w: cur, glob });
      cur = '';
      any = false;
      glob = false;
      continue;
    }
    if (c === '$' && cmd[i + 1] === '?') {
      cur += String(lastRc);
      i++;
      any = true;
      continue;
    }
    if (c === '*' || c === '?') glob = true;
    cur += c;
    any = true;
  }
  if (any || cur) out.push({ w: cur, glob });
  return out;
}

export class SimShell {
  constructor(
    private readonly device: SimDevice,
    private readonly readGraph: GraphReader,
  ) {}

  async run(line: string): Promise<ShellResult> {
    let rc = 0;
    let output = '';
    for (const { cmd, op } of splitSequence(line)) {
      if (op === '&&' && rc !== 0) continue;
      if (op === '||' && rc === 0) continue;
      const r = await this.simple(cmd, rc);
      output += r.output;
      rc = r.exitCode;
      if (r.hang) return { output, exitCode: rc, hang: true };
    }
    return { output, exitCode: rc };
  }

  private async simple(cmd: string, lastRc: number): Promise<ShellResult> {
    let dropErr = false;
    let dropOut = false;
    const argv: string[] = [];
    for (const { w, glob } of words(cmd, lastRc)) {
      if (w === '2>/dev/null') dropErr = true;
      else if (w === '>/dev/null' || w === '1>/dev/null') dropOut = true;
      else if (w === '2>&1') continue;
      else if (glob) {
        const m = this.device.fs.glob(w);
        argv.push(...(m.length ? m : [w]));
      } else argv.push(w);
    }
    if (argv.length === 0) return { output: '', exitCode: lastRc };
    const res = await this.exec(argv);
    return { output: (dropOut ? '' : res.out) + (dropErr ? '' : res.err), exitCode: res.code, hang: res.hang };
  }

  private async exec(argv: string[]): Promise<{ out: string; err: string; code: number; hang?: boolean }> {
    const fs = this.device.fs;
    const [name, ...args] = argv as [string, ...string[]];
    const ok = (out = '') => ({ out, err: '', code: 0 });
    const bad = (err: string, code = 1) => ({ out: '', err: err.endsWith('\n') ? err : `${err}\n`, code });
    const operands = args.filter((a) => !a.startsWith('-'));
    switch (name) {
      case 'true':
        return ok();
      case 'false':
        return { out: '', err: '', code: 1 };
      case 'echo':
        return ok(`${args.filter((a) => a !== '-n').join(' ')}${args[0] === '-n' ? '' : '\n'}`);
      case 'getprop': {
        const p = this.device.props;
        if (args[0]) return ok(`${p[args[0]] ?? ''}\n`);
        return ok(Object.keys(p).sort().map((k) => `[${k}]: [${p[k]}]\n`).join(''));
      }
      case 'chmod': {
        const [mode, ...files] = args;
        if (!mode || files.length === 0) return bad('chmod: Need 2 arguments');
        let err = '';
        for (const f of files) {
          const e = fs.get(f);
          if (!e) err += `chmod: ${f}: No such file or directory\n`;
          else if (/^[0-7]+$/.test(mode)) e.perm = parseInt(mode, 8) & 0o777;
          else if (/\+x/.test(mode)) e.perm |= 0o111;
        }
        return err ? bad(err) : ok();
      }
      case 'rm': {
        const force = args.some((a) => /^-.*f/.test(a));
        const rec = args.some((a) => /^-.*r/i.test(a));
        let err = '';
        for (const f of operands) {
          try {
            if (!fs.remove(f, rec) && !force) err += `rm: ${f}: No such file or directory\n`;
          } catch (e) {
            err += `rm: ${(e as Error).message}\n`;
          }
        }
        return err ? bad(err) : ok();
      }
      case 'mkdir': {
        const p = args.includes('-p');
        let err = '';
        for (const d of operands) {
          if (fs.get(d) && !p) err += `mkdir: '${d}': File exists\n`;
          else if (!p && !fs.get(posix.dirname(d))) err += `mkdir: '${d}': No such file or directory\n`;
          else fs.mkdirp(d);
        }
        return err ? bad(err) : ok();
      }
      case 'ls': {
        const long = args.some((a) => /^-.*l/.test(a));
        const targets = operands.length ? operands : ['/'];
        let out = '';
        let err = '';
        for (const t of targets) {
          const e = fs.get(t);
          if (!e) {
            err += `ls: ${t}: No such file or directory\n`;
            continue;
          }
          const rows = e.type === 'dir' ? fs.list(t) : [{ name: t, entry: e }];
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
      case 'cat': {
        let out = '';
        let err = '';
        for (const f of operands) {
          const e = fs.get(f);
          if (!e) err += `cat: ${f}: No such file or directory\n`;
          else if (e.type === 'dir') err += `cat: ${f}: Is a directory\n`;
          else out += fs.readFile(f)!.toString('latin1');
        }
        return { out, err, code: err ? 1 : 0 };
      }
      case 'grep': {
        const [pattern, ...files] = operands;
        if (pattern === undefined) return bad('usage: grep PATTERN FILE...', 2);
        const re = new RegExp(pattern);
        let out = '';
        let err = '';
        let hit = false;
        for (const f of files) {
          const data = fs.readFile(f);
          if (!data) {
            err += `grep: ${f}: No such file or directory\n`;
            continue;
          }
          for (const l of data.toString('utf8').split('\n')) {
            if (l === '' || !re.test(l)) continue;
            hit = true;
            out += files.length > 1 ? `${f}:${l}\n` : `${l}\n`;
          }
        }
        return { out, err, code: err ? 2 : hit ? 0 : 1 };
      }
      case 'dumpsys':
        if (args[0] === 'battery') return ok(this.device.dumpsysBattery());
        return bad(`Can't find service: ${args[0] ?? ''}`);
      case 'sha256sum':
      case 'md5sum': {
        let out = '';
        let err = '';
        for (const f of operands) {
          const data = fs.readFile(f);
          if (!data) err += `${name}: ${f}: No such file or directory\n`;
          else out += `${createHash(name === 'md5sum' ? 'md5' : 'sha256').update(data).digest('hex')}  ${f}\n`;
        }
        return { out, err, code: err ? 1 : 0 };
      }
      case 'test':
      case '[': {
        const a = name === '[' ? args.slice(0, -1) : args;
        const [flag, f] = a;
        const e = f ? fs.get(f) : undefined;
        const r = flag === '-f' ? e?.type === 'file' : flag === '-d' ? e?.type === 'dir' : flag === '-x' ? !!e && (e.perm & 0o111) !== 0 : !!e;
        return { out: '', err: '', code: r ? 0 : 1 };
      }
    }
    if (name.includes('/')) {
      const e = fs.get(name);
      if (!e) return bad(`/system/bin/sh: ${name}: inaccessible or not found`, 127);
      if (e.type !== 'file' || (e.perm & 0o111) === 0) return bad(`/system/bin/sh: ${name}: can't execute: Permission denied`, 126);
      if (posix.basename(name).includes('benchmark_model')) {
        if (this.device.take('benchmarkHang')) return { out: 'INFO: STARTING!\n', err: '', code: 0, hang: true };
        const r = await runBenchmarkTool(this.device, args, this.readGraph);
        return { out: r.output, err: '', code: r.exitCode };
      }
      return bad(`/system/bin/sh: ${name}: can't execute: Exec format error`, 126);
    }
    return bad(`/system/bin/sh: ${name}: inaccessible or not found`, 127);
  }
}
