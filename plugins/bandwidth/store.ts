import type { Knex, PluginDatabase } from '../../sdk/index.js';
import type { LogPosition } from './log-reader.js';

/** A stored position with the log's account and domain (kept for a log that vanished since). */
export interface StoredPosition extends LogPosition {
  path: string;
  account_id: number;
  domain: string;
}

/** `2026-02-28 15:44:05` in UTC, the panel's timestamp format. */
export function stamp(d = new Date()): string {
  return d.toISOString().replace('T', ' ').slice(0, 19);
}

/** Thrown inside a save when another run moved the position first: its bytes are already counted. */
export class StalePosition extends Error {}

/** Positions, usage and actions of the bandwidth plugin. */
export class BandwidthStore {
  constructor(private readonly db: PluginDatabase) {}

  private t(name: string, trx?: Knex.Transaction) {
    return (trx ?? this.db.knex)(this.db.table(name));
  }

  async positions(): Promise<Map<string, StoredPosition>> {
    const rows = await this.t('positions').select('path', 'account_id', 'domain', 'inode', 'offset');
    return new Map(
      rows.map((r) => [
        r.path,
        { path: r.path, account_id: r.account_id, domain: r.domain, inode: r.inode, offset: Number(r.offset) },
      ]),
    );
  }

  /**
   * Store the new position of one log and add its bytes, in one transaction: a crash before the
   * commit keeps neither (the next run reads the same lines again), after it both. The position
   * must still be the one the read started from, or nothing is saved ({@link StalePosition}).
   */
  async save(
    log: { path: string; account_id: number; domain: string },
    from: LogPosition | null,
    next: LogPosition | null,
    bytes: Map<string, number>,
    beforeCommit?: () => void,
  ): Promise<void> {
    await this.db.withLock('bandwidth.collect', async (trx) => {
      const row = await this.t('positions', trx).where({ path: log.path }).first();
      const current = row ? { inode: row.inode as string, offset: Number(row.offset) } : null;
      if (current?.inode !== from?.inode || current?.offset !== from?.offset) throw new StalePosition(log.path);
      if (!next) await this.t('positions', trx).where({ path: log.path }).delete();
      else if (row)
        await this.t('positions', trx)
          .where({ path: log.path })
          .update({ inode: next.inode, offset: next.offset, updated_at: stamp() });
      else
        await this.t('positions', trx).insert({ ...log, inode: next.inode, offset: next.offset, updated_at: stamp() });
      beforeCommit?.();
      for (const [period, n] of bytes) await this.addUsage(trx, log.account_id, period, n);
    });
  }

  private async addUsage(trx: Knex.Transaction, accountId: number, period: string, n: number): Promise<void> {
    if (n <= 0) return;
    const updated = await this.t('usage', trx)
      .where({ account_id: accountId, period })
      .update({ bytes: trx.raw('?? + ?', ['bytes', n]) });
    if (!updated) await this.t('usage', trx).insert({ account_id: accountId, period, bytes: n });
  }

  /** Bytes per account in one period (all accounts, or those of `ids`). */
  async usage(period: string, ids?: number[]): Promise<Map<number, number>> {
    const q = this.t('usage').where({ period }).select('account_id', 'bytes');
    if (ids) q.whereIn('account_id', ids);
    return new Map((await q).map((r) => [r.account_id as number, Number(r.bytes)]));
  }

  /** Forget an account (deleted): its usage and actions. */
  async forget(accountId: number): Promise<void> {
    await this.t('usage').where({ account_id: accountId }).delete();
    await this.t('actions').where({ account_id: accountId }).delete();
  }

  actions(trx?: Knex.Transaction) {
    return this.t('actions', trx);
  }
}
