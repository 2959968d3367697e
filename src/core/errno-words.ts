/** What a file-system error code means, in words a user reads (never a bare `EPERM`). */
const WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  ENOENT: 'it does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'it already exists',
  EBUSY: 'it is busy (in use by another process)',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links in the path',
  EIO: 'an input/output error of the device',
  EXDEV: 'it is on another file system',
};

export function errnoWords(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return (err?.code && WORDS[err.code]) ?? (err?.message ? err.message.replace(/^[A-Z]+: /, '') : String(e));
}
