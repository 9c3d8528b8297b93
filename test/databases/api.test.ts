// The /api/databases contract against the test bed's real MariaDB and PostgreSQL: the panel's
// admin logins go over TCP (MariaDB's password from a 0600 file, PostgreSQL's from the environment)
// and customers log in with their own passwords (PostgreSQL with scram-sha-256, not trust).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPanel } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { mysqlSession, pgSession, serverState, startDatabasePanel } from './fixtures.js';

const bed = useServices('mariadb', 'postgres');

describe.skipIf(bed.skip)('databases API on real servers', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startDatabasePanel(bed.mariadb, bed.postgres, ['alice', 'bob']);
  });
  afterAll(async () => {
    await panel?.stop();
  });

  it('lists every engine with its server version', async () => {
    const res = await panel.request('GET', '/api/databases/engines');
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.data.map((e: { id: string }) => [e.id, e]));
    expect(Object.keys(byId).sort()).toEqual(['mariadb', 'mysql', 'postgresql']);
    expect(byId.mariadb).toEqual({ id: 'mariadb', name: 'MariaDB', version: bed.mariadb.version, available: true });
    expect(byId.postgresql).toMatchObject({
      name: 'PostgreSQL',
      available: true,
      version: expect.stringMatching(/^15\./),
    });
  });

  it('creates a MySQL database by default, answering exactly the seed fields, usable over TCP and the socket', async () => {
    const res = await panel.request('POST', '/api/databases', {
      body: { account_id: 1, db_name: 'wordpress', db_password: 'DbSecure12345' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ok: true,
      data: { engine: 'mysql', database: 'alice_wordpress', user: 'alice_wordpress', host: 'localhost' },
    });
    const login = { database: 'alice_wordpress', user: 'alice_wordpress', password: 'DbSecure12345' };
    const tcp = await mysqlSession(bed.mariadb, login);
    await tcp.query('CREATE TABLE posts (id INT PRIMARY KEY, title VARCHAR(50))');
    await tcp.query('CREATE TABLE tags (id INT PRIMARY KEY)');
    await tcp.close();
    await (await mysqlSession(bed.mariadb, login, 'socket')).close();
    const list = await panel.request('GET', '/api/databases/1', { as: 'user' });
    expect(list.body.data).toEqual([
      { database: 'alice_wordpress', user: 'alice_wordpress', engine: 'mysql', size: expect.any(Number), tables: 2 },
    ]);
    expect(list.body.data[0].size).toBeGreaterThan(0);
  });

  it("creates PostgreSQL databases under the alias postgres; each role is refused on the other account's database", async () => {
    const a = await panel.request('POST', '/api/databases', {
      as: 'user',
      body: { account_id: 1, db_name: 'shop', db_password: 'Shop-pass-1', engine: 'postgres' },
    });
    expect(a.body.data).toEqual({
      engine: 'postgresql',
      database: 'alice_shop',
      user: 'alice_shop',
      host: 'localhost',
    });
    const b = await panel.request('POST', '/api/databases', {
      body: { account_id: 2, db_name: 'shop', db_password: 'Bob-pass-12', engine: 'postgresql' },
    });
    expect(b.status).toBe(200);
    const s = await pgSession(bed.postgres, { database: 'alice_shop', user: 'alice_shop', password: 'Shop-pass-1' });
    await s.query('CREATE TABLE orders (id int PRIMARY KEY)');
    await s.close();
    await expect(
      pgSession(bed.postgres, { database: 'bob_shop', user: 'alice_shop', password: 'Shop-pass-1' }),
    ).rejects.toThrow(/permission denied/);
    await expect(
      pgSession(bed.postgres, { database: 'alice_shop', user: 'alice_shop', password: 'wrong-pass-1' }),
    ).rejects.toThrow(/password authentication failed/);
    const list = await panel.request('GET', '/api/databases/1', { as: 'user' });
    expect(list.body.data.find((d: { database: string }) => d.database === 'alice_shop')).toMatchObject({
      engine: 'postgresql',
      tables: 1,
    });
  });

  it("keeps a MariaDB user out of another account's database", async () => {
    const res = await panel.request('POST', '/api/databases', {
      body: { account_id: 2, db_name: 'blog', db_password: 'Bob-blog-12', engine: 'mariadb' },
    });
    expect(res.body.data).toMatchObject({ engine: 'mariadb', database: 'bob_blog' });
    await expect(
      mysqlSession(bed.mariadb, { database: 'alice_wordpress', user: 'bob_blog', password: 'Bob-blog-12' }),
    ).rejects.toThrow(/Access denied/);
  });

  it("shows a user only its own account's databases, and a reseller only its accounts'", async () => {
    expect((await panel.request('GET', '/api/databases/2', { as: 'user' })).status).toBe(403);
    expect(
      (
        await panel.request('POST', '/api/databases', {
          as: 'user',
          body: { account_id: 2, db_name: 'x', db_password: 'Xx-pass-123' },
        })
      ).status,
    ).toBe(403);
    expect((await panel.request('DELETE', '/api/databases/2/bob_blog', { as: 'user' })).status).toBe(403);
    expect((await panel.request('GET', '/api/databases/2', { as: 'reseller' })).status).toBe(403);
    expect(
      (
        await panel.request('POST', '/api/databases', {
          as: 'reseller',
          body: { account_id: 2, db_name: 'x', db_password: 'Xx-pass-123' },
        })
      ).status,
    ).toBe(403);
    const own = await panel.request('GET', '/api/databases/1', { as: 'reseller' });
    expect(own.body.data.map((d: { database: string }) => d.database)).toEqual(['alice_shop', 'alice_wordpress']);
    const bob = await panel.request('GET', '/api/databases/2');
    expect(bob.body.data.map((d: { database: string }) => d.database)).toEqual(['bob_blog', 'bob_shop']);
    expect((await panel.request('GET', '/api/databases/1', { as: 'anon' })).status).toBe(401);
  });

  it('answers 404 for an unknown account and 409 for a name that is taken, even when 20 arrive at once', async () => {
    const missing = await panel.request('POST', '/api/databases', {
      body: { account_id: 99, db_name: 'x', db_password: 'Xx-pass-123' },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('Account 99 not found');
    expect((await panel.request('GET', '/api/databases/99')).status).toBe(404);
    const dup = await panel.request('POST', '/api/databases', {
      body: { account_id: 1, db_name: 'wordpress', db_password: 'Other-pass-1', engine: 'postgresql' },
    });
    expect(dup.status).toBe(409);
    const race = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        panel.request('POST', '/api/databases', {
          body: {
            account_id: 1,
            db_name: 'race',
            db_password: `Race-pass-${i}`,
            engine: i % 2 ? 'mysql' : 'postgresql',
          },
        }),
      ),
    );
    expect(race.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(409)]);
    const list = await panel.request('GET', '/api/databases/1');
    expect(list.body.data.filter((d: { database: string }) => d.database === 'alice_race')).toHaveLength(1);
  });

  it('keeps the record and the server in step when creates race deletes of the same name', async () => {
    for (const engine of ['mysql', 'postgresql']) {
      const body = { account_id: 2, db_name: `racer_${engine}`, db_password: 'Racer-pass-1', engine };
      const results = await Promise.all([
        panel.request('POST', '/api/databases', { body }),
        ...Array.from({ length: 4 }, () => panel.request('DELETE', `/api/databases/2/racer_${engine}`)),
        panel.request('POST', '/api/databases', { body }),
      ]);
      expect(results.every((r) => [200, 404, 409].includes(r.status))).toBe(true);
      const listed = (await panel.request('GET', '/api/databases/2')).body.data.some(
        (d: { database: string }) => d.database === `bob_racer_${engine}`,
      );
      const state = await serverState(bed.mariadb, bed.postgres);
      const onServer = [...state.mariadb, ...state.postgres].some((n) => n.startsWith(`db:bob_racer_${engine}`));
      expect(onServer).toBe(listed);
    }
  });

  it("enforces each engine's name limits on the prefixed name", async () => {
    const cases: [string, number, string][] = [
      ['mysql', 27, 'at most 32'],
      ['mariadb', 59, 'at most 64'],
      ['postgresql', 58, 'at most 63'],
    ];
    for (const [engine, len, limit] of cases) {
      const over = await panel.request('POST', '/api/databases', {
        body: { account_id: 1, db_name: 'n'.repeat(len), db_password: 'Long-pass-12', engine },
      });
      expect(over.status).toBe(400);
      expect(over.body.error).toContain(limit);
      expect(over.body.error).toMatch(/^db_name: /);
    }
    const ok = await panel.request('POST', '/api/databases', {
      body: { account_id: 1, db_name: 'p'.repeat(57), db_password: 'Long-pass-12', engine: 'postgresql' },
    });
    expect(ok.body.data.database).toHaveLength(63);
  });

  it('drops the database and its user, by full or short name', async () => {
    const del = await panel.request('DELETE', '/api/databases/1/alice_wordpress', { as: 'user' });
    expect(del.status).toBe(200);
    expect(del.body.data).toEqual({
      engine: 'mysql',
      database: 'alice_wordpress',
      user: 'alice_wordpress',
      deleted: true,
    });
    await expect(
      mysqlSession(bed.mariadb, { database: 'alice_wordpress', user: 'alice_wordpress', password: 'DbSecure12345' }),
    ).rejects.toThrow(/Access denied/);
    expect((await panel.request('DELETE', '/api/databases/1/shop', { as: 'user' })).body.data).toMatchObject({
      database: 'alice_shop',
    });
    await expect(
      pgSession(bed.postgres, { database: 'alice_shop', user: 'alice_shop', password: 'Shop-pass-1' }),
    ).rejects.toThrow();
    const again = await panel.request('DELETE', '/api/databases/1/alice_wordpress');
    expect(again.status).toBe(404);
    const names = (await panel.request('GET', '/api/databases/1')).body.data.map(
      (d: { database: string }) => d.database,
    );
    expect(names).not.toContain('alice_wordpress');
    expect(names).not.toContain('alice_shop');
  });
});
