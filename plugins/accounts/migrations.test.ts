import knex from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from './migrations.js';

const db = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
const table = (n: string) => `accounts_${n}`;
afterAll(() => db.destroy());

describe('accounts migrations', () => {
  it('gives every existing account its own identity, and no two the same', async () => {
    const before = migrations.filter((m) => m.name < '003');
    for (const m of before) await m.up(db, table);
    const row = (username: string) => ({
      username, primary_domain: `${username}.test`, email: `${username}@x.test`, plan: 'free', status: 'active', home_dir: `/home/${username}`,
      disk_quota_mb: 0, bandwidth_quota_mb: 0, created_at: '2026-01-01 00:00:00', updated_at: '2026-01-01 00:00:00',
    });
    await db(table('accounts')).insert([row('ann'), row('bob'), row('cyd')]);
    for (const m of migrations.slice(before.length)) await m.up(db, table);
    const ids = (await db(table('accounts')).select('identity')).map((r) => r.identity);
    expect(ids).toHaveLength(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(3);
    await expect(db(table('accounts')).insert({ ...row('dan'), identity: ids[0] })).rejects.toThrow(/UNIQUE/);
  });
});
