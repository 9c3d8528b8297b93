// A store made before login names were unique case-insensitively may hold `Clash` and `clash`.
// It still starts: migration 014 keeps the plain index there, the panel warns at start and
// `GET /api/system/info` names them for admins; meanwhile each logs in only by its exact name and
// no third spelling can be created. Once an admin leaves one, the next start makes the index.
// MariaDB's case-insensitive collation never let such names in (its `username` index refuses them).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, TEST_COST } from '../../core/auth/passwords.js';
import { openDatabase } from '../../core/db/database.js';
import { runMigrations } from '../../core/db/migrations.js';
import { allKernelMigrations } from '../../core/kernel-migrations.js';
import { kernelModules } from '../../core/modules.js';
import type { Logger } from '../../sdk/index.js';
import { scratchDatabase } from '../bed/helpers/scratch-db.js';
import { useServices } from '../bed/index.js';
import { type BarePanel, startBarePanel } from './helpers.js';

const bed = useServices('mariadb', 'postgres');
const password = 'ClashPass12345';

/** The store as the code before migration 014 left it, holding `Clash`, `clash` and an admin. */
async function storeBefore(knex: Knex): Promise<void> {
  const before = allKernelMigrations(kernelModules()).filter((m) => m.name !== '014_auth_username_unique');
  expect((await runMigrations(knex, 'core', before, (n) => `core_${n}`)).ok).toBe(true);
  const hash = await hashPassword(password, TEST_COST);
  const at = '2026-01-01 00:00:00';
  for (const [username, role] of [
    ['admin', 'admin'],
    ['Clash', 'user'],
    ['clash', 'user'],
  ])
    await knex('core_users').insert({
      username,
      password_hash: hash,
      role,
      token_version: 0,
      created_at: at,
      updated_at: at,
    });
}

function warnings(into: string[]): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (msg) => void into.push(msg),
    error: () => undefined,
    child: () => logger,
  };
  return logger;
}

const stores = [
  { name: 'SQLite' as const, engine: null },
  { name: 'PostgreSQL' as const, engine: 'pg' as const },
];

for (const store of stores) {
  const skip = !!store.engine && bed.skip;
  describe.skipIf(skip)(`a ${store.name} store holding login names that differ only in letter case`, () => {
    const db = store.engine && !skip ? scratchDatabase(bed, store.engine, 'vp_clash') : null;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vp-clash-'));
    const url = db ? '' : `sqlite:${path.join(dataDir, 'panel.sqlite')}`;
    const start = (logger?: Logger) =>
      startBarePanel({ dataDir, plugins: ['system'], logger, config: { database_url: db ? db.url() : url } });
    let panel: BarePanel;
    const warned: string[] = [];
    beforeAll(async () => {
      await db?.create();
      const knex = db ? db.knex() : openDatabase(url, dataDir).knex;
      try {
        await storeBefore(knex);
      } finally {
        await knex.destroy();
      }
      panel = await start(warnings(warned));
    }, 120_000);
    afterAll(async () => {
      await panel?.stop();
      await db?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const login = (username: string) => panel.call('POST', '/api/auth/login', { body: { username, password } });

    it('starts, warns naming them, and reports them to admins in GET /api/system/info', async () => {
      expect(warned.filter((w) => w.includes(`'Clash' and 'clash'`))).toHaveLength(1);
      const ledger = await panel.kernel.knex('core_migrations').pluck('name');
      expect(ledger).toContain('014_auth_username_unique');
      const token = (await login('admin')).body.data.token;
      const info = await panel.call('GET', '/api/system/info', { token });
      expect(info.body.data.login_name_clashes).toEqual([['Clash', 'clash']]);
    });

    it('logs each in by its exact name only, and refuses a third spelling', async () => {
      expect((await login('Clash')).body.data?.username).toBe('Clash');
      const own = await login('clash');
      expect(own.body.data?.username).toBe('clash');
      // Other logins' names are for admins only.
      const seen = await panel.call('GET', '/api/system/info', { token: own.body.data.token });
      expect(seen.status).toBe(200);
      expect(seen.body.data).not.toHaveProperty('login_name_clashes');
      expect((await login('CLASH')).status).toBe(401);
      const token = (await login('admin')).body.data.token;
      const made = await panel.call('POST', '/api/resellers', { token, body: { username: 'CLASH', password } });
      expect(made.status).toBe(409);
      expect(made.body.error).toBe("Username 'CLASH' is already taken");
    });

    it('once one is left, reports none, and the next start makes the store refuse such names itself', async () => {
      await panel.kernel.knex('core_users').where({ username: 'Clash' }).delete();
      const token = (await login('admin')).body.data.token;
      expect((await panel.call('GET', '/api/system/info', { token })).body.data.login_name_clashes).toEqual([]);
      await panel.stop();
      warned.length = 0;
      panel = await start(warnings(warned));
      expect(warned.filter((w) => w.includes('letter case'))).toEqual([]);
      const at = '2026-01-01 00:00:00';
      const again = { username: 'CLASH', password_hash: 'x', role: 'user', created_at: at, updated_at: at };
      await expect(panel.kernel.knex('core_users').insert(again)).rejects.toThrow(/unique|duplicate/i);
    });
  });
}

describe.skipIf(bed.skip)('a MariaDB store', () => {
  const db = bed.skip ? null : scratchDatabase(bed, 'mysql', 'vp_clash');
  afterAll(() => db?.drop());

  it('never held login names that differ only in letter case (its collation refused them before 014)', async () => {
    await db!.create();
    const knex = db!.knex();
    try {
      const before = allKernelMigrations(kernelModules()).filter((m) => m.name !== '014_auth_username_unique');
      expect((await runMigrations(knex, 'core', before, (n) => `core_${n}`)).ok).toBe(true);
      const at = '2026-01-01 00:00:00';
      const row = (username: string) => ({
        username,
        password_hash: 'x',
        role: 'user',
        created_at: at,
        updated_at: at,
      });
      await knex('core_users').insert(row('Clash'));
      await expect(knex('core_users').insert(row('clash'))).rejects.toThrow(/Duplicate entry/);
    } finally {
      await knex.destroy();
    }
  });
});
