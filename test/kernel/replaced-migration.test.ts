// A migration is never rewritten: a successor `replaces` it. The auth module's '010_logins' takes
// the place of '010_auth' (which also made two reseller cap columns, from before the accounts and
// domains plugins owned the caps): a store migrated by the old name runs nothing again, keeps its
// ledger, and its caps still reach the plugins that own them; a new store has no such columns.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../core/db/database.js';
import { runMigrations } from '../../core/db/migrations.js';
import { allKernelMigrations } from '../../core/kernel-migrations.js';
import { kernelModules } from '../../core/modules.js';
import type { Migration } from '../../sdk/index.js';
import { startTestPanel } from '../../sdk/testing/index.js';
import { authMigrations } from '../../core/auth/migrations.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function store() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-replaced-'));
  dirs.push(dir);
  const file = path.join(dir, 'panel.sqlite');
  return { url: `sqlite:${file}`, ...openDatabase(`sqlite:${file}`, dir) };
}

const core = (n: string) => `core_${n}`;

/** '010_auth' as it was: what '010_logins' makes, plus the two reseller cap columns. */
const auth010: Migration = {
  name: '010_auth',
  async up(db, table) {
    await authMigrations.find((m) => m.name === '010_logins')!.up(db, table);
    await db.schema.alterTable(table('users'), (t) => {
      t.integer('max_accounts');
      t.integer('max_domains');
    });
  },
};
const ledger = async (knex: ReturnType<typeof store>['knex']) =>
  (await knex('core_migrations').select('name')).map((r: { name: string }) => r.name).sort();

describe('a migration that replaces another', () => {
  it('counts as run where the ledger holds the old name, and an unknown name still means the store is ahead', async () => {
    const { knex } = store();
    const ran: string[] = [];
    const old: Migration = { name: '001_old', up: async () => void ran.push('old') };
    const successor: Migration = { name: '001_new', replaces: ['001_old'], up: async () => void ran.push('new') };
    expect(await runMigrations(knex, 'probe', [old], core)).toEqual({ ok: true, applied: ['001_old'] });
    expect(await runMigrations(knex, 'probe', [successor], core)).toEqual({ ok: true, applied: [] });
    expect(await runMigrations(knex, 'probe', [{ name: '001_other', up: async () => undefined }], core)).toEqual({
      ok: false,
      reason: 'database is ahead of the code (unknown migrations: 001_old)',
    });
    expect(ran).toEqual(['old']);
    await knex.destroy();
  });

  it('makes the users table of a new store without the old cap columns', async () => {
    const { knex } = store();
    expect((await runMigrations(knex, 'core', allKernelMigrations(kernelModules()), core)).ok).toBe(true);
    expect(await ledger(knex)).toContain('010_logins');
    expect(await ledger(knex)).not.toContain('010_auth');
    expect(await knex.schema.hasColumn('core_users', 'max_accounts')).toBe(false);
    await knex.destroy();
  });

  it('serves a store migrated by 010_auth: nothing runs again, and its reseller caps reach the plugins that own them', async () => {
    const old = store();
    const before = allKernelMigrations(kernelModules()).map((m) => (m.name === '010_logins' ? auth010 : m));
    expect((await runMigrations(old.knex, 'core', before, core)).ok).toBe(true);
    const now = new Date().toISOString();
    await old.knex('core_users').insert({
      id: 50,
      username: 'old-reseller',
      password_hash: 'x',
      role: 'reseller',
      max_accounts: 7,
      max_domains: 9,
      created_at: now,
      updated_at: now,
    });
    const ledgerBefore = await ledger(old.knex);
    await old.knex.destroy();

    const panel = await startTestPanel({ databaseUrl: old.url, plugins: ['accounts', 'domains', 'veloserve'] });
    try {
      const shown = await panel.request('GET', '/api/resellers/50');
      expect(shown.body.data).toMatchObject({ username: 'old-reseller', max_accounts: 7, max_domains: 9 });
      const made = await panel.request('POST', '/api/resellers', {
        body: { username: 'new-reseller', password: 'NewReseller123', max_accounts: 3 },
      });
      expect(made.body.data).toMatchObject({ username: 'new-reseller', max_accounts: 3, max_domains: null });
      expect(await ledger(panel.kernel.knex)).toEqual(ledgerBefore);
      expect(await panel.kernel.knex.schema.hasColumn('core_users', 'max_accounts')).toBe(true);
    } finally {
      await panel.stop();
    }
  });
});
