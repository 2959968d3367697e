/**
 * The simulated device's `/system/bin/sh`: runs what `sh-parse.ts` parses the
 * way mksh does — parameter and command substitution, field splitting of
 * unquoted expansions, globs against the device's filesystem, redirections,
 * pipelines, `&&` / `||`, `$?`. Commands come from `sh-commands.ts`; anything
 * else is "inaccessible or not found" (exit 127). Every command run and every
 * line refused goes to the device's command log. Output: stdout and stderr
 * merged, as adb's raw `shell:` delivers it.
 */
import { posix } from 'node:path';
import type { GraphReader, SimDevice } from './device.js';
import { COMMANDS, runExecutable, type CommandIo, type CommandOutput } from './sh-commands.js';
import { parseScript, ShellSyntaxError, type AndOr, type Pipeline, type Script, type SimpleCommand, type Word } from './sh-parse.js';

export interface ShellResult {
  output: string;
  exitCode: number;
  /** The process never exits (fault injection). */
  hang?: boolean;
}

/** Android's `adb shell` environment (the parts a command line can read). */
const ENV: Readonly<Record<string, string>> = {
  HOME: '/',
  PATH: '/product/bin:/apex/com.android.runtime/bin:/apex/com.android.art/bin:/system_ext/bin:/system/bin:/system/xbin:/odm/bin:/vendor/bin:/vendor/xbin',
  TMPDIR: '/data/local/tmp',
  SHELL: '/system/bin/sh',
  HOSTNAME: 'HWNOH',
  USER: 'shell',
  LOGNAME: 'shell',
  ANDROID_DATA: '/data',
  ANDROID_ROOT: '/system',
  ANDROID_STORAGE: '/storage',
  EXTERNAL_STORAGE: '/sdcard',
  IFS: ' \t\n',
};
const SH = '/system/bin/sh';

type Sink = (text: string) => void;
interface Streams {
  stdin: string;
  stdout: Sink;
  stderr: Sink;
}

/** A field being built: text plus which characters came from quotes (literal for globbing). */
interface Field {
  segs: Array<{ text: string; quoted: boolean }>;
}

class Hang extends Error {}

export class SimShell {
  private vars: Record<string, string> = { ...ENV };
  private rc = 0;
  private readonly state: CommandIo['shell'] = { cwd: '/' };
  private line = '';
  /** Status of the last `$(…)` of the command being expanded (what `x=$(cmd)` alone returns). */
  private substRc: number | undefined;

  constructor(
    private readonly device: SimDevice,
    private readonly readGraph: GraphReader,
  ) {}

  /** Run one command line (what adbd hands to `sh -c`). */
  async run(line: string): Promise<ShellResult> {
    this.line = line;
    let output = '';
    const terminal: Sink = (t) => void (output += t);
    let script: Script;
    try {
      script = parseScript(line);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      this.device.commands.record({ line, exitCode: 1, error: e.message });
      return { output: `${SH}: ${e.message}\n`, exitCode: 1 };
    }
    try {
      await this.script(script, { stdin: '', stdout: terminal, stderr: terminal });
    } catch (e) {
      if (e instanceof Hang) return { output, exitCode: this.rc, hang: true };
      if (!(e instanceof ShellSyntaxError)) throw e;
      this.device.commands.record({ line, exitCode: 1, error: e.message });
      output += `${SH}: ${e.message}\n`;
      this.rc = 1;
    }
    return { output, exitCode: this.state.exit ?? this.rc };
  }

  private async script(s: Script, io: Streams): Promise<void> {
    for (const item of s) {
      if (this.state.exit !== undefined) return;
      await this.andOr(item, io);
    }
  }

  private async andOr(a: AndOr, io: Streams): Promise<void> {
    await this.pipeline(a.first, io);
    for (const { op, pipeline } of a.rest) {
      if (this.state.exit !== undefined) return;
      if ((op === '&&') === (this.rc === 0)) await this.pipeline(pipeline, io);
    }
  }

  private async pipeline(p: Pipeline, io: Streams): Promise<void> {
    let stdin = io.stdin;
    for (let i = 0; i < p.commands.length; i++) {
      const last = i === p.commands.length - 1;
      let piped = '';
      // As in mksh, every element but the last runs in a subshell: its assignments, cd and exit do not stay.
      const saved = last ? undefined : { vars: { ...this.vars }, cwd: this.state.cwd, exit: this.state.exit };
      await this.simple(p.commands[i]!, { stdin, stdout: last ? io.stdout : (t) => void (piped += t), stderr: io.stderr });
      if (saved) {
        this.vars = saved.vars;
        this.state.cwd = saved.cwd;
        this.state.exit = saved.exit;
      }
      stdin = piped;
    }
    if (p.negate) this.rc = this.rc === 0 ? 1 : 0;
  }

  private async simple(c: SimpleCommand, io: Streams): Promise<void> {
    this.substRc = undefined;
    const argv: string[] = [];
    for (const w of c.words) argv.push(...(await this.expand(w, io)));
    const assigned: Record<string, string> = {};
    for (const a of c.assigns) assigned[a.name] = (await this.expand(a.value, io, false)).join('');
    const fds = await this.redirect(c, io);
    if (!fds) return;
    if (argv.length === 0) {
      Object.assign(this.vars, assigned);
      this.rc = this.substRc ?? 0;
      return;
    }
    const [name, ...args] = argv as [string, ...string[]];
    const cio: CommandIo = { args, stdin: fds.stdin, device: this.device, readGraph: this.readGraph, path: (p) => posix.resolve(this.state.cwd, p), shell: this.state };
    let res: CommandOutput & { notFound?: boolean };
    let error: string | undefined;
    const builtin = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (builtin) res = await builtin(cio);
    else if (name.includes('/')) {
      res = await runExecutable(cio, name);
      if (res.code === 127 || res.code === 126) error = res.err.trim();
    } else {
      res = { out: '', err: `${SH}: ${name}: inaccessible or not found\n`, code: 127 };
      error = res.err.trim();
    }
    this.device.commands.record({ line: this.line, argv, exitCode: res.code, ...(error ? { error } : {}) });
    fds.stdout(res.out);
    fds.stderr(res.err);
    this.rc = res.code;
    if (res.hang) throw new Hang();
  }

  /** Apply redirections left to right; undefined (after printing why) when one fails. */
  private async redirect(c: SimpleCommand, io: Streams): Promise<{ stdin: string; stdout: Sink; stderr: Sink } | undefined> {
    const fs = this.device.fs;
    const fds = new Map<number, Sink>([
      [1, io.stdout],
      [2, io.stderr],
    ]);
    let stdin = io.stdin;
    const nul: Sink = () => undefined;
    for (const r of c.redirects) {
      const fields = await this.expand(r.target, io);
      const fail = (msg: string) => {
        io.stderr(`${SH}: ${msg}\n`);
        this.device.commands.record({ line: this.line, exitCode: 1, error: msg });
        this.rc = 1;
        return undefined;
      };
      if (fields.length !== 1) return fail(`${fields.join(' ')}: ambiguous redirect`);
      const target = fields[0]!;
      if (r.op === '>&' || r.op === '<&') {
        if (target === '-') fds.set(r.fd, nul);
        else if (/^\d+$/.test(target) && fds.has(Number(target))) fds.set(r.fd, fds.get(Number(target))!);
        else if (!/^\d+$/.test(target)) return fail(`${target}: illegal file descriptor name`);
        else return fail(`${target}: bad file descriptor`);
        continue;
      }
      const path = posix.resolve(this.state.cwd, target);
      if (r.op === '<') {
        if (path === '/dev/null') stdin = '';
        else {
          const data = fs.readFile(path);
          if (!data) return fail(`can't open ${target}: No such file or directory`);
          stdin = data.toString('latin1');
        }
        continue;
      }
      if (path === '/dev/null') {
        fds.set(r.fd, nul);
        continue;
      }
      const existing = fs.get(path);
      if (existing?.type === 'dir') return fail(`can't create ${target}: Is a directory`);
      try {
        if (r.op === '>' || !existing) fs.writeFile(path, Buffer.alloc(0));
      } catch {
        return fail(`can't create ${target}: No such file or directory`);
      }
      fds.set(r.fd, (t) => {
        const prev = fs.readFile(path) ?? Buffer.alloc(0);
        fs.writeFile(path, Buffer.concat([prev, Buffer.from(t, 'latin1')]), fs.get(path)?.perm);
      });
    }
    return { stdin, stdout: fds.get(1) ?? nul, stderr: fds.get(2) ?? nul };
  }

  /** A word's fields: expansions, field splitting of unquoted results, then pathname expansion. */
  private async expand(w: Word, io: Streams, split = true): Promise<string[]> {
    const fields: Field[] = [];
    let cur: Field = { segs: [] };
    let started = false;
    const end = () => {
      if (started) fields.push(cur);
      cur = { segs: [] };
      started = false;
    };
    const add = (text: string, quoted: boolean) => {
      cur.segs.push({ text, quoted });
      if (quoted || text) started = true;
    };
    for (const p of w) {
      if (p.kind === 'text') add(p.text, p.quoted);
      else if (p.kind === 'tilde') add(this.vars.HOME ?? '/', true);
      else {
        const value = p.kind === 'param' ? this.param(p.name) : await this.substitute(p.script, io);
        if (p.quoted || !split) {
          add(value, true);
          started = true;
          continue;
        }
        const pieces = value.split(/[ \t\n]+/);
        pieces.forEach((piece, i) => {
          if (i > 0) end();
          if (piece) add(piece, false);
        });
      }
    }
    end();
    if (!split) return [fields.map((f) => f.segs.map((s) => s.text).join('')).join('')];
    const out: string[] = [];
    for (const f of fields) {
      const text = f.segs.map((s) => s.text).join('');
      if (f.segs.some((s) => !s.quoted && /[*?[]/.test(s.text))) {
        const pattern = f.segs.map((s) => (s.quoted ? s.text.replace(/[\\*?[\]]/g, '\\$&') : s.text)).join('');
        const relative = !pattern.startsWith('/');
        const cwd = this.state.cwd;
        const matches = this.device.fs.glob(relative ? posix.join(cwd, pattern) : pattern).map((m) => (relative ? posix.relative(cwd, m) : m));
        if (matches.length) {
          out.push(...matches);
          continue;
        }
      }
      out.push(text);
    }
    return out;
  }

  private param(name: string): string {
    if (name === '?') return String(this.rc);
    if (name === '$') return '4242';
    if (name === '#') return '0';
    if (name === '0') return SH;
    return this.vars[name] ?? '';
  }

  /** `$(…)` / backticks: run the script, its stdout with trailing newlines removed. `$?` is left as it was. */
  private async substitute(s: Script, io: Streams): Promise<string> {
    let out = '';
    const rc = this.rc;
    await this.script(s, { stdin: '', stdout: (t) => void (out += t), stderr: io.stderr });
    this.substRc = this.rc;
    this.rc = rc;
    return out.replace(/\n+$/, '');
  }
}
