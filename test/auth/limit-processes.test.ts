import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServices } from '../bed/index.js';
import { startPanelProcess, stopPanelProcess as stopProcess, type PanelProcess } from '../cluster/panel-process.js';

const bed = useServices('postgres', 'mariadb');
const root = path.resolve(import.meta.dirname, '../..');
const password = 'MySecurePass123';

const fixture = path.join(root, 'test/auth/fixtures/limit-panel.mjs');
const startProcess = (name: string, databaseUrl: string, jwtSecret: string) =>
  startPanelProcess(fixture, name, { database_url: databaseUrl, jwt_secret: jwtSecret, log_level: 'error' });

/** Rows in a table of the shared store, read over a connection of its own. */
async function countRows(store: { name: string; url: string }, table: string): Promise<number> {
  const db = knexFactory({ client: store.name === 'PostgreSQL' ? 'pg' : 'mysql2', connection: store.url });
  try {
    return Number((await db(table).count({ n: '*' }).first())!.n);
  } finally {
    await db.destroy();
  }
}

async function post(url: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe.skipIf(bed.skip)('limits hold across two panel processes sharing one store', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-needed'], { cwd: root, stdio: 'pipe' });
  }, 300_000);

  const stores = () => {
    const db = `vp_limit_${randomBytes(4).toString('hex')}`;
    const my = bed.mariadb;
    return [
      {
        name: 'PostgreSQL',
        url: bed.postgres.adminUrl.replace(/\/[^/]*$/, `/${db}`),
        admin: () => knexFactory({ client: 'pg', connection: bed.postgres.adminUrl }),
      },
      {
        name: 'MariaDB',
        url: `mysql://${encodeURIComponent(my.adminUser)}:${encodeURIComponent(my.adminPassword)}@127.0.0.1:${my.port}/${db}`,
        admin: () =>
          knexFactory({
            client: 'mysql2',
            connection: { host: '127.0.0.1', port: my.port, user: my.adminUser, password: my.adminPassword },
          }),
      },
    ].map((s) => ({ ...s, db }));
  };

  for (const store of bed.skip ? [] : stores()) {
    describe(store.name, () => {
      let a: PanelProcess | undefined;
      let b: PanelProcess | undefined;
      let adminDb: Knex;
      let login = { username: '', password };
      beforeAll(async () => {
        adminDb = store.admin();
        await adminDb.raw(`CREATE DATABASE ${store.db}`);
        const secret = randomBytes(32).toString('hex');
        a = await startProcess('a', store.url, secret);
        b = await startProcess('b', store.url, secret);
      }, 120_000);
      afterAll(async () => {
        await stopProcess(a);
        await stopProcess(b);
        await adminDb.raw(`DROP DATABASE IF EXISTS ${store.db}`);
        await adminDb.destroy();
      });

      it('creates exactly one admin from concurrent setups on both processes', async () => {
        const results = await Promise.all(
          [a!, b!, a!, b!, a!, b!].map((p, i) => post(`${p.url}/api/auth/setup`, { username: `admin${i}`, password })),
        );
        expect(results.filter((r) => r.status === 200)).toHaveLength(1);
        login = { username: results.find((r) => r.status === 200)!.body.data.username, password };
        expect(await countRows(store, 'core_users')).toBe(1);
      });

      it('shares logins: a token from one process works on the other', async () => {
        const token = (await post(`${a!.url}/api/auth/login`, login)).body.data.token;
        const me = await fetch(`${b!.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
        expect(me.status).toBe(200);
      });

      it('creates exactly 5 rows from 20 concurrent check-and-insert requests split over both processes', async () => {
        const token = (await post(`${b!.url}/api/auth/login`, login)).body.data.token;
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            post(`${(i % 2 ? a! : b!).url}/api/limit-probe/items`, undefined, token),
          ),
        );
        const created = results.filter((r) => r.status === 200);
        expect(created).toHaveLength(5);
        const refused = results.filter((r) => r.status !== 200);
        expect(refused).toHaveLength(15);
        for (const r of refused)
          expect(r.body).toMatchObject({
            ok: false,
            error: 'Item limit reached (5/5). Upgrade your license for more.',
            code: 'LIMIT_REACHED',
          });
        expect(refused.every((r) => r.status === 403)).toBe(true);
        expect(await countRows(store, 'limit_probe_items')).toBe(5);
      });
    });
  }
});
