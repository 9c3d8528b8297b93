/**
 * Runs work one at a time per key (a domain, a zone), in arrival order, inside this process.
 * Work on one key never interleaves, so a second caller sees the first one's result; a failure
 * does not block the next in line.
 *
 * @example
 * ```ts
 * const lock = new KeyedLock();
 * await lock.run('example.com', () => renew('example.com'));
 * ```
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Run `work` after everything queued earlier on `key` has settled. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(work);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
