/** The simulated device's in-memory filesystem (per device). Paths are absolute, POSIX. */
import { posix } from 'node:path';

export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;

export interface VfsEntry {
  type: 'file' | 'dir';
  /** Permission bits (0o777 part). */
  perm: number;
  mtime: number;
  data?: Buffer;
  /** Dynamic file contents (e.g. /sys thermal zones), computed on each read. */
  read?: () => string;
}

export class Vfs {
  private entries = new Map<string, VfsEntry>();

  constructor(now = () => Math.floor(Date.now() / 1000)) {
    this.now = now;
    this.entries.set('/', { type: 'dir', perm: 0o755, mtime: now() });
  }
  private now: () => number;

  static norm(p: string): string {
    const n = posix.normalize(p.startsWith('/') ? p : `/${p}`);
    return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
  }

  get(path: string): VfsEntry | undefined {
    return this.entries.get(Vfs.norm(path));
  }

  mkdirp(path: string, perm = 0o771): void {
    const p = Vfs.norm(path);
    if (p === '/') return;
    this.mkdirp(posix.dirname(p));
    const e = this.entries.get(p);
    if (!e) this.entries.set(p, { type: 'dir', perm, mtime: this.now() });
    else if (e.type !== 'dir') throw new Error(`${p}: Not a directory`);
  }

  /** Write a file; the parent directory must exist. */
  writeFile(path: string, data: Buffer, perm = 0o644, mtime = this.now()): void {
    const p = Vfs.norm(path);
    const parent = this.entries.get(posix.dirname(p));
    if (!parent || parent.type !== 'dir') throw new Error(`${posix.dirname(p)}: No such file or directory`);
    const e = this.entries.get(p);
    if (e?.type === 'dir') throw new Error(`${p}: Is a directory`);
    this.entries.set(p, { type: 'file', perm, mtime, data });
  }

  /** A file whose contents are computed on read. */
  dynamicFile(path: string, read: () => string, perm = 0o444): void {
    const p = Vfs.norm(path);
    this.mkdirp(posix.dirname(p), 0o755);
    this.entries.set(p, { type: 'file', perm, mtime: this.now(), read });
  }

  readFile(path: string): Buffer | undefined {
    const e = this.get(path);
    if (!e || e.type !== 'file') return undefined;
    return e.read ? Buffer.from(e.read()) : (e.data ?? Buffer.alloc(0));
  }

  size(e: VfsEntry): number {
    return e.read ? 4096 : (e.data?.length ?? (e.type === 'dir' ? 4096 : 0));
  }

  mode(e: VfsEntry): number {
    return (e.type === 'dir' ? S_IFDIR : S_IFREG) | e.perm;
  }

  remove(path: string, recursive = false): boolean {
    const p = Vfs.norm(path);
    const e = this.entries.get(p);
    if (!e || p === '/') return false;
    if (e.type === 'dir') {
      const kids = this.list(p);
      if (kids.length && !recursive) throw new Error(`${p}: Directory not empty`);
      for (const k of [...this.entries.keys()]) if (k.startsWith(`${p}/`)) this.entries.delete(k);
    }
    this.entries.delete(p);
    return true;
  }

  /** Direct children of a directory, sorted by name. */
  list(path: string): Array<{ name: string; entry: VfsEntry }> {
    const p = Vfs.norm(path);
    const prefix = p === '/' ? '/' : `${p}/`;
    const out: Array<{ name: string; entry: VfsEntry }> = [];
    for (const [k, e] of this.entries) {
      if (k === p || !k.startsWith(prefix)) continue;
      const rest = k.slice(prefix.length);
      if (!rest.includes('/')) out.push({ name: rest, entry: e });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /**
   * Expand a shell pattern (`*`, `?`, `[…]` / `[!…]` within path segments; `\\x` is a literal x, as the
   * shell marks quoted characters). Names starting with `.` match only a literal `.`.
   * Returns matches sorted, or [] when none.
   */
  glob(pattern: string): string[] {
    const segs = Vfs.norm(pattern).split('/').filter(Boolean);
    let paths = ['/'];
    for (const seg of segs) {
      const next: string[] = [];
      const re = segmentRegExp(seg);
      for (const base of paths) {
        if (typeof re === 'string') {
          const p = base === '/' ? `/${re}` : `${base}/${re}`;
          if (this.entries.has(p)) next.push(p);
        } else {
          for (const { name } of this.list(base)) if (re.test(name)) next.push(base === '/' ? `/${name}` : `${base}/${name}`);
        }
      }
      paths = next;
    }
    return paths.sort();
  }
}

/** One path segment of a pattern: a RegExp when it has an unescaped wildcard, else the literal name. */
function segmentRegExp(seg: string): RegExp | string {
  let re = '';
  let lit = '';
  let wild = false;
  const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '\\' && i + 1 < seg.length) {
      const n = seg[++i]!;
      re += esc(n);
      lit += n;
    } else if (c === '*') {
      re += '[^/]*';
      wild = true;
    } else if (c === '?') {
      re += '[^/]';
      wild = true;
    } else if (c === '[' && seg.indexOf(']', i + 2) > i) {
      const end = seg.indexOf(']', i + 2);
      let body = seg.slice(i + 1, end);
      const neg = body.startsWith('!') || body.startsWith('^');
      if (neg) body = body.slice(1);
      re += `[${neg ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
      wild = true;
    } else {
      re += esc(c);
      lit += c;
    }
  }
  if (!wild) return lit;
  return new RegExp(`^${seg.startsWith('.') || seg.startsWith('\\.') ? '' : '(?!\\.)'}${re}$`, 's');
}
