import type { Knex } from 'knex';

/** Timestamps in the contract's style: `2026-02-28 15:44:05` (UTC). */
export function stamp(at = new Date()): string {
  return at.toISOString().slice(0, 19).replace('T', ' ');
}

/** A unique-index violation, whichever store. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; errno?: number };
  return (
    err?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    err?.code === '23505' ||
    err?.errno === 1062
  );
}

/** Whether `db` (a knex or a transaction) talks to MySQL/MariaDB. */
export function isMysql(db: Knex): boolean {
  return /mysql/.test(String((db as any).client?.config?.client ?? ''));
}

/**
 * The SQL of a login's name lowered, in the form the store indexes: SQLite and PostgreSQL index
 * the expression itself, MySQL/MariaDB only the generated column that holds it (migration 013).
 */
export function lowerUsername(db: Knex): string {
  return isMysql(db) ? 'username_lower' : 'lower(username)';
}

/**
 * A login name as the store's lowered form holds it. Only ASCII letters fold: names are ASCII,
 * and a typed name must not reach one through Unicode folding (the Kelvin sign lowers to `k`).
 */
export function loweredName(name: string): string {
  return name.replace(/[A-Z]+/g, (c) => c.toLowerCase());
}

/** Insert one row and return its id, on every store (MySQL has no RETURNING). */
export async function insertId(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [res] = isMysql(db) ? await db(table).insert(row) : await db(table).insert(row).returning('id');
  return Number(typeof res === 'object' ? res.id : res);
}
