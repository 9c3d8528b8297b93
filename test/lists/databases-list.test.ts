// GET /api/databases/:account_id with limit/offset/sort/q against the bed's real MariaDB: the page
// is cut in SQL before the engines are asked for sizes; unchanged without the parameters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPanel } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { startDatabasePanel } from '../databases/fixtures.js';

const bed = useServices('mariadb', 'postgres');

describe.skipIf(bed.skip)('databases list paging', () => {
  let panel: TestPanel;
  const get = (path: string, as: 'admin' | 'reseller' | 'user' = 'admin') => panel.request('GET', path, { as });
  beforeAll(async () => {
    panel = await startDatabasePanel(bed.mariadb, bed.postgres, ['carol', 'dave']);
    for (const db_name of ['blog', 'shop']) {
      expect(
        (
          await panel.request('POST', '/api/databases', {
            body: { account_id: 1, db_name, db_password: 'DbSecure12345' },
          })
        ).status,
      ).toBe(200);
    }
    // Catalogue rows only (no server database behind them): their size answers null.
    const rows = Array.from({ length: 30 }, (_, i) => ({
      account_id: i < 25 ? 1 : 2,
      engine: i % 2 ? 'postgresql' : 'mysql',
      db_name: `${i < 25 ? 'carol' : 'dave'}_t${String(i).padStart(2, '0')}`,
      db_user: `${i < 25 ? 'carol' : 'dave'}_t${String(i).padStart(2, '0')}`,
      state: 'ready',
      created_at: '2026-01-01 00:00:00',
    }));
    await panel.kernel.knex('databases_databases').insert(rows);
  }, 120_000);
  afterAll(async () => {
    for (const db_name of ['blog', 'shop']) await panel?.request('DELETE', `/api/databases/1/${db_name}`);
    await panel?.stop();
  });

  it('answers the contract without the new parameters', async () => {
    const res = await get('/api/databases/1');
    expect(Object.keys(res.body)).toEqual(['ok', 'data']);
    expect(res.body.data).toHaveLength(27);
    expect(res.body.data.slice(0, 2).map((d: any) => d.database)).toEqual(['carol_blog', 'carol_shop']);
  });

  it("pages by name with total; a page's databases carry their server sizes", async () => {
    const all = (await get('/api/databases/1')).body.data;
    const first = await get('/api/databases/1?limit=2');
    expect(first.body).toEqual({ ok: true, data: all.slice(0, 2), total: 27 });
    expect(first.body.data[0]).toMatchObject({ database: 'carol_blog', engine: 'mysql', size: expect.any(Number) });
    expect((await get('/api/databases/1?offset=10&limit=5')).body.data).toEqual(all.slice(10, 15));
    const pg = await get('/api/databases/1?q=POSTGRES&sort=-database&limit=3');
    expect({
      total: pg.body.total,
      names: pg.body.data.map((d: any) => d.database),
      size: pg.body.data[0].size,
    }).toEqual({ total: 12, names: ['carol_t23', 'carol_t21', 'carol_t19'], size: null });
  });

  it('counts only the named account, refuses other owners and bad values', async () => {
    expect((await get('/api/databases/2?limit=1')).body.total).toBe(5);
    expect((await get('/api/databases/1?q=dave')).body).toEqual({ ok: true, data: [], total: 0 });
    expect((await get('/api/databases/2?limit=1', 'reseller')).status).toBe(403);
    expect((await get('/api/databases/1?limit=1', 'reseller')).body.total).toBe(27);
    const bad = await get('/api/databases/1?sort=size');
    expect({ status: bad.status, error: bad.body.error }).toEqual({
      status: 400,
      error: 'sort: must be one of database, user, engine, created_at (a leading - sorts descending)',
    });
  });
});
