import { randomBytes } from 'node:crypto';
import type { Migration } from '../../sdk/index.js';

/** Tables of the accounts plugin (prefix `accounts_`). */
export const migrations: Migration[] = [
  {
    name: '001_accounts',
    async up(db, table) {
      await db.schema.createTable(table('accounts'), (t) => {
        t.increments('id');
        t.string('username', 32).notNullable().unique();
        t.string('primary_domain', 253).notNullable();
        t.string('email', 254).notNullable();
        t.string('plan', 16).notNullable();
        // creating → active ⇄ suspended; a `creating` row reserves its licence slot.
        t.string('status', 16).notNullable();
        t.string('home_dir', 1024).notNullable();
        t.integer('uid');
        t.integer('gid');
        t.integer('disk_quota_mb').notNullable();
        t.integer('bandwidth_quota_mb').notNullable();
        t.integer('disk_used_mb').notNullable().defaultTo(0);
        t.integer('reseller_id');
        t.integer('user_id');
        t.string('created_at', 19).notNullable();
        t.string('updated_at', 19).notNullable();
        t.index(['reseller_id']);
      });
    },
  },
  {
    name: '002_pre_delete_status',
    async up(db, table) {
      // Set while a delete can still be rolled back (the status to restore); null past that point.
      await db.schema.alterTable(table('accounts'), (t) => {
        t.string('pre_delete_status', 16);
      });
    },
  },
  {
    name: '003_identity',
    async up(db, table) {
      // A random identity per account, never reused: backups bind archives to it, not to the username.
      await db.schema.alterTable(table('accounts'), (t) => {
        t.string('identity', 32);
      });
      for (const { id } of await db(table('accounts')).select('id')) {
        await db(table('accounts'))
          .where({ id })
          .update({ identity: randomBytes(16).toString('hex') });
      }
      await db.schema.alterTable(table('accounts'), (t) => {
        t.unique(['identity']);
      });
    },
  },
  {
    name: '004_list_indexes',
    async up(db, table) {
      // `GET /api/accounts?sort=…` pages in SQL: each sortable column has an index (username is unique already).
      await db.schema.alterTable(table('accounts'), (t) => {
        for (const column of ['primary_domain', 'email', 'plan', 'status', 'disk_used_mb', 'created_at', 'updated_at'])
          t.index([column]);
      });
    },
  },
  {
    name: '005_id_high_water',
    async up(db, table) {
      // The highest uid/gid the panel ever gave an account: ids are never handed out twice, so a
      // file or process a deleted account left behind can never belong to a later one.
      await db.schema.createTable(table('ids'), (t) => {
        t.string('name', 32).primary();
        t.integer('value').notNullable();
      });
    },
  },
  {
    name: '006_plans',
    async up(db, table) {
      // Plans as objects. `free`, `pro` and `business` are seeded at start from the `<plan>_*`
      // settings when missing (migrations see no config). Names are unique across owners: an
      // account's `plan` is its name. `reseller_id` null = an admin plan every caller may use.
      await db.schema.createTable(table('plans'), (t) => {
        t.increments('id');
        t.string('name', 16).notNullable().unique();
        t.integer('reseller_id');
        t.integer('disk_quota_mb').notNullable();
        t.integer('bandwidth_quota_mb').notNullable();
        for (const c of ['inodes', 'max_domains', 'max_databases', 'cpu_percent', 'memory_mb', 'max_processes'])
          t.integer(c);
        // Comma-separated PHP modes (cgi,fpm,lsapi); null = every mode.
        t.string('php_modes', 32);
        t.string('created_at', 19).notNullable();
        t.string('updated_at', 19).notNullable();
        t.index(['reseller_id']);
      });
    },
  },
];
