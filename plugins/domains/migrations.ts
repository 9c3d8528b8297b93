import type { Migration } from '../../sdk/index.js';
import { parentNames } from './ownership.js';

/** Tables of the domains plugin (prefix `domains_`). */
export const migrations: Migration[] = [
  {
    name: '001_domains',
    async up(db, table) {
      await db.schema.createTable(table('domains'), (t) => {
        t.increments('id');
        t.integer('account_id').notNullable();
        t.string('domain_name', 253).notNullable().unique();
        t.string('domain_type', 16).notNullable();
        t.string('document_root', 1024).notNullable();
        // For an alias: the domain whose vhost serves it.
        t.integer('alias_of');
        t.string('created_at', 19).notNullable();
        t.index(['account_id']);
      });
    },
  },
  {
    name: '002_list_indexes',
    async up(db, table) {
      // `GET /api/domains?sort=…` pages in SQL: each sortable column has an index (domain_name is unique already).
      await db.schema.alterTable(table('domains'), (t) => {
        for (const column of ['domain_type', 'created_at']) t.index([column]);
      });
    },
  },
  {
    name: '003_suffixes',
    async up(db, table) {
      // Every name a domain sits under (`a.b.test` → `b.test`), so "is anything under X?" is an
      // index lookup on `suffix` instead of `LIKE '%.X'` scanning every domain (see ownership.ts).
      await db.schema.createTable(table('suffixes'), (t) => {
        t.integer('domain_id').notNullable();
        t.string('suffix', 253).notNullable();
        t.index(['suffix']);
        t.index(['domain_id']);
      });
      const rows: { id: number; domain_name: string }[] = await db(table('domains')).select('id', 'domain_name');
      const all = rows.flatMap((r) => parentNames(r.domain_name).map((suffix) => ({ domain_id: r.id, suffix })));
      for (let i = 0; i < all.length; i += 400) await db(table('suffixes')).insert(all.slice(i, i + 400));
    },
  },
];
