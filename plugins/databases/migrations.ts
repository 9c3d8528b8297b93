import type { Migration } from '../../sdk/index.js';

/** Tables of the databases plugin (prefix `databases_`). */
export const migrations: Migration[] = [
  {
    name: '001_databases',
    async up(db, table) {
      await db.schema.createTable(table('databases'), (t) => {
        t.increments('id');
        t.integer('account_id').notNullable();
        t.string('engine', 64).notNullable();
        // Unique across engines: DELETE names a database without its engine.
        t.string('db_name', 128).notNullable().unique();
        t.string('db_user', 128).notNullable();
        // creating → ready → deleting; a transitional row left by a crash is reconciled at start.
        t.string('state', 16).notNullable();
        t.string('created_at', 19).notNullable();
        t.index(['account_id']);
      });
    },
  },
  {
    name: '002_list_indexes',
    async up(db, table) {
      // `GET /api/databases/:account_id?sort=…` pages in SQL (db_name is unique already).
      await db.schema.alterTable(table('databases'), (t) => {
        for (const column of ['db_user', 'engine', 'created_at']) t.index([column]);
      });
    },
  },
];
