import type { Knex } from 'knex';
import type { Migration, PluginDatabase } from '../database.js';
import { createExtensionPoint } from '../extension-points.js';

/**
 * A cap an admin sets on each reseller for a resource a plugin owns, e.g. how many widgets the
 * reseller's customers may hold. The entry id is the field `/api/resellers` shows and takes
 * (`max_<counter>`); the plugin checks the cap itself where it creates the resource.
 */
export interface ResellerCap {
  /** Caps of these resellers; a reseller without a cap of its own is absent. */
  read(resellerIds: number[]): Promise<Map<number, number>>;
  /** Set a reseller's cap; `null` removes it (no cap of its own: the licence still applies). */
  write(resellerId: number, cap: number | null): Promise<void>;
}

/** Extension point: caps on resellers, read and written by the kernel's `/api/resellers` routes. */
export const resellerCaps = createExtensionPoint<ResellerCap>({ id: 'reseller-caps', owner: 'core' });

/** A plugin's reseller caps in its own table (see {@link resellerCapsMigration}). */
export interface ResellerCapTable extends ResellerCap {
  /** One reseller's cap (null: none), e.g. read before a check-and-insert lock. */
  of(resellerId: number | null, trx?: Knex.Transaction): Promise<number | null>;
}

const TABLE = 'reseller_caps';

/**
 * The reseller caps a plugin keeps in `<plugin>_reseller_caps`, to provide as a {@link resellerCaps} entry.
 *
 * @example
 * ```ts
 * const caps = resellerCapTable(ctx.db);
 * ctx.extensions.provide(resellerCaps, 'max_widgets', caps);
 * const cap = await caps.of(principal.resellerId); // then count and compare under the plugin's lock
 * ```
 */
export function resellerCapTable(db: PluginDatabase): ResellerCapTable {
  const q = (trx?: Knex.Transaction) => (trx ?? db.knex)(db.table(TABLE));
  return {
    async read(ids) {
      const rows = ids.length ? await q().whereIn('reseller_id', ids).select('reseller_id', 'cap') : [];
      return new Map(rows.map((r: { reseller_id: number; cap: number }) => [Number(r.reseller_id), Number(r.cap)]));
    },
    async write(resellerId, cap) {
      await db.knex.transaction(async (trx) => {
        await q(trx).where({ reseller_id: resellerId }).delete();
        if (cap !== null) await q(trx).insert({ reseller_id: resellerId, cap });
      });
    },
    async of(resellerId, trx) {
      if (resellerId === null) return null;
      const row = await q(trx).where({ reseller_id: resellerId }).first('cap');
      return row ? Number(row.cap) : null;
    },
  };
}

/**
 * Migration making the plugin's reseller-cap table. `legacyColumn` names the column of the
 * panel's users table that held this cap before plugins owned their caps: its values move over
 * once (the column stays, unused, for older panels sharing the store).
 */
export function resellerCapsMigration(name: string, legacyColumn?: string): Migration {
  return {
    name,
    async up(db, table) {
      await db.schema.createTable(table(TABLE), (t) => {
        t.integer('reseller_id').primary();
        t.integer('cap').notNullable();
      });
      const users = 'core_users';
      if (!legacyColumn || !(await db.schema.hasTable(users)) || !(await db.schema.hasColumn(users, legacyColumn)))
        return;
      const rows = await db(users).where({ role: 'reseller' }).whereNotNull(legacyColumn).select('id', legacyColumn);
      if (rows.length)
        await db(table(TABLE)).insert(
          rows.map((r: Record<string, unknown>) => ({ reseller_id: r.id, cap: r[legacyColumn] })),
        );
    },
  };
}
