import fs from 'node:fs';
import { promisify } from 'node:util';
import { errors, isPanelError, PanelError } from '../../../sdk/errors.js';

/** Linux `O_PATH` (not exported by Node): an fd naming an inode without opening its content. */
export const O_PATH = 0o10000000;
export const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
/** Flags of every directory step: a symlink in place of a directory fails instead of being followed. */
export const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW;

export const openFd = promisify(fs.open) as (path: string, flags: number, mode?: number) => Promise<number>;
export const fstatFd = promisify(fs.fstat) as (fd: number) => Promise<fs.Stats>;
export const fchmodFd = promisify(fs.fchmod);
export const readFd = (
  fd: number,
  buf: Buffer,
  offset: number,
  length: number,
  position: number | null,
): Promise<number> =>
  new Promise((resolve, reject) => fs.read(fd, buf, offset, length, position, (e, n) => (e ? reject(e) : resolve(n))));
export const closeFd = (fd: number): Promise<void> => new Promise((resolve) => fs.close(fd, () => resolve()));

/**
 * An open directory inside a home. Every name below it is reached as `/proc/self/fd/<fd>/<name>`:
 * the kernel resolves the fd to the directory it was opened on, so a path component swapped for a
 * symlink after the open can never redirect the operation (an `openat` in effect).
 */
export class Dir {
  constructor(
    readonly fd: number,
    readonly rel: string,
  ) {}

  /** Kernel path of the directory itself. */
  get path(): string {
    return `/proc/self/fd/${this.fd}`;
  }

  /** Kernel path of a name inside the directory (the name is never followed by the callers' flags). */
  at(name: string): string {
    return `/proc/self/fd/${this.fd}/${name}`;
  }

  /** Home-relative text of a name inside, for messages. */
  relOf(name: string): string {
    return this.rel === '/' ? `/${name}` : `${this.rel}/${name}`;
  }

  close(): Promise<void> {
    return closeFd(this.fd);
  }
}

/** Run `fn` with an open directory and always close it. */
export async function using<T>(dir: Dir, fn: (dir: Dir) => Promise<T>): Promise<T> {
  try {
    return await fn(dir);
  } finally {
    await dir.close();
  }
}

/** Turn a system error on `rel` into a client error naming the path; unknown errors stay 500s. */
export function fsError(e: unknown, rel: string): Error {
  if (isPanelError(e)) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return errors.notFound(`'${rel}' does not exist`);
    case 'EEXIST':
      return errors.conflict(`'${rel}' already exists`);
    case 'ENOTDIR':
      return errors.conflict(`'${rel}' is not a directory`);
    case 'EISDIR':
      return errors.conflict(`'${rel}' is a directory`);
    case 'ELOOP':
      return errors.forbidden(`'${rel}' is a symbolic link; the file manager never follows links`);
    case 'EACCES':
    case 'EPERM':
      return errors.forbidden(`Permission denied on '${rel}'`);
    case 'ENOTEMPTY':
      return errors.conflict(`'${rel}' is not empty`);
    case 'ENAMETOOLONG':
      return errors.validation(`path: '${rel.slice(0, 60)}…' is too long`);
    case 'EINVAL':
      return errors.validation(`path: invalid operation on '${rel}' (a folder cannot be moved into itself)`);
    case 'EXDEV':
      return errors.conflict(`'${rel}' is on another filesystem`);
    case 'ENOSPC':
    case 'EDQUOT':
      return errors.noSpace(`No space left on the device holding '${rel}' (disk or quota full)`);
    case 'ETXTBSY':
    case 'EBUSY':
      return errors.conflict(`'${rel}' is busy`);
    default:
      return e instanceof Error ? e : new Error(String(e));
  }
}

/** 413 with a message of its own (the catalogue's constructor speaks of request bodies). */
export function tooLarge(message: string): PanelError {
  return new PanelError('PAYLOAD_TOO_LARGE', message);
}

/** Kind of an inode for listings and messages. */
export function kindOf(st: fs.Stats): 'file' | 'directory' | 'symlink' | 'other' {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  return 'other';
}

/** Random suffix for temp and staging names (never user-controlled). */
export function tempName(prefix: string): string {
  return `.vp-${prefix}-${process.pid.toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}
