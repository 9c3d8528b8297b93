import type { Knex } from 'knex';
import type { Migration } from '../../sdk/database.js';

/** Outcome of running one owner's migrations. */
export type MigrationOutcome = { ok: true; applied: string[] } | { ok: false; reason: string };

/**
 * Run an owner's migrations (the kernel's or a plugin's) in order, each in its own transaction,
 * recording them in `<prefix>_migrations`. A database that knows migrations this code does not
 * is ahead of the code: nothing runs and the owner is reported instead of crashing the panel.
 */
export async function runMigrations(knex: Knex, prefix: string, migrations: Migration[], table: (n: string) => string): Promise<MigrationOutcome> {
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
  if (unknown.length) return { ok: false, reason: `database is ahead of the code (unknown migrations: ${unknown.join(', ')})` };
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
