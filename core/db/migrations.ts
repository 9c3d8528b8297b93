import type { Knex } from 'knex';
import type { Migration } from '../../sdk/database.js';
import { withStoreLock } from './lock.js';

/** Outcome of running one owner's migrations. */
export type MigrationOutcome = { ok: true; applied: string[] } | { ok: false; reason: string };

/**
 * Run an owner's migrations (the kernel's or a plugin's) in order,
 * recording them in `<prefix>_migrations`. A database that knows migrations this code does not
 * is ahead of the code: nothing runs and the owner is reported instead of crashing the panel.
 * Panel processes sharing a store take turns (a store lock per owner): the second reads the
 * ledger the first wrote and runs nothing twice.
 */
export function runMigrations(
  knex: Knex,
  prefix: string,
  migrations: Migration[],
  table: (n: string) => string,
): Promise<MigrationOutcome> {
  return withStoreLock(knex, `velopanel-migrations-${prefix}`, () => migrate(knex, prefix, migrations, table));
}

async function migrate(
  knex: Knex,
  prefix: string,
  migrations: Migration[],
  table: (n: string) => string,
): Promise<MigrationOutcome> {
  const ledger = `${prefix}_migrations`;
  if (!(await knex.schema.hasTable(ledger))) {
    await knex.schema.createTable(ledger, (t) => {
      t.string('name', 190).primary();
      t.string('run_at', 32).notNullable();
    });
  }
  const done = new Set((await knex(ledger).select('name')).map((r: { name: string }) => r.name));
  const known = new Set(migrations.map((m) => m.name));
  const unknown = [...done].filter((n) => !known.has(n));
  if (unknown.length)
    return { ok: false, reason: `database is ahead of the code (unknown migrations: ${unknown.join(', ')})` };
  const applied: string[] = [];
  for (const m of [...migrations].sort((a, b) => a.name.localeCompare(b.name))) {
    if (done.has(m.name)) continue;
    try {
      await m.up(knex, table);
      await knex(ledger).insert({ name: m.name, run_at: new Date().toISOString() });
    } catch (e) {
      return { ok: false, reason: `migration ${m.name} failed: ${(e as Error).message}` };
    }
    applied.push(m.name);
  }
  return { ok: true, applied };
}
