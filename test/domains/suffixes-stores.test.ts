// The domains store's suffix table (migration 003, the ownership check's index) on the other
// stores the panel runs on: PostgreSQL and MariaDB migrate it (filling it for existing domains),
// keep it with inserts and deletes, and answer "anything under this name?" as SQLite does.
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../plugins/domains/migrations.js';
import { checkOwnership } from '../../plugins/domains/ownership.js';
import { DomainStore } from '../../plugins/domains/store.js';
import { useServices } from '../bed/index.js';

const bed = useServices('mariadb', 'postgres');

describe.skipIf(bed.skip)('domain suffixes on PostgreSQL and MariaDB', () => {
  const db = `vp_suffixes_${randomBytes(4).toString('hex')}`;
  const admin = {
    pg: () => knexFactory({ client: 'pg', connection: bed.postgres.adminUrl }),
    mysql: () =>
      knexFactory({
        client: 'mysql2',
        connection: {
          host: '127.0.0.1',
          port: bed.mariadb.port,
          user: bed.mariadb.adminUser,
          password: bed.mariadb.adminPassword,
        },
      }),
  };
  const once = async (client: keyof typeof admin, sql: string) => {
    const k = admin[client]();
    try {
      await k.raw(sql);
    } finally {
      await k.destroy();
    }
  };
  afterAll(async () => {
    if (!bed.skip) for (const c of ['pg', 'mysql'] as const) await once(c, `DROP DATABASE IF EXISTS ${db}`);
  });

  for (const client of ['pg', 'mysql'] as const) {
    it(`${client}: migrates, indexes new and existing domains, and drops a deleted one's suffixes`, async () => {
      await once(client, `CREATE DATABASE ${db}`);
      const knex: Knex =
        client === 'pg'
          ? knexFactory({ client: 'pg', connection: bed.postgres.adminUrl.replace(/\/[^/]*$/, `/${db}`) })
          : knexFactory({
              client: 'mysql2',
              connection: {
                host: '127.0.0.1',
                port: bed.mariadb.port,
                user: bed.mariadb.adminUser,
                password: bed.mariadb.adminPassword,
                database: db,
              },
            });
      try {
        const table = (n: string) => `domains_${n}`;
        const store = new DomainStore({ knex, table, client, withLock: (_n, work) => knex.transaction(work) });
        const row = (account_id: number, domain_name: string) => ({
          account_id,
          domain_name,
          domain_type: 'addon' as const,
          document_root: '/home/x/public_html',
          alias_of: null,
          created_at: '2026-01-01 00:00:00',
        });
        for (const m of migrations.filter((m) => m.name < '003')) await m.up(knex, table);
        await knex(table('domains')).insert(row(2, 'shop.old.test'));
        for (const m of migrations.filter((m) => m.name >= '003')) await m.up(knex, table);
        const blog = await store.insertWithinLimit(row(5, 'blog.new.test'), null);
        const refusal = (name: string, accountId: number | null) =>
          checkOwnership(store, { name, accountId }).then(
            () => null,
            (e: Error) => e.message,
          );
        expect(await refusal('old.test', 1)).toBe(
          'Domain old.test has a name under it that belongs to another account',
        );
        expect(await refusal('new.test', 1)).toBe(
          'Domain new.test has a name under it that belongs to another account',
        );
        expect(await refusal('new.test', 5)).toBeNull();
        await store.delete([blog.id]);
        expect(await refusal('new.test', 1)).toBeNull();
      } finally {
        await knex.destroy();
      }
    });
  }
});
