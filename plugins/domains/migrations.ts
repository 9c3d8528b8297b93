import type { Migration } from '../../sdk/index.js';

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
];
