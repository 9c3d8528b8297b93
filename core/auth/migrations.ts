import type { Migration } from '../../sdk/database.js';
import { isMysql } from './rows.js';
import { makeNamesUnique } from './unique-names.js';

/** Tables of the auth module: logins, revoked sessions, API tokens, reseller plugin grants, two-factor login. */
export const authMigrations: Migration[] = [
  {
    // Takes the place of '010_auth', which also made two nullable cap columns on the users table
    // for resellers, from before plugins owned what they cap. No kernel code reads or writes them;
    // the plugins that own the caps copied their values into their own tables once (see the SDK's
    // `resellerCapsMigration`, which copies only where the column exists), so a store migrated by
    // '010_auth' keeps two unused columns and one made by this migration lacks them.
    name: '010_logins',
    replaces: ['010_auth'],
    async up(db, table) {
      await db.schema.createTable(table('users'), (t) => {
        t.increments('id').primary();
        t.string('username', 64).notNullable().unique();
        t.string('password_hash', 255).notNullable();
        t.string('role', 16).notNullable();
        t.integer('reseller_id');
        t.string('subject', 190);
        t.string('email', 254);
        t.boolean('disabled').notNullable().defaultTo(false);
        t.integer('token_version').notNullable().defaultTo(0);
        t.string('created_at', 32).notNullable();
        t.string('updated_at', 32).notNullable();
        t.index(['role']);
        t.index(['reseller_id']);
        t.index(['subject']);
      });
      await db.schema.createTable(table('revoked_tokens'), (t) => {
        t.string('jti', 64).primary();
        t.integer('user_id').notNullable();
        t.bigInteger('expires_at').notNullable();
        t.index(['expires_at']);
      });
      await db.schema.createTable(table('api_tokens'), (t) => {
        t.increments('id').primary();
        t.integer('user_id').notNullable();
        t.string('name', 100).notNullable();
        t.string('token_hash', 64).notNullable().unique();
        t.string('prefix', 16).notNullable();
        t.text('scopes').notNullable();
        t.text('allowed_ips');
        t.string('expires_at', 32);
        t.string('created_at', 32).notNullable();
        t.string('last_used_at', 32);
        t.index(['user_id']);
      });
      await db.schema.createTable(table('reseller_plugins'), (t) => {
        t.integer('reseller_id').notNullable();
        t.string('plugin_id', 60).notNullable();
        t.boolean('allowed').notNullable().defaultTo(false);
        t.boolean('enabled').notNullable().defaultTo(false);
        t.string('updated_at', 32).notNullable();
        t.primary(['reseller_id', 'plugin_id']);
      });
    },
  },
  {
    name: '011_auth_2fa',
    async up(db, table) {
      // One row per login that began enrolling; `secret` is sealed with the panel key.
      await db.schema.createTable(table('user_2fa'), (t) => {
        t.integer('user_id').primary();
        t.text('secret').notNullable();
        t.boolean('enabled').notNullable().defaultTo(false);
        t.bigInteger('last_step');
        t.text('recovery_hashes').notNullable();
        t.string('created_at', 32).notNullable();
        t.string('enabled_at', 32);
      });
      await db.schema.createTable(table('auth_settings'), (t) => {
        t.string('name', 64).primary();
        t.text('value').notNullable();
        t.string('updated_at', 32).notNullable();
      });
    },
  },
  {
    name: '012_auth_username_lower',
    async up(db, table) {
      // A new login's name is checked case-insensitively (`lower(username) = ?`); without an index on
      // the expression that read every login, once per account create. MySQL/MariaDB index no
      // expression: 013 gives them a generated column instead.
      if (isMysql(db)) return;
      await db.raw('create index ?? on ?? (lower(username))', [`${table('users')}_username_lower`, table('users')]);
    },
  },
  {
    // What '012_auth_username_lower' could not give MySQL/MariaDB: they index no expression, but
    // they index a generated column, so the lowered name becomes one (`username_lower`, never
    // stored) with a plain index, and the store's check reads it there (see `lowerUsername`).
    // INVISIBLE keeps it out of `select *`, so a row of every store has the same fields. SQLite and
    // PostgreSQL keep 012's expression index, which serves `lower(username)` as written.
    name: '013_auth_username_lower_column',
    async up(db, table) {
      if (!isMysql(db)) return;
      await db.raw(
        'alter table ?? add column username_lower varchar(64) as (lower(username)) virtual invisible, add index ?? (username_lower)',
        [table('users'), `${table('users')}_username_lower`],
      );
    },
  },
  {
    // The check before an insert alone let two creates of `Bob` and `bob` racing each other both
    // succeed: the index on the lowered name (012/013) becomes UNIQUE, on every store. A store
    // that already holds such names keeps the plain index and still starts; the auth module names
    // them at each start and makes the index once they are resolved (see unique-names.ts).
    name: '014_auth_username_unique',
    async up(db, table) {
      await makeNamesUnique(db, table('users'));
    },
  },
];
