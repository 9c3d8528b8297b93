import type { Knex } from 'knex';
import { storeClient, withStoreLock } from '../db/lock.js';
import { isMysql, lowerUsername } from './rows.js';

/**
 * Login names are unique case-insensitively, and the store enforces it: a UNIQUE index on the
 * lowered name (SQLite and PostgreSQL: on `lower(username)`; MySQL/MariaDB: on the generated
 * column `username_lower`, see migration 013). The check before an insert alone let two creates
 * of `Bob` and `bob` racing each other both succeed.
 *
 * A store that already holds names differing only in letter case cannot take the index: it keeps
 * the plain one (so it still starts), and the panel reports the clashes until an admin resolves
 * them; the next start then makes the index (see {@link ensureUniqueNames}).
 */

/** Logins whose names differ only in letter case, grouped (each group sorted), none when the store is clean. */
export async function caseClashes(db: Knex, users: string): Promise<string[][]> {
  const lowered = lowerUsername(db);
  const keys = (
    await db(users)
      .select(db.raw(`${lowered} as name`))
      .groupByRaw(lowered)
      .havingRaw('count(*) > 1')
  ).map((r: { name: string }) => r.name);
  if (!keys.length) return [];
  const rows: { username: string }[] = await db(users)
    .select('username')
    .whereRaw(`${lowered} in (${keys.map(() => '?').join(', ')})`, keys)
    .orderBy('username');
  const groups = new Map<string, string[]>();
  for (const { username } of rows) {
    const key = username.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), username]);
  }
  return [...groups.values()];
}

const uniqueName = (users: string) => `${users}_username_lower_unique`;
const plainName = (users: string) => `${users}_username_lower`;

async function hasIndex(db: Knex, users: string, name: string): Promise<boolean> {
  const client = storeClient(db);
  const rows =
    client === 'pg'
      ? (await db.raw('select 1 from pg_indexes where schemaname = current_schema() and indexname = ?', [name])).rows
      : client === 'mysql'
        ? (
            await db.raw(
              'select 1 from information_schema.statistics where table_schema = database() and table_name = ? and index_name = ?',
              [users, name],
            )
          )[0]
        : await db.raw(`select 1 from sqlite_master where type = 'index' and name = ?`, [name]);
  return rows.length > 0;
}

/**
 * Replace the plain index on the lowered name by a UNIQUE one, unless names clash (then nothing
 * changes). The clashes found (none once the index exists).
 */
export async function makeNamesUnique(db: Knex, users: string): Promise<string[][]> {
  if (await hasIndex(db, users, uniqueName(users))) return [];
  const clashes = await caseClashes(db, users);
  if (clashes.length) return clashes;
  if (isMysql(db)) {
    // One statement: the store never lacks an index on the lowered name.
    await db.raw('alter table ?? add unique index ?? (username_lower), drop index ??', [
      users,
      uniqueName(users),
      plainName(users),
    ]);
  } else {
    await db.raw('create unique index ?? on ?? (lower(username))', [uniqueName(users), users]);
    await db.raw('drop index if exists ??', [plainName(users)]);
  }
  return [];
}

/**
 * At start-up: the clashes that still keep the store from its UNIQUE index (a start-up warning
 * names them), and the index made where an admin resolved them since the last start. Nodes
 * starting together take turns, as they do for migrations.
 */
export async function ensureUniqueNames(knex: Knex, users: string): Promise<string[][]> {
  if (await hasIndex(knex, users, uniqueName(users))) return [];
  return withStoreLock(knex, 'velopanel-unique-login-names', () => makeNamesUnique(knex, users));
}

/** The words of the start-up warning about `clashes`. */
export function clashWarning(clashes: string[][]): string {
  const named = clashes.map((g) => g.map((n) => `'${n}'`).join(' and ')).join('; ');
  return (
    `login names that differ only in letter case: ${named}. Until only one login of each is left, ` +
    'such a login logs in only by its exact name and the store cannot enforce unique names (the panel still checks before each create)'
  );
}
