import { randomBytes } from 'node:crypto';
import {
  errors,
  pageOf,
  type AccountDatabase,
  type AccountDirectory,
  type AccountInfo,
  type DatabaseEngine,
  type ListPage,
  type ListParams,
  type ListSpec,
  type Logger,
} from '../../sdk/index.js';
import type { EngineCatalogue } from './engines.js';
import type { DatabaseRecord, DatabaseRecords } from './store.js';

/** What `POST /api/databases` answers (exactly the contract's fields). */
export interface CreatedDatabase {
  engine: string;
  database: string;
  user: string;
  host: string;
}

/** One entry of `GET /api/databases/:account_id`; size and tables are null while the engine is unreachable. */
export interface ListedDatabase {
  database: string;
  user: string;
  engine: string;
  size: number | null;
  tables: number | null;
}

/**
 * Databases per hosting account: names prefixed `<username>_`, a record per database in the
 * plugin's table, the work done by whichever engine the record names.
 */
export class DatabaseService {
  constructor(
    private readonly records: DatabaseRecords,
    private readonly engines: EngineCatalogue,
    private readonly logger: Logger,
    private readonly directory: () => AccountDirectory,
  ) {}

  /** The account, or 404 naming it. */
  async account(id: number): Promise<AccountInfo> {
    const found = await this.directory().get(id);
    if (!found) throw errors.notFound(`Account ${id} not found`);
    return found;
  }

  async create(
    account: AccountInfo,
    input: { db_name: string; db_password: string; engine: string },
  ): Promise<CreatedDatabase> {
    const { id, engine } = this.engines.forRequest(input.engine);
    const name = `${account.username}_${input.db_name}`;
    const max = Math.min(engine.limits.database, engine.limits.user);
    if (name.length > max)
      throw errors.validation(
        `db_name: ${name} is ${name.length} characters; ${engine.name} allows at most ${max} for the database and its user`,
      );
    await this.records.reserve(
      { account_id: account.id, engine: id, db_name: name, db_user: name },
      account.plan_limits?.max_databases ?? null,
    );
    try {
      await engine.create({ database: name, user: name, password: input.db_password });
    } catch (e) {
      await this.records.remove(name);
      throw e;
    }
    await this.records.setState(name, 'ready');
    this.logger.info('database created', { account_id: account.id, engine: id, database: name });
    return { engine: id, database: name, user: name, host: engine.clientHost };
  }

  async list(accountId: number): Promise<ListedDatabase[]> {
    return this.listed(await this.records.forAccount(accountId));
  }

  /** One page of an account's databases, sorted and searched in SQL; only the page asks the engines for sizes. */
  async page(accountId: number, spec: ListSpec, params: ListParams): Promise<ListPage<ListedDatabase>> {
    const page = await pageOf<DatabaseRecord>(this.records.ofAccount(accountId), spec, params);
    return page.withItems(await this.listed(page.items));
  }

  private async listed(rows: DatabaseRecord[]): Promise<ListedDatabase[]> {
    const byEngine = new Map<string, DatabaseRecord[]>();
    for (const r of rows) byEngine.set(r.engine, [...(byEngine.get(r.engine) ?? []), r]);
    const stats = new Map<string, { size: number; tables: number }>();
    await Promise.all(
      [...byEngine].map(async ([id, list]) => {
        try {
          for (const s of await this.engines.forRecord(id).list(list.map((r) => r.db_name))) stats.set(s.database, s);
        } catch (e) {
          this.logger.warn('database stats unavailable', { engine: id, error: e });
        }
      }),
    );
    return rows.map((r) => ({
      database: r.db_name,
      user: r.db_user,
      engine: r.engine,
      size: stats.get(r.db_name)?.size ?? null,
      tables: stats.get(r.db_name)?.tables ?? null,
    }));
  }

  /** Drop one database and its user; `dbName` is the full name or the part after `<username>_`. */
  async remove(
    account: AccountInfo,
    dbName: string,
  ): Promise<{ engine: string; database: string; user: string; deleted: true }> {
    const row = await this.records.claimForDelete(account.id, [dbName, `${account.username}_${dbName}`]);
    await this.drop(row);
    return { engine: row.engine, database: row.db_name, user: row.db_user, deleted: true };
  }

  /**
   * Drop every database of an account (the `account.delete` hook); the first failure vetoes the
   * delete (409). The account's reseller reads what failed; a driver's or tool's words (a socket
   * path, SQL) are admin detail.
   */
  async removeAccount(account: AccountInfo): Promise<void> {
    const busy = (await this.records.forAccount(account.id, ['creating', 'deleting']))[0];
    if (busy)
      throw errors.vetoed(
        'databases',
        `database ${busy.db_name} is being ${busy.state === 'creating' ? 'created' : 'deleted'}`,
      );
    for (const r of await this.records.forAccount(account.id)) {
      try {
        await this.drop(await this.records.claimForDelete(account.id, [r.db_name]));
      } catch (e) {
        throw errors.vetoed('databases', `could not drop database ${r.db_name}`).withCause(e);
      }
    }
  }

  /** Rows a crash left half-made or half-dropped. */
  unfinished(): Promise<DatabaseRecord[]> {
    return this.records.unfinished();
  }

  /** Finish what a crash interrupted: drop those databases and forget them. */
  async reconcile(rows: DatabaseRecord[]): Promise<void> {
    for (const row of rows) {
      try {
        await this.engines.forRecord(row.engine).drop({ database: row.db_name, user: row.db_user });
        await this.records.remove(row.db_name);
        this.logger.warn('unfinished database removed', { engine: row.engine, database: row.db_name, was: row.state });
      } catch (e) {
        this.logger.warn('unfinished database left for the next start', { database: row.db_name, error: e });
      }
    }
  }

  /** The account's databases for other plugins (the `accountDatabases` service). */
  async forAccount(accountId: number): Promise<AccountDatabase[]> {
    return (await this.records.forAccount(accountId)).map((r) => ({
      engine: r.engine,
      database: r.db_name,
      user: r.db_user,
    }));
  }

  /**
   * Create an empty database a restore brings back, checked like `POST /api/databases`: the
   * full name must carry the account's prefix. Without a password the user gets a random one.
   */
  async recreate(accountId: number, db: AccountDatabase, opts: { password?: string } = {}): Promise<AccountDatabase> {
    const account = await this.account(accountId);
    const prefix = `${account.username}_`;
    const name = db.database.startsWith(prefix) ? db.database.slice(prefix.length) : '';
    if (!/^[a-z0-9_]{1,64}$/.test(name))
      throw errors.validation(`database: must be ${prefix}<name> with lowercase letters, digits or underscores`);
    const password = opts.password ?? randomBytes(24).toString('base64url');
    if (!/^[^\x00-\x1f\x7f]{8,128}$/.test(password))
      throw errors.validation('password: must be 8–128 characters without control characters');
    const made = await this.create(account, { db_name: name, db_password: password, engine: db.engine });
    return { engine: made.engine, database: made.database, user: made.user };
  }

  async count(): Promise<number> {
    return this.records.count();
  }

  private async drop(row: DatabaseRecord): Promise<void> {
    let engine: DatabaseEngine;
    try {
      engine = this.engines.forRecord(row.engine);
      await engine.drop({ database: row.db_name, user: row.db_user });
    } catch (e) {
      await this.records.setState(row.db_name, 'ready');
      throw e;
    }
    await this.records.remove(row.db_name);
    this.logger.info('database dropped', { account_id: row.account_id, engine: row.engine, database: row.db_name });
  }
}
