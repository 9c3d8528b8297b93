import type { Knex } from 'knex';
import type { DbClient } from './database.js';

export const LOCK_TABLE = 'core_locks';

/**
 * Create the lock table, as the kernel's first migration does, on a store a test opened without
 * the kernel (sdk/testing); nothing when it is there.
 */
export async function ensureLockTable(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable(LOCK_TABLE)) return;
  await knex.schema.createTable(LOCK_TABLE, (t) => {
    t.string('name', 190).primary();
  });
}

/**
 * Run `work` in a transaction holding a named lock, so check-then-insert sequences cannot
 * interleave — across panel processes too on PostgreSQL/MariaDB (row lock on `core_locks`).
 * SQLite has one writer connection, and `BEGIN IMMEDIATE` semantics come from knex's single
 * pooled connection, so a plain transaction already serialises there.
 */
export async function withLock<R>(
  knex: Knex,
  client: DbClient,
  name: string,
  work: (trx: Knex.Transaction) => Promise<R>,
): Promise<R> {
  if (client !== 'sqlite') await ensureLockRow(knex, client, name);
  return knex.transaction(async (trx) => {
    if (client !== 'sqlite') await trx(LOCK_TABLE).where({ name }).forUpdate().first();
    return work(trx);
  });
}

async function ensureLockRow(knex: Knex, client: DbClient, name: string): Promise<void> {
  const q = knex(LOCK_TABLE).insert({ name });
  if (client === 'pg') await q.onConflict('name').ignore();
  else await knex.raw(q.toString().replace(/^insert/i, 'insert ignore'));
}

/**
 * Run `work` holding a lock the store server keeps for the whole session (PostgreSQL advisory
 * lock, MySQL/MariaDB `GET_LOCK`), on a connection of its own, so steps that cannot run in one
 * transaction (schema changes on MySQL) are still serialised across panel processes — two nodes
 * starting at once on a fresh store migrate it once. SQLite is one process's file: no lock needed.
 */
export async function withStoreLock<R>(knex: Knex, name: string, work: () => Promise<R>): Promise<R> {
  const client = storeClient(knex);
  if (client === 'sqlite') return work();
  const conn = await knex.client.acquireConnection();
  try {
    if (client === 'pg') await knex.raw('select pg_advisory_lock(hashtext(?))', [name]).connection(conn);
    else {
      const got = await knex.raw('select get_lock(?, 120) as got', [name]).connection(conn);
      if (Number(got[0]?.[0]?.got) !== 1) throw new Error(`the store lock '${name}' was not granted within 120 s`);
    }
    try {
      return await work();
    } finally {
      const release = client === 'pg' ? 'select pg_advisory_unlock(hashtext(?))' : 'select release_lock(?)';
      await knex
        .raw(release, [name])
        .connection(conn)
        .catch(() => undefined);
    }
  } finally {
    await knex.client.releaseConnection(conn);
  }
}

/** Which client a knex instance talks to. */
export function storeClient(knex: Knex): DbClient {
  const c = String(knex.client.config.client);
  return c === 'pg' ? 'pg' : /mysql/.test(c) ? 'mysql' : 'sqlite';
}
