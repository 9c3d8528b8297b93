import { createServiceRef } from '../services.js';

/** One database of an account, as the `databases` plugin records it. */
export interface AccountDatabase {
  /** Engine entry id (`mysql`, `mariadb`, `postgresql`, …) of `databaseEngines`. */
  engine: string;
  /** Full database name on the server (`<username>_<name>`). */
  database: string;
  /** Its dedicated user (role). */
  user: string;
}

/**
 * Which databases each account has, provided by the `databases` plugin. Backups read it to dump
 * every database of an account, and use {@link AccountDatabases.recreate} when a restore brings
 * back a database that no longer exists.
 *
 * @example
 * ```ts
 * const dbs = await ctx.services.find(accountDatabases)?.forAccount(7) ?? [];
 * ```
 */
export interface AccountDatabases {
  /** The databases the account owns (empty when none). */
  forAccount(accountId: number): Promise<AccountDatabase[]>;
  /**
   * Create an empty database and its user for the account, validated exactly like
   * `POST /api/databases` (name prefix `<username>_`, engine limits, server-wide uniqueness → 409).
   * The user gets `password` when given, else a random one the caller never sees. Returns the
   * record as stored.
   */
  recreate(accountId: number, db: AccountDatabase, opts?: { password?: string }): Promise<AccountDatabase>;
}

/** Service reference of the account database listing. */
export const accountDatabases = createServiceRef<AccountDatabases>('databases.accounts');
