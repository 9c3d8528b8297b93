import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginDatabase } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { historyMigrations, HISTORY_MS, ResourceHistory, takeSample, type ResourceSample } from './history.js';

describe('system: resource history store', () => {
  let db: Knex;
  let history: ResourceHistory;

  beforeAll(async () => {
    db = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    const table = (n: string) => `system_${n}`;
    for (const m of historyMigrations) await m.up(db, table);
    history = new ResourceHistory({
      knex: db,
      table,
      client: 'sqlite',
      withLock: async () => {
        throw new Error('unused');
      },
    } as PluginDatabase);
  });

  afterAll(() => db.destroy());

  it('keeps a day of samples, oldest first, and forgets older ones', async () => {
    const now = Date.now();
    const at = (t: number): ResourceSample => ({
      t,
      cpu_percent: 5,
      memory_used_mb: 100,
      memory_total_mb: 1000,
      load1: 0.5,
      load5: 0.4,
      load15: 0.3,
    });
    await history.record(at(now - HISTORY_MS - 60_000));
    await history.record(at(now - 3600_000));
    await history.record(at(now));
    const day = await history.since(24, now);
    expect(day.map((s) => s.t)).toEqual([now - 3600_000, now]);
    expect((await history.since(1, now)).map((s) => s.t)).toEqual([now - 3600_000, now]);
    expect(await db('system_samples').count({ n: '*' })).toEqual([{ n: 2 }]);
  });

  it('takes a real sample from /proc', async () => {
    const s = await takeSample();
    expect(s.memory_total_mb).toBeGreaterThan(0);
    expect(s.memory_used_mb).toBeGreaterThan(0);
    expect(s.cpu_percent).toBeGreaterThanOrEqual(0);
    expect(s.cpu_percent).toBeLessThanOrEqual(100);
  });
});

describe('system: history and processes routes', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await startTestPanel({ plugins: ['system'] });
  });

  afterAll(() => panel?.stop());

  it('answers the samples recorded since start for admins only', async () => {
    let res = await panel.request('GET', '/api/system/history');
    for (let i = 0; i < 50 && res.body.data.samples.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await panel.request('GET', '/api/system/history');
    }
    expect(res.status).toBe(200);
    expect(res.body.data.interval_secs).toBe(60);
    expect(res.body.data.samples[0]).toMatchObject({
      t: expect.any(Number),
      cpu_percent: expect.any(Number),
      memory_total_mb: expect.any(Number),
      load1: expect.any(Number),
    });
    expect((await panel.request('GET', '/api/system/history', { as: 'user' })).status).toBe(403);
    expect((await panel.request('GET', '/api/system/history', { as: 'reseller' })).status).toBe(403);
    const bad = await panel.request('GET', '/api/system/history?hours=25');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/hours/);
  });

  it('lists processes with names and owners (this test process among them), never command lines', async () => {
    const res = await panel.request('GET', '/api/system/processes');
    expect(res.status).toBe(200);
    expect(res.body.data.count).toBeGreaterThan(0);
    const all = await import('./processes.js').then((m) => m.topProcesses(100_000, 50));
    const me = all.processes.find((p) => p.pid === process.pid);
    expect(me).toMatchObject({ user: expect.any(String), state: expect.any(String), threads: expect.any(Number) });
    expect(me!.memory_mb).toBeGreaterThan(0);
    expect(Object.keys(res.body.data.processes[0]).sort()).toEqual([
      'cpu_percent',
      'memory_mb',
      'name',
      'pid',
      'state',
      'threads',
      'user',
    ]);
    expect((await panel.request('GET', '/api/system/processes', { as: 'user' })).status).toBe(403);
  });

  it('keeps the existing routes as they were', async () => {
    const info = await panel.request('GET', '/api/system/info', { as: 'user' });
    expect(info.status).toBe(200);
    expect(info.body.data).toHaveProperty('hostname');
    const stats = await panel.request('GET', '/api/system/stats');
    expect(stats.body.data).toHaveProperty('accounts.count');
  });
});
