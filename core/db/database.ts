import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { PluginDatabase } from '../../sdk/database.js';
import { withLock } from './lock.js';

export type DbClient = 'sqlite' | 'pg' | 'mysql';

/** Which client a `database_url` asks for: empty → embedded SQLite in the data dir. */
export function clientFor(url: string): DbClient {
  if (!url || url.startsWith('sqlite:') || url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:/.test(url)) return 'pg';
  if (/^(mysql|mariadb):/.test(url)) return 'mysql';
  throw new Error(
    `database_url: unsupported scheme in '${url.split(':')[0]}:' (use sqlite:, postgres:, mysql: or mariadb:)`,
  );
}

/** The embedded store's file, or null when the store is a server (or in memory). */
export function sqliteFile(url: string, dataDir: string): string | null {
  if (clientFor(url) !== 'sqlite') return null;
  const file = url ? url.replace(/^(sqlite|file):(\/\/)?/, '') : path.join(dataDir, 'velopanel.sqlite');
  return file === ':memory:' ? null : file;
}

/** The store's file and the journals SQLite keeps beside it (they hold the same rows). */
export function sqliteFiles(file: string): string[] {
  return ['', '-wal', '-shm', '-journal'].map((s) => file + s);
}

/** Where the panel store lives, as an administrator would look for it (no credentials). */
export function storeLocation(url: string, dataDir: string): string {
  const client = clientFor(url);
  if (client === 'sqlite') return `the panel database ${path.resolve(sqliteFile(url, dataDir) ?? ':memory:')}`;
  return `the panel database on its ${client === 'pg' ? 'PostgreSQL' : 'MySQL/MariaDB'} server`;
}

/** Open the panel store. SQLite gets WAL, a busy timeout and foreign keys. */
export function openDatabase(url: string, dataDir: string): { knex: Knex; client: DbClient } {
  const client = clientFor(url);
  if (client === 'sqlite') {
    const file = sqliteFile(url, dataDir) ?? ':memory:';
    if (file !== ':memory:') {
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      // Created 0600 before SQLite opens it: password hashes and secrets are never readable by
      // others, not even for a moment; SQLite gives its -wal and -shm files the same mode.
      closeSync(openSync(file, 'a', 0o600));
    }
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate: (conn: any, done: (err: Error | null, conn: any) => void) => {
          conn.pragma('journal_mode = WAL');
          conn.pragma('busy_timeout = 5000');
          conn.pragma('foreign_keys = ON');
          done(null, conn);
        },
      },
    });
    return { knex, client };
  }
  if (client === 'pg')
    return { knex: knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 10 } }), client };
  const mysqlUrl = url.replace(/^mariadb:/, 'mysql:');
  return { knex: knexFactory({ client: 'mysql2', connection: mysqlUrl, pool: { min: 0, max: 10 } }), client };
}

/** Make a plugin id into a table prefix (`php-fpm` → `php_fpm`). */
export function tablePrefix(pluginId: string): string {
  return pluginId.replace(/-/g, '_');
}

/**
 * The database handle plugin `pluginId` gets (`ctx.db`): its prefixed table names and named locks
 * (`<id>:<name>`) on the shared store. sdk/testing hands tests the same one.
 */
export function pluginDatabase(knex: Knex, client: DbClient, pluginId: string): PluginDatabase {
  const prefix = tablePrefix(pluginId);
  return {
    knex,
    table: (name) => `${prefix}_${name}`,
    client,
    withLock: (name, work) => withLock(knex, client, `${pluginId}:${name}`, work),
  };
}
