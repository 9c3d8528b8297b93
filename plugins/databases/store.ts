import { errors, type Knex, type PluginDatabase } from '../../sdk/index.js';

/** One row of `databases_databases`. */
export interface DatabaseRecord {
  account_id: number;
  engine: string;
  db_name: string;
  db_user: string;
  state: 'creating' | 'ready' | 'deleting';
  created_at: string;
}

const now = () => new Date().toISOString().slice(0, 19).replace('T', ' ');

/**
 * The panel's record of which account owns which database. Names are reserved under one lock
 * (`creating`) before the server is touched, so concurrent creates of one name cannot both pass.
 */
export class DatabaseRecords {
  private readonly name: string;

  constructor(private readonly db: PluginDatabase) {
    this.name = db.table('databases');
  }

  private rows(k: Knex | Knex.Transaction = this.db.knex) {
    return k<DatabaseRecord>(this.name);
  }

  /**
   * Reserve a name for an account; 409 when any account already has it, 403 when the account has
   * `planMax` (its plan's `max_databases`) already, counting those being created.
   */
  async reserve(row: Omit<DatabaseRecord, 'state' | 'created_at'>, planMax: number | null = null): Promise<void> {
    await this.db.withLock('names', async (trx) => {
      if (planMax !== null) {
        const [own] = await this.rows(trx)
          .where({ account_id: row.account_id })
          .whereIn('state', ['creating', 'ready'])
          .count<{ n: number | string }[]>({ n: '*' });
        const n = Number(own?.n ?? 0);
        if (n >= planMax)
          throw errors.limitReached(
            `Plan database limit reached (${n}/${planMax}). Upgrade the account's plan for more.`,
          );
      }
      if (await this.rows(trx).where({ db_name: row.db_name }).first())
        throw errors.conflict(`Database ${row.db_name} already exists`);
      await this.rows(trx).insert({ ...row, state: 'creating', created_at: now() });
    });
  }

  /**
   * Mark an account's database `deleting` and return it. `name` is the full name or the part
   * after the `<username>_` prefix. 404 when the account has no such database, 409 while it is
   * being created or deleted.
   */
  async claimForDelete(accountId: number, names: string[]): Promise<DatabaseRecord> {
    return this.db.withLock('names', async (trx) => {
      const found = await this.rows(trx)
        .where({ account_id: accountId })
        .whereIn('db_name', names)
        .orderBy('db_name', 'asc');
      const row = found.find((r) => r.db_name === names[0]) ?? found[0];
      if (!row) throw errors.notFound(`Database ${names[0]} not found on account ${accountId}`);
      if (row.state !== 'ready')
        throw errors.conflict(`Database ${row.db_name} is being ${row.state === 'creating' ? 'created' : 'deleted'}`);
      await this.rows(trx).where({ db_name: row.db_name }).update({ state: 'deleting' });
      return { ...row, state: 'deleting' };
    });
  }

  async setState(dbName: string, state: DatabaseRecord['state']): Promise<void> {
    await this.rows().where({ db_name: dbName }).update({ state });
  }

  async remove(dbName: string): Promise<void> {
    await this.rows().where({ db_name: dbName }).delete();
  }

  async forAccount(accountId: number, states: DatabaseRecord['state'][] = ['ready']): Promise<DatabaseRecord[]> {
    return this.ofAccount(accountId, states).orderBy('db_name', 'asc');
  }

  /** An account's rows in these states, unordered: the base of its list and its pages. */
  ofAccount(accountId: number, states: DatabaseRecord['state'][] = ['ready']) {
    return this.rows().where({ account_id: accountId }).whereIn('state', states);
  }

  /** Rows a crash left half-made or half-deleted. */
  async unfinished(): Promise<DatabaseRecord[]> {
    return this.rows().whereIn('state', ['creating', 'deleting']);
  }

  async count(): Promise<number> {
    const [row] = await this.rows().count<{ n: number | string }[]>({ n: '*' });
    return Number(row?.n ?? 0);
  }
}
