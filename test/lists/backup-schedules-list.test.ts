// GET /api/backups/schedules and /api/backups/schedules/:id/runs with limit/offset/sort/q: the
// schedules a caller may manage are selected in SQL before counting; unchanged without them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { standIns } from '../backups/stand-ins.js';

describe('backup schedule lists paging', () => {
  let panel: TestPanel;
  const get = (path: string, as: 'admin' | 'reseller' | 'user' = 'admin') => panel.request('GET', path, { as });
  beforeAll(async () => {
    const s = standIns();
    panel = await startTestPanel({ plugins: ['backups'], inline: s.plugins });
    s.state.createAccount({ username: 'alice', reseller_id: 2 });
    s.state.createAccount({ username: 'bob' });
    // 30 schedules: account 1 (the reseller's, the user's), account 2 (nobody's) and server-wide ones.
    const rows = Array.from({ length: 30 }, (_, i) => ({
      account_id: [1, 2, null][i % 3],
      frequency: i % 2 ? 'weekly' : 'daily',
      weekday: i % 2 ? 1 : null,
      time: `0${i % 10}:00`,
      target: i < 15 ? 'local' : 'offsite-b',
      keep_count: 7,
      keep_days: 30,
      enabled: false,
      created_by: 1,
      created_at: '2026-01-01T00:00:00.000Z',
      last_run_at: null,
      last_status: null,
      last_error: null,
    }));
    await panel.kernel.knex('backups_schedules').insert(rows);
    await panel.kernel.knex('backups_runs').insert(
      Array.from({ length: 130 }, (_, i) => ({
        schedule_id: 1,
        account_id: 1,
        job_id: null,
        state: i % 5 ? 'succeeded' : 'failed',
        filename: `alice-${i}.tar.gz`,
        error: i % 5 ? null : 'disk full',
        started_at: '2026-01-02T00:00:00.000Z',
        finished_at: null,
      })),
    );
  });
  afterAll(async () => {
    await panel?.stop();
  });

  it('answers the contract without the new parameters', async () => {
    const all = await get('/api/backups/schedules');
    expect(Object.keys(all.body)).toEqual(['ok', 'data']);
    expect(all.body.data).toHaveLength(30);
    const runs = await get('/api/backups/schedules/1/runs');
    expect({ keys: Object.keys(runs.body), n: runs.body.data.length, first: runs.body.data[0].id }).toEqual({
      keys: ['ok', 'data'],
      n: 100,
      first: 130,
    });
  });

  it('pages, sorts and searches schedules with total; the page is the same rows the plain list shows', async () => {
    const all = (await get('/api/backups/schedules')).body.data;
    expect((await get('/api/backups/schedules?limit=10&offset=10')).body).toEqual({
      ok: true,
      data: all.slice(10, 20),
      total: 30,
    });
    const b = await get('/api/backups/schedules?q=OFFSITE&sort=-id&limit=3');
    expect({ total: b.body.total, ids: b.body.data.map((x: any) => x.id) }).toEqual({ total: 15, ids: [30, 29, 28] });
    const bad = await get('/api/backups/schedules?sort=last_error');
    expect({ status: bad.status, error: bad.body.error }).toEqual({
      status: 400,
      error:
        'sort: must be one of id, account_id, frequency, time, target, created_at, last_run_at, last_status (a leading - sorts descending)',
    });
  });

  it('a reseller and a user count only the schedules they may manage', async () => {
    const reseller = await get('/api/backups/schedules?limit=4', 'reseller');
    expect({
      total: reseller.body.total,
      accounts: [...new Set(reseller.body.data.map((x: any) => x.account_id))],
    }).toEqual({ total: 10, accounts: [1] });
    expect((await get('/api/backups/schedules', 'reseller')).body.data).toHaveLength(10);
    expect((await get('/api/backups/schedules?q=offsite', 'user')).body.total).toBe(5);
  });

  it("pages a schedule's runs newest first, searches them, and keeps another owner's schedule hidden", async () => {
    const page = await get('/api/backups/schedules/1/runs?offset=100');
    expect({ total: page.body.total, ids: page.body.data.map((r: any) => r.id) }).toEqual({
      total: 130,
      ids: Array.from({ length: 30 }, (_, i) => 30 - i),
    });
    expect((await get('/api/backups/schedules/1/runs?q=DISK%20FULL&limit=1')).body.total).toBe(26);
    expect((await get('/api/backups/schedules/2/runs?limit=1', 'reseller')).status).toBe(404);
  });
});
