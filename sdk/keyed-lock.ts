/**
 * Runs work one at a time per key, in arrival order, inside this process: work on one key waits
 * for the work queued before it on that key (even when that work failed); other keys run alongside.
 * The SSL plugin keys it by domain, the account operation lock and the files quota lock by account,
 * the kernel's jobs by their serial key.
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

/**
 * One queue: work runs one at a time, in arrival order, each after the one before has settled
 * (a {@link KeyedLock} with a single key). For a component whose every change must not interleave.
 *
 * @example
 * ```ts
 * private readonly queue = new SerialQueue();
 * write(file: string, text: string) { return this.queue.run(() => compareAndWrite(file, text)); }
 * ```
 */
export class SerialQueue {
  private readonly lock = new KeyedLock();

  /** Run `work` once everything queued before it has settled; its result or error is returned. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.lock.run('', work);
  }
}
