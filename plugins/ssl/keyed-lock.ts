/**
 * Runs work one at a time per key (a domain), in arrival order, inside this process. Provision,
 * renewal, upload and removal of one domain's certificate never interleave, so concurrent
 * auto-renew calls see each other's results instead of ordering twice.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

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
