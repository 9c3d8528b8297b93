/**
 * Runs work one at a time per key, in arrival order, inside this process: work on one key waits
 * for the work queued before it on that key (even when that work failed); other keys run alongside.
 * The SSL plugin keys it by domain, the account operation lock by account.
 *
 * @example
 * ```ts
 * const lock = new KeyedLock();
 * await lock.run(`domain:${name}`, () => provision(name)); // never interleaves with another run on that domain
 * ```
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Run `work` once everything queued before it on `key` has settled; its result or error is returned. */
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
