import { errors, type DomainInfo, type Knex, type PluginDatabase } from '../../sdk/index.js';
import { parentNames } from './ownership.js';

/** A domain row as stored (the same shape other plugins and the API see). */
export type DomainRow = DomainInfo;

/** `2026-02-28 15:44:05` in UTC, the contract's timestamp format. */
export function now(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}

/** Table access of the domains plugin. */
export class DomainStore {
  readonly table: string;
  /** Each name a domain sits under, one row per (domain, suffix): kept with the domain rows. */
  readonly suffixes: string;

  constructor(private readonly db: PluginDatabase) {
    this.table = db.table('domains');
    this.suffixes = db.table('suffixes');
  }

  q(trx?: Knex.Transaction) {
    return (trx ?? this.db.knex)<DomainRow>(this.table);
  }

  async get(id: number): Promise<DomainRow | null> {
    return (await this.q().where({ id }).first()) ?? null;
  }

  async byName(name: string): Promise<DomainRow | null> {
    return (await this.q().where({ domain_name: name }).first()) ?? null;
  }

  async forAccount(accountId: number): Promise<DomainRow[]> {
    return this.q().where({ account_id: accountId }).orderBy('id');
  }

  async forAccounts(accountIds: number[]): Promise<DomainRow[]> {
    if (accountIds.length === 0) return [];
    return this.q().whereIn('account_id', accountIds).orderBy('id');
  }

  /** Which of these names are domain rows (queried in chunks, so any number of names works). */
  async existingNames(names: string[]): Promise<string[]> {
    const found: string[] = [];
    for (let i = 0; i < names.length; i += 500) {
      const rows = await this.q()
        .whereIn('domain_name', names.slice(i, i + 500))
        .select('domain_name');
      found.push(...rows.map((r) => r.domain_name));
    }
    return found;
  }

  async all(): Promise<DomainRow[]> {
    return this.q().orderBy('id');
  }

  async count(): Promise<number> {
    return Number((await this.q().count({ n: '*' }).first())?.n ?? 0);
  }

  async delete(ids: number[]): Promise<void> {
    if (!ids.length) return;
    await this.db.knex.transaction(async (trx) => {
      await trx(this.suffixes).whereIn('domain_id', ids).delete();
      await this.q(trx).whereIn('id', ids).delete();
    });
  }

  /**
   * Rows with a name under `name` (at any depth), oldest first, through the indexed suffix
   * table: `x.name`, `y.x.name`, … but not `name` itself.
   */
  under(name: string, trx?: Knex.Transaction) {
    return this.q(trx)
      .whereIn('id', (trx ?? this.db.knex)(this.suffixes).where({ suffix: name }).select('domain_id'))
      .orderBy('id');
  }

  /**
   * Insert under the domain-limit lock: count, check the name is free, insert — so concurrent
   * creates can neither pass the licence limit nor add one name twice. `guard` runs in the same
   * transaction before the insert (the ownership rule). `planMax` is the account plan's
   * `max_domains` (its primary counts), checked beside the licence and reseller limits.
   */
  async insertWithinLimit(
    row: Omit<DomainRow, 'id'>,
    limit: number | null,
    reseller?: { cap: number; accountIds: number[] },
    guard?: (trx: Knex.Transaction) => Promise<void>,
    planMax: number | null = null,
  ): Promise<DomainRow> {
    return this.db.withLock('domain-limit', async (trx) => {
      // Counting every row costs O(domains): only done when there is a limit to hold.
      const n = limit === null ? 0 : Number((await this.q(trx).count({ n: '*' }).first())?.n ?? 0);
      if (limit !== null && n >= limit)
        throw errors.limitReached(`Domain limit reached (${n}/${limit}). Upgrade your license for more.`);
      if (reseller) {
        const owned = Number(
          (await this.q(trx).whereIn('account_id', reseller.accountIds).count({ n: '*' }).first())?.n ?? 0,
        );
        if (owned >= reseller.cap)
          throw errors.limitReached(`Reseller domain limit reached (${owned}/${reseller.cap}).`);
      }
      if (planMax !== null) {
        const own = Number((await this.q(trx).where({ account_id: row.account_id }).count({ n: '*' }).first())?.n ?? 0);
        if (own >= planMax)
          throw errors.limitReached(
            `Plan domain limit reached (${own}/${planMax}). Upgrade the account's plan for more.`,
          );
      }
      if (await this.q(trx).where({ domain_name: row.domain_name }).first())
        throw errors.conflict(`Domain ${row.domain_name} already exists on this server`);
      await guard?.(trx);
      const [inserted] = await this.q(trx).insert(row as DomainRow, ['id']);
      const id = typeof inserted === 'object' ? (inserted as { id: number }).id : Number(inserted);
      const suffixes = parentNames(row.domain_name).map((suffix) => ({ domain_id: id, suffix }));
      if (suffixes.length) await trx(this.suffixes).insert(suffixes);
      return { ...row, id };
    });
  }
}
