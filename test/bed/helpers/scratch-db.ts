// A scratch database on the bed's PostgreSQL or MariaDB server, for tests that run the panel's
// store code on every engine: made under a fresh name, dropped afterwards.
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import type { MariadbInfo, PostgresInfo } from '../types.js';

/** The database servers of the bed (read lazily: a skipped bed has none). */
export interface ServerBed {
  postgres: PostgresInfo;
  mariadb: MariadbInfo;
}

export interface ScratchDatabase {
  engine: 'pg' | 'mysql';
  name: string;
  /** Make the (empty) database. */
  create(): Promise<void>;
  /** The panel's `database_url` for it. */
  url(): string;
  /** A knex on it; the caller destroys it. */
  knex(): Knex;
  /** Drop it with all it holds, if it exists. */
  drop(): Promise<void>;
}

/** A database named `<prefix>_<random>` on the bed's PostgreSQL (`pg`) or MariaDB (`mysql`). */
export function scratchDatabase(bed: ServerBed, engine: 'pg' | 'mysql', prefix: string): ScratchDatabase {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const server = (database?: string): Knex => {
    if (engine === 'pg') {
      const url = bed.postgres.adminUrl;
      return knexFactory({ client: 'pg', connection: database ? url.replace(/\/[^/]*$/, `/${database}`) : url });
    }
    const { port, adminUser: user, adminPassword: password } = bed.mariadb;
    return knexFactory({
      client: 'mysql2',
      connection: { host: '127.0.0.1', port, user, password, ...(database ? { database } : {}) },
    });
  };
  const once = async (sql: string) => {
    const k = server();
    try {
      await k.raw(sql);
    } finally {
      await k.destroy();
    }
  };
  return {
    engine,
    name,
    create: () => once(`CREATE DATABASE ${name}`),
    url: () => {
      if (engine === 'pg') return bed.postgres.adminUrl.replace(/\/[^/]*$/, `/${name}`);
      const m = bed.mariadb;
      return `mysql://${encodeURIComponent(m.adminUser)}:${encodeURIComponent(m.adminPassword)}@127.0.0.1:${m.port}/${name}`;
    },
    knex: () => server(name),
    drop: () => once(`DROP DATABASE IF EXISTS ${name}`),
  };
}
