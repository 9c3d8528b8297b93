import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Leases } from '../../sdk/leases.js';
import type { Logger } from '../../sdk/logger.js';
import { isUniqueViolation } from '../auth/rows.js';

export const LEASE_TABLE = 'core_leases';
/** The lease whose holder runs every schedule of every plugin (one node at a time). */
export const SCHEDULER_LEASE = 'core:scheduler';
/** Each node holds `node:<id>` while it lives, so others can tell its jobs were orphaned. */
export const nodeLease = (nodeId: string) => `node:${nodeId}`;

/**
 * Named leases in the shared store (`core_leases`: name, holder, expires_at in epoch ms), so work
 * that must happen once across API nodes runs on one node only. A lease row works on SQLite,
 * PostgreSQL and MariaDB alike; taking one is a single conditional UPDATE (or the first INSERT),
 * so two nodes never both succeed. Held leases are renewed every third of the TTL; a node that
 * dies stops renewing and another takes over once the lease has expired. Expiry compares the
 * nodes' clocks, which must agree to well within the TTL (NTP).
 */
export class LeaseService implements Leases {
  /** This process's identity in lease rows and job rows. */
  readonly nodeId = `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly held = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private halted = false;

  constructor(
    private readonly knex: Knex,
    private readonly logger: Logger,
    readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Start renewing: the node's presence lease is taken at once and kept. */
  async start(): Promise<void> {
    await this.acquire(nodeLease(this.nodeId));
    this.timer = setInterval(() => void this.renewAll(), Math.max(100, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  holds(name: string): boolean {
    const until = this.held.get(name);
    return until !== undefined && until > this.clock();
  }

  async acquire(name: string): Promise<boolean> {
    if (this.halted) return false;
    const now = this.clock();
    const expires = now + this.ttlMs;
    const n = await this.knex(LEASE_TABLE)
      .where({ name })
      .andWhere((q) => q.where({ holder: this.nodeId }).orWhere('expires_at', '<', now))
      .update({ holder: this.nodeId, expires_at: expires });
    let got = Number(n) > 0;
    if (!got) {
      try {
        await this.knex(LEASE_TABLE).insert({ name, holder: this.nodeId, expires_at: expires });
        got = true;
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    }
    if (got) this.held.set(name, expires);
    else this.held.delete(name);
    return got;
  }

  async release(name: string): Promise<void> {
    this.held.delete(name);
    await this.knex(LEASE_TABLE).where({ name, holder: this.nodeId }).delete();
  }

  /** Node ids whose presence lease has not expired (this one included). */
  async liveNodes(): Promise<string[]> {
    const rows = await this.knex(LEASE_TABLE)
      .where('name', 'like', 'node:%')
      .andWhere('expires_at', '>=', this.clock())
      .select('holder');
    return rows.map((r: { holder: string }) => r.holder);
  }

  private async renewAll(): Promise<void> {
    for (const name of [...this.held.keys()]) {
      // A failed renewal (store unreachable, or taken over after a long pause) drops the lease here too.
      if (!(await this.acquire(name).catch(() => false)))
        this.logger.warn('lease lost', { lease: name, node: this.nodeId });
    }
  }

  /**
   * Stop renewing without releasing, as a killed process would: the leases stay in the store
   * until they expire. For tests of take-over; {@link stop} is the graceful way.
   */
  halt(): void {
    this.halted = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.held.clear();
  }

  /** Graceful stop: release every lease so another node takes over at once. */
  async stop(): Promise<void> {
    const names = [...this.held.keys()];
    this.halt();
    for (const name of names)
      await this.knex(LEASE_TABLE)
        .where({ name, holder: this.nodeId })
        .delete()
        .catch(() => undefined);
  }
}
