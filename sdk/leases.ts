/**
 * Cluster-wide leases: when several panel nodes share one store, a lease names work that must
 * happen on one node at a time. Scheduled tasks already run only on the node holding the
 * scheduler lease; use this for other once-only work (a long-lived watcher, a queue consumer).
 *
 * @example
 * ```ts
 * if (await ctx.leases.acquire('mail-queue')) await drainQueue();
 * ```
 */
export interface Leases {
  /**
   * Take the named lease, or renew it when this node holds it already. Resolves `false` while
   * another live node holds it. A held lease is renewed in the background until released, and
   * is taken over by another node once it expires after this node died.
   */
  acquire(name: string): Promise<boolean>;
  /** Whether this node holds the named lease now (no store round-trip). */
  holds(name: string): boolean;
  /** Give the lease up at once so another node may take it. */
  release(name: string): Promise<void>;
}
