import type { Migration } from '../../sdk/index.js';

/** Tables of the bandwidth plugin (prefix `bandwidth_`). */
export const migrations: Migration[] = [
  {
    name: '001_bandwidth',
    async up(db, table) {
      // Where the collector stopped in each log: inode and offset, saved with the bytes they added.
      await db.schema.createTable(table('positions'), (t) => {
        t.increments('id');
        t.string('path', 700).notNullable().unique();
        t.integer('account_id').notNullable();
        t.string('domain', 253).notNullable();
        // Inode numbers may pass 2^53: kept as text.
        t.string('inode', 24).notNullable();
        t.bigInteger('offset').notNullable();
        t.string('updated_at', 19).notNullable();
      });
      // Bytes sent per account and calendar month (UTC).
      await db.schema.createTable(table('usage'), (t) => {
        t.integer('account_id').notNullable();
        t.string('period', 7).notNullable();
        t.bigInteger('bytes').notNullable();
        t.primary(['account_id', 'period']);
      });
      // What the over-quota action did, once per account and period; `suspended`: the panel (not
      // a person) suspended it, so the next period lifts it unless `lifted_at` says it was lifted.
      await db.schema.createTable(table('actions'), (t) => {
        t.integer('account_id').notNullable();
        t.string('period', 7).notNullable();
        t.string('action', 16).notNullable();
        t.boolean('suspended').notNullable().defaultTo(false);
        t.string('lifted_at', 19);
        t.string('created_at', 19).notNullable();
        t.primary(['account_id', 'period']);
      });
    },
  },
  {
    name: '002_position_fingerprints',
    async up(db, table) {
      // sha256 of the first bytes of the file a position is in: the file is recognised again once
      // a rotation compressed it into a new file (a new inode). Null: not known (older rows).
      await db.schema.alterTable(table('positions'), (t) => {
        t.string('fp', 64);
        t.integer('fp_len').notNullable().defaultTo(0);
      });
    },
  },
];
