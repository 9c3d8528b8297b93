import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import type { Bed } from '../bed/index.js';

/** A store both nodes of a cluster test share: its URL, and how to create and drop its database. */
export interface SharedStore {
  name: string;
  url: string;
  create: () => Promise<void>;
  drop: () => Promise<void>;
}

/** A fresh database (named `<prefix>_<random>`) on each store server of the test bed. */
export function sharedStores(bed: Bed<'postgres' | 'mariadb'>, prefix: string): SharedStore[] {
  const db = `${prefix}_${randomBytes(4).toString('hex')}`;
  const my = bed.mariadb;
  const once = async (config: Knex.Config, sql: string) => {
    const k = knexFactory(config);
    await k.raw(sql).finally(() => k.destroy());
  };
  const pgAdmin = { client: 'pg', connection: bed.postgres.adminUrl };
  const myAdmin = {
    client: 'mysql2',
    connection: { host: '127.0.0.1', port: my.port, user: my.adminUser, password: my.adminPassword },
  };
  return [
    {
      name: 'PostgreSQL',
      url: bed.postgres.adminUrl.replace(/\/[^/]*$/, `/${db}`),
      create: () => once(pgAdmin, `CREATE DATABASE ${db}`),
      drop: () => once(pgAdmin, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`),
    },
    {
      name: 'MariaDB',
      url: `mysql://${encodeURIComponent(my.adminUser)}:${encodeURIComponent(my.adminPassword)}@127.0.0.1:${my.port}/${db}`,
      create: () => once(myAdmin, `CREATE DATABASE ${db}`),
      drop: () => once(myAdmin, `DROP DATABASE IF EXISTS ${db}`),
    },
  ];
}
