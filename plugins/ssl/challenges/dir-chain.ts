import { closeSync, constants, fchownSync, mkdirSync, openSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { errors } from '../../../sdk/index.js';

const DIR = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Owner given to what the chain creates (the account's uid/gid in linux mode). */
export type Owner = { uid: number; gid: number } | null;

function at(fd: number, name: string): string {
  return `/proc/self/fd/${fd}/${name}`;
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

/**
 * A directory reached from a trusted base one component at a time, each opened with
 * `O_NOFOLLOW | O_DIRECTORY` through the previous one's descriptor (an `openat` in effect), so a
 * link a tenant planted anywhere below the base is refused instead of followed, and a directory
 * swapped for a link between steps cannot redirect the write. Missing directories are created
 * (0755, owned by `owner`) and remembered so {@link DirChain.removeCreated} can take them away.
 */
export class DirChain {
  private readonly fds: number[] = [];
  private readonly created: number[] = [];

  constructor(
    base: string,
    private readonly parts: string[],
    owner: Owner,
  ) {
    try {
      this.fds.push(openSync(base, constants.O_RDONLY | constants.O_DIRECTORY));
      parts.forEach((name, i) => {
        const parent = this.fds[i]!;
        if (!/^[A-Za-z0-9._+@=,~-]+$/.test(name) || name === '.' || name === '..')
          throw errors.validation(`invalid path component ${JSON.stringify(name)}`);
        try {
          mkdirSync(at(parent, name), { mode: 0o755 });
          this.created.push(i);
        } catch (e) {
          if (code(e) !== 'EEXIST') throw e;
        }
        let fd: number;
        try {
          fd = openSync(at(parent, name), DIR);
        } catch (e) {
          if (code(e) === 'ELOOP' || code(e) === 'ENOTDIR')
            throw errors.conflict(
              `${[...parts.slice(0, i + 1)].join('/')} under ${base} is a link or not a directory: refusing to write the ACME challenge there`,
            );
          throw e;
        }
        this.fds.push(fd);
        if (owner && this.created.includes(i)) fchownSync(fd, owner.uid, owner.gid);
      });
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private get leaf(): number {
    return this.fds.at(-1)!;
  }

  /** Create a new file in the last directory (an existing name is replaced, never written through). */
  writeFile(name: string, content: string, owner: Owner): void {
    try {
      unlinkSync(at(this.leaf, name));
    } catch (e) {
      if (code(e) !== 'ENOENT') throw e;
    }
    const fd = openSync(at(this.leaf, name), NEW_FILE, 0o644);
    try {
      writeSync(fd, content);
      if (owner) fchownSync(fd, owner.uid, owner.gid);
    } finally {
      closeSync(fd);
    }
  }

  removeFile(name: string): void {
    try {
      unlinkSync(at(this.leaf, name));
    } catch (e) {
      if (code(e) !== 'ENOENT') throw e;
    }
  }

  /** Remove the directories this chain created, deepest first, as long as they are empty. */
  removeCreated(): void {
    for (const i of [...this.created].reverse()) {
      try {
        rmdirSync(at(this.fds[i]!, this.parts[i]!));
      } catch {
        return;
      }
    }
  }

  close(): void {
    for (const fd of this.fds.splice(0).reverse()) closeSync(fd);
  }
}
