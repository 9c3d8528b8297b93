// Issue 24: creating a login checks its name case-insensitively (`lower(username) = ?`). An index
// on that expression keeps the check O(log n) instead of reading every login on every account
// create (SQLite and PostgreSQL; MariaDB has no expression indexes).
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { useServices } from '../bed/index.js';
import { startBarePanel } from './helpers.js';

const bed = useServices('postgres');
const CHECK = "select id from core_users where lower(username) = 'someone'";

describe('the case-insensitive username check', () => {
  it('uses an index on SQLite', async () => {
    const panel = await startBarePanel();
    try {
      const plan = await panel.kernel.knex.raw(`explain query plan ${CHECK}`);
      expect(JSON.stringify(plan)).toMatch(/SEARCH core_users USING (COVERING )?INDEX core_users_username_lower/);
    } finally {
      await panel.stop();
    }
  });

  it.skipIf(bed.skip)('uses an index on PostgreSQL', async () => {
    const db = `vp_userlower_${randomBytes(4).toString('hex')}`;
    const admin = knexFactory({ client: 'pg', connection: bed.postgres.adminUrl });
    await admin.raw(`create database ${db}`);
    const panel = await startBarePanel({
      config: { database_url: bed.postgres.adminUrl.replace(/\/[^/]*$/, `/${db}`) },
    });
    try {
      // A few rows make a sequential scan the cheaper plan: ask whether the index can serve it at all.
      const plan = await panel.kernel.knex.transaction(async (trx): Promise<{ rows: unknown[] }> => {
        await trx.raw('set local enable_seqscan = off');
        return trx.raw(`explain ${CHECK}`);
      });
      expect(JSON.stringify(plan.rows)).toContain('core_users_username_lower');
    } finally {
      await panel.stop();
      await admin.raw(`drop database if exists ${db}`);
      await admin.destroy();
    }
  });
});
