import type { Knex } from 'knex';

/** Migration of a plugin's own tables. `up` receives the shared knex and the table-name helper. */
export interface Migration {
  /** Unique and ordered, e.g. `001_create_accounts`. */
  name: string;
  /**
   * Names of earlier migrations this one takes the place of (a migration is never rewritten): a
   * store whose ledger holds one of them counts this one as run, and runs nothing again. Say in a
   * comment how a store migrated by the earlier one differs, and why the code needs neither to care.
   */
  replaces?: string[];
  up(db: Knex, table: (name: string) => string): Promise<void>;
  down?(db: Knex, table: (name: string) => string): Promise<void>;
}

/**
 * The database handle a plugin receives: the shared knex instance plus its own table prefix.
 * Use `table('accounts')` for every table name so plugins never collide.
 */
export interface PluginDatabase {
  knex: Knex;
  /** Prefixed table name: `<pluginId>_<name>` with dashes replaced by underscores. */
  table(name: string): string;
  /** `sqlite` | `pg` | `mysql` */
  client: 'sqlite' | 'pg' | 'mysql';
  /**
   * Run work in a transaction that serialises with other writers on the same lock name, also
   * across panel processes sharing PostgreSQL/MariaDB (used for limit check-and-reserve).
   */
  withLock<R>(lockName: string, work: (trx: Knex.Transaction) => Promise<R>): Promise<R>;
}

export type { Knex };
