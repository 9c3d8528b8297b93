import type { Knex } from 'knex';
import type { Logger } from '../../sdk/logger.js';
import { SerialQueue } from '../../sdk/keyed-lock.js';
import type { AuditEntry, AuditSink } from '../http/types.js';
import { pageOf, type ListPage } from '../lists/list-page.js';
import type { ListParams, ListSpec } from '../lists/list-query.js';

const MAX_PENDING = 10_000;
const CHUNK = 200;
/** Waits between retries of a store that refused a batch (a full disk, a restarting server). */
const RETRY_MS = [1_000, 5_000, 30_000, 60_000];
const LIMITS: Partial<Record<keyof AuditEntry, number>> = {
  username: 64,
  role: 16,
  method: 10,
  route: 255,
  path: 1024,
  target: 255,
  ip: 64,
  request_id: 64,
  plugin: 60,
  impersonator: 64,
};

/** A stored audit record. */
export interface AuditRecord extends AuditEntry {
  id: number;
}

/** Filters of an audit query; `resellerId` confines a reseller to its own side. */
export interface AuditQuery {
  limit: number;
  beforeId?: number;
  userId?: number;
  resellerId?: number;
  ok?: boolean;
}

function toRecord(r: any): AuditRecord {
  return { ...r, id: Number(r.id), ok: !!r.ok, status: Number(r.status) };
}

function fit(entry: AuditEntry): Record<string, unknown> {
  const row: Record<string, unknown> = { ...entry };
  for (const [key, max] of Object.entries(LIMITS))
    if (typeof row[key] === 'string') row[key] = (row[key] as string).slice(0, max);
  return row;
}

/**
 * The audit log of every mutating request. `record` is called on the request path, so it only
 * queues; entries are written in batches right after, in order. Reads wait for pending writes.
 * A batch the store refuses stays queued (oldest first) and is retried, ever more slowly, until
 * the store takes it; only entries pushed out of a full queue are lost, and that is logged.
 */
export class AuditLog implements AuditSink {
  private pending: AuditEntry[] = [];
  private readonly queue = new SerialQueue();
  private scheduled = false;
  private dropped = 0;
  private failures = 0;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly knex: Knex,
    private readonly table: string,
    private readonly logger: Logger,
  ) {}

  record(entry: AuditEntry): void {
    this.pending.push(entry);
    this.bound();
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** Keep the queue bounded: the oldest entries go first, counted as lost. */
  private bound(): void {
    const over = this.pending.length - MAX_PENDING;
    if (over <= 0) return;
    this.pending.splice(0, over);
    this.dropped += over;
  }

  /** Write everything queued so far. Never throws: what the store refuses stays queued for a retry. */
  flush(): Promise<void> {
    return this.queue.run(async () => {
      const batch = this.pending.splice(0, this.pending.length);
      if (this.dropped) {
        this.logger.error('audit: queue overflowed while the store refused writes, entries lost', {
          lost: this.dropped,
        });
        this.dropped = 0;
      }
      let stored = 0;
      try {
        for (; stored < batch.length; stored += CHUNK)
          await this.knex(this.table).insert(batch.slice(stored, stored + CHUNK).map(fit));
        this.failures = 0;
      } catch (e) {
        this.pending = [...batch.slice(stored), ...this.pending];
        this.bound();
        this.logger.error('audit: could not store entries; they are kept and retried', {
          error: (e as Error).message,
          waiting: this.pending.length,
        });
        this.retryLater();
      }
    });
  }

  private retryLater(): void {
    if (this.retry) return;
    const wait = RETRY_MS[Math.min(this.failures++, RETRY_MS.length - 1)]!;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.flush();
    }, wait);
    this.retry.unref();
  }

  /** Stop retrying (at shutdown, after a last flush); what the store still refused is logged as lost. */
  close(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    if (this.pending.length)
      this.logger.error('audit: the store refused entries until shutdown; they are lost', {
        lost: this.pending.length,
      });
  }

  async query(q: AuditQuery): Promise<AuditRecord[]> {
    await this.flush();
    const rows = await this.filtered(q).orderBy('id', 'desc').limit(q.limit);
    return rows.map(toRecord);
  }

  /** One page of the filtered log (filters, `resellerId` included, apply before counting). */
  async page(q: Omit<AuditQuery, 'limit'>, spec: ListSpec, params: ListParams): Promise<ListPage<AuditRecord>> {
    await this.flush();
    return (await pageOf(this.filtered(q), spec, params)).map(toRecord);
  }

  private filtered(q: Omit<AuditQuery, 'limit'>): Knex.QueryBuilder {
    return this.knex(this.table).modify((b) => {
      if (q.beforeId !== undefined) b.where('id', '<', q.beforeId);
      if (q.userId !== undefined) b.where({ user_id: q.userId });
      if (q.resellerId !== undefined) b.where({ reseller_id: q.resellerId });
      if (q.ok !== undefined) b.where({ ok: q.ok });
    });
  }

  /** Drop entries older than `days`. */
  async prune(days: number): Promise<number> {
    return this.knex(this.table)
      .where('time', '<', new Date(Date.now() - days * 86_400_000).toISOString())
      .delete();
  }
}
