import fs from 'node:fs';
import { promisify } from 'node:util';
import { ArchiveError } from './tar-decode.js';

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = fs.constants;
/** Flags of every directory step: a symlink in place of a directory fails instead of being followed. */
export const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW;
export const openFd = promisify(fs.open) as (p: string, flags: number, mode?: number) => Promise<number>;
export const closeFd = (fd: number) => new Promise<void>((r) => fs.close(fd, () => r()));

/** An open directory of the staging tree; writes in flight hold it open. */
export interface DirRef {
  rel: string;
  fd: number;
  /** Kernel path of a name inside (an `openat` in effect: resolved from the fd, not a path). */
  at(name: string): string;
  hold(): void;
  release(): void;
}

/**
 * The open directories along the current path of an extraction. Archive entries come depth
 * first, so the next entry's parent is reached from the deepest open directory, one
 * `O_NOFOLLOW | O_DIRECTORY` open per step. A directory left behind is closed once the last
 * background write holding it is done.
 */
export class StagingDirs {
  private readonly stack: (DirRef & { users: number; closing: boolean })[] = [];

  constructor(private readonly root: string) {}

  private make(rel: string, fd: number) {
    const ref = {
      rel,
      fd,
      users: 0,
      closing: false,
      at: (name: string) => `/proc/self/fd/${fd}/${name}`,
      hold: () => void ref.users++,
      release: () => {
        if (--ref.users === 0 && ref.closing) void closeFd(fd);
      },
    };
    return ref;
  }

  private async pop(): Promise<void> {
    const ref = this.stack.pop()!;
    ref.closing = true;
    if (ref.users === 0) await closeFd(ref.fd);
  }

  /** The open directory `rel` (`''`: the staging root). */
  async dir(rel: string): Promise<DirRef> {
    if (this.stack.length === 0) this.stack.push(this.make('', await openFd(this.root, DIR_FLAGS)));
    while (this.stack.length > 1 && !(rel === this.stack.at(-1)!.rel || rel.startsWith(this.stack.at(-1)!.rel + '/')))
      await this.pop();
    for (const name of rel.slice(this.stack.at(-1)!.rel.length).split('/').filter(Boolean)) {
      const cur = this.stack.at(-1)!;
      const next = cur.rel ? `${cur.rel}/${name}` : name;
      try {
        this.stack.push(this.make(next, await openFd(cur.at(name), DIR_FLAGS)));
      } catch (e) {
        throw new ArchiveError(
          `home/${next} is not a directory created earlier in the archive (${(e as NodeJS.ErrnoException).code})`,
        );
      }
    }
    return this.stack.at(-1)!;
  }

  async closeAll(): Promise<void> {
    while (this.stack.length) await this.pop();
  }
}
