import type { Knex } from 'knex';
import type { DbClient } from './database.js';

export const LOCK_TABLE = 'core_locks';

/**
 * Run `work` in a transaction holding a named lock, so check-then-insert sequences cannot
 * interleave — across panel processes too on PostgreSQL/MariaDB (row lock on `core_locks`).
 * SQLite has one writer connection, and `BEGIN IMMEDIATE` semantics come from knex's single
 * pooled connection, so a plain transaction already serialises there.
 */
export async function withLock<R>(knex: Knex, client: DbClient, name: string, work: (trx: Knex.Transaction) => Promise<R>): Promise<R> {
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
