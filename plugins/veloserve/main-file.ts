import { closeSync, openSync, renameSync, rmSync, writevSync } from 'node:fs';
import { unlink } from 'node:fs/promises';

/** A new file (0644) holding `parts` in order: one write of the buffers as they are, no joined copy. */
export function writeParts(file: string, parts: Buffer[]): void {
  const fd = openSync(file, 'w', 0o644);
  try {
    let left = parts.filter((p) => p.length > 0);
    while (left.length > 0) {
      let n = writevSync(fd, left);
      // A short write: drop what was written and go on with the rest.
      while (left.length > 0 && n >= left[0]!.length) n -= left.shift()!.length;
      if (left.length > 0 && n > 0) left[0] = left[0]!.subarray(n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The main file as it was before a change, kept (as `.vp-old`) for a rollback until the change is
 * live. Freeing a file of thousands of hosts costs more than writing the change, and nobody waits
 * for it: it is renamed out of the way at once (a crash then finds no `.vp-old` to restore, and
 * {@link prepare} removes what is left) and unlinked in the background, done before the next change.
 */
export class PreviousFile {
  private pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly configPath: string) {}

  private get gone(): string {
    return `${this.configPath}.vp-gone`;
  }

  /** At start: a removal a crash interrupted. */
  prepare(): void {
    rmSync(this.gone, { force: true });
  }

  /** Resolves once the last {@link discard} has removed its file. */
  discarded(): Promise<unknown> {
    return this.pending;
  }

  /** Remove `old` (the kept previous file) without waiting for it. */
  discard(old: string): void {
    try {
      renameSync(old, this.gone);
    } catch {
      rmSync(old, { force: true });
      return;
    }
    this.pending = unlink(this.gone).catch(() => undefined);
  }
}
