import knex from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from './migrations.js';

const db = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
const t = (n: string) => `backups_${n}`;
afterAll(() => db.destroy());

describe('backups migrations', () => {
  it('records who made the archives scheduled runs made before archives had owners', async () => {
    await migrations[0]!.up(db, t);
    const schedule = { frequency: 'daily', time: '03:00', target: 'offsite', keep_count: 1, keep_days: 0, enabled: true, created_at: '' };
    const [sid] = await db(t('schedules')).insert({ ...schedule, account_id: 2 });
    const run = { schedule_id: sid, job_id: null, started_at: '', finished_at: '2026-01-02T03:00:00.000Z' };
    await db(t('runs')).insert([
      { ...run, account_id: 2, state: 'succeeded', filename: 'bob-20260102-030000.tar.gz' },
      { ...run, account_id: 2, state: 'failed', filename: null },
      { ...run, schedule_id: 99, account_id: 3, state: 'succeeded', filename: 'ann-20260102-030000.tar.gz' },
    ]);
    await migrations[1]!.up(db, t);
    expect(await db(t('archives')).select()).toEqual([
      { target: 'offsite', filename: 'bob-20260102-030000.tar.gz', account_id: 2, identity: null, created_at: '2026-01-02T03:00:00.000Z' },
    ]);
  });
});
