import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import type { Logger } from '../../sdk/logger.js';
import type { ChangeFeed, ChangeTopic } from './change-feed.js';

const TABLE = 'core_changes';
const POLL_MS = 1000;
/** Rows older than this are deleted: every live node has read them long since. */
const KEEP_MS = 5 * 60_000;

/**
 * The change feed on a store without notifications (MariaDB): a change is a row in
 * `core_changes`, and every node reads the rows after the last one it saw once a second. A
 * row whose insert commits after a later id was read is missed; the credential cache's
 * periodic re-check against the store still ends a revoked credential then.
 */
export class PollingChangeFeed implements ChangeFeed {
  readonly live = true;
  private readonly events = new EventEmitter();
  private last = 0;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private failing = false;

  constructor(
    private readonly knex: Knex,
    private readonly nodeId: string,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
  ) {
    this.events.setMaxListeners(0);
  }

  async publish(topic: ChangeTopic, payload: Record<string, unknown>): Promise<void> {
    const at = this.clock();
    await this.knex(TABLE).insert({ node: this.nodeId, topic, payload: JSON.stringify(payload), at });
    await this.knex(TABLE)
      .where('at', '<', at - KEEP_MS)
      .delete();
  }

  on(topic: ChangeTopic, handler: (payload: Record<string, any>) => void): void {
    this.events.on(topic, handler);
  }

  off(topic: ChangeTopic, handler: (payload: Record<string, any>) => void): void {
    this.events.off(topic, handler);
  }

  async start(): Promise<void> {
    const row = await this.knex(TABLE).max({ id: 'id' }).first();
    this.last = Number(row?.id ?? 0);
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  /** Read and deliver the rows other nodes added since the last poll. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const rows = await this.knex(TABLE).where('id', '>', this.last).orderBy('id').limit(500);
      if (this.failing) {
        this.failing = false;
        this.events.emit('resync', {});
      }
      for (const r of rows) {
        this.last = Math.max(this.last, Number(r.id));
        if (r.node !== this.nodeId) this.deliver(r.topic, r.payload);
      }
    } catch (e) {
      if (!this.failing) this.logger.warn('change feed: reading changes failed', { error: (e as Error).message });
      this.failing = true;
    } finally {
      this.polling = false;
    }
  }

  private deliver(topic: ChangeTopic, raw: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(raw);
    } catch {
      return;
    }
    if (topic === 'resync' || typeof payload !== 'object' || !payload) return;
    try {
      this.events.emit(topic, payload);
    } catch (e) {
      this.logger.error('change feed handler failed', { topic, error: (e as Error).message });
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
