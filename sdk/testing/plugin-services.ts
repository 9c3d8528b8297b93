import type { Knex } from 'knex';
import { pluginDatabase } from '../../core/db/database.js';
import { ensureLockTable, storeClient } from '../../core/db/lock.js';
import { SystemExec } from '../../core/exec.js';
import type { PluginDatabase } from '../database.js';
import type { ExecService } from '../exec.js';

// A plugin's parts (an engine, a store, a collector) are tested on their own against real
// programs and real stores; these are the services a panel would hand them, without a panel.

/**
 * The real {@link ExecService} a panel hands its plugins as `ctx.exec`: programs run with an
 * argument array, a minimal environment, and failures as 502 EXTERNAL_COMMAND errors.
 *
 * @example
 * ```ts
 * dnsServerSuite.run('bind', () => ({ engine: new BindEngine({ ...opts, exec: testExec() }), resolve }));
 * ```
 */
export function testExec(): ExecService {
  return new SystemExec();
}

/**
 * The database handle a panel hands plugin `pluginId` as `ctx.db`, over a store the test opened
 * (SQLite, PostgreSQL or MariaDB through knex): the same prefixed table names and the same named
 * locks, serialising across connections as in production. Creates the kernel's lock table when the
 * store has none; running the plugin's migrations is the test's part.
 *
 * @example
 * ```ts
 * const db = await testPluginDatabase(knex({ client: 'pg', connection: url }), 'widgets');
 * for (const m of migrations) await m.up(db.knex, db.table);
 * ```
 */
export async function testPluginDatabase(knex: Knex, pluginId: string): Promise<PluginDatabase> {
  await ensureLockTable(knex);
  return pluginDatabase(knex, storeClient(knex), pluginId);
}
