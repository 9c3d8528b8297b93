import type { Knex } from 'knex';
import type { Logger } from '../../sdk/logger.js';
import type { AuditEntry, AuditSink } from '../http/types.js';
import { pageOf, type ListPage } from '../lists/list-page.js';
import type { ListParams, ListSpec } from '../lists/list-query.js';

const MAX_PENDING = 10_000;
const CHUNK = 200;
const LIMITS: Partial<Record<keyof AuditEntry, number>> = { username: 64, role: 16, method: 10, route: 255, path: 1024, target: 255, ip: 64, request_id: 64, plugin: 60 };

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
  for (const [key, max] of Object.entries(LIMITS)) if (typeof row[key] === 'string') row[key] = (row[key] as string).slice(0, max);
  return row;
}

/**
 * The audit log of every mutating request. `record` is called on the request path, so it only
 * queues; entries are written in batches right after, in order. Reads wait for pending writes.
 */
export class AuditLog implements AuditSink {
  private pending: AuditEntry[] = [];
  private chain: Promise<void> = Promise.resolve();
  private scheduled = false;
  private dropped = 0;

  constructor(private readonly knex: Knex, private readonly table: string, private readonly logger: Logger) {}

  record(entry: AuditEntry): void {
    if (this.pending.length >= MAX_PENDING) {
      this.pending.shift();
      this.dropped++;
    }
    this.pending.push(entry);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** Write everything queued so far. Never throws: a store failure is logged with what was lost. */
  flush(): Promise<void> {
    this.chain = this.chain.then(async () => {
      const batch = this.pending.splice(0, this.pending.length);
      if (this.dropped) {
        this.logger.error('audit: queue overflowed, entries lost', { lost: this.dropped });
        this.dropped = 0;
      }
      try {
        for (let i = 0; i < batch.length; i += CHUNK) await this.knex(this.table).insert(batch.slice(i, i + CHUNK).map(fit));
      } catch (e) {
        this.logger.error('audit: could not store entries', { error: (e as Error).message, lost: batch.length });
      }
    });
    return this.chain;
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
    return this.knex(this.table).where('time', '<', new Date(Date.now() - days * 86_400_000).toISOString()).delete();
  }
}
