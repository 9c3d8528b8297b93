// The migrations that bind archives to accounts, on every store the panel runs on: existing
// accounts each get their own identity (unique), and archives of scheduled runs get the account
// id the run recorded.
import knexFactory, { type Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations as accountMigrations } from '../../plugins/accounts/migrations.js';
import { migrations as backupMigrations } from '../../plugins/backups/migrations.js';
import { useServices } from '../bed/index.js';

const bed = useServices('mariadb', 'postgres');
const name = `vp_ident_${randomBytes(4).toString('hex')}`;

interface Store {
  name: string;
  open: () => Promise<Knex>;
  drop: () => Promise<void>;
}

const once = async (k: Knex, sql: string) => {
  try {
    await k.raw(sql);
  } finally {
    await k.destroy();
  }
};
const stores: Store[] = [
  {
    name: 'sqlite',
    open: async () =>
      knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true }),
    drop: async () => undefined,
  },
  ...(bed.skip
    ? []
    : [
        {
          name: 'postgresql',
          open: async () => {
            await once(knexFactory({ client: 'pg', connection: bed.postgres.adminUrl }), `CREATE DATABASE ${name}`);
            return knexFactory({ client: 'pg', connection: bed.postgres.adminUrl.replace(/\/[^/]*$/, `/${name}`) });
          },
          drop: () =>
            once(knexFactory({ client: 'pg', connection: bed.postgres.adminUrl }), `DROP DATABASE IF EXISTS ${name}`),
        },
        {
          name: 'mariadb',
          open: async () => {
            const conn = {
              host: '127.0.0.1',
              port: bed.mariadb.port,
              user: bed.mariadb.adminUser,
              password: bed.mariadb.adminPassword,
            };
            await once(knexFactory({ client: 'mysql2', connection: conn }), `CREATE DATABASE ${name}`);
            return knexFactory({ client: 'mysql2', connection: { ...conn, database: name } });
          },
          drop: () =>
            once(
              knexFactory({
                client: 'mysql2',
                connection: {
                  host: '127.0.0.1',
                  port: bed.mariadb.port,
                  user: bed.mariadb.adminUser,
                  password: bed.mariadb.adminPassword,
                },
              }),
              `DROP DATABASE IF EXISTS ${name}`,
            ),
        },
      ]),
];

for (const store of stores) {
  describe(`identity migrations on ${store.name}`, () => {
    let db: Knex;
    afterAll(async () => {
      await db?.destroy();
      await store.drop();
    });

    it('gives every existing account its own identity, and no two the same', async () => {
      db = await store.open();
      const table = (n: string) => `accounts_${n}`;
      const before = accountMigrations.filter((m) => m.name < '003');
      for (const m of before) await m.up(db, table);
      const row = (username: string) => ({
        username,
        primary_domain: `${username}.test`,
        email: `${username}@x.test`,
        plan: 'free',
        status: 'active',
        home_dir: `/home/${username}`,
        disk_quota_mb: 0,
        bandwidth_quota_mb: 0,
        created_at: '2026-01-01 00:00:00',
        updated_at: '2026-01-01 00:00:00',
      });
      await db(table('accounts')).insert([row('ann'), row('bob'), row('cyd')]);
      for (const m of accountMigrations.slice(before.length)) await m.up(db, table);
      const ids = (await db(table('accounts')).select('identity')).map((r) => r.identity);
      expect(ids).toHaveLength(3);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(new Set(ids).size).toBe(3);
      await expect(db(table('accounts')).insert({ ...row('dan'), identity: ids[0] })).rejects.toThrow(
        /unique|duplicate/i,
      );
    });

    it('records who made the archives of scheduled runs made before archives had owners', async () => {
      const t = (n: string) => `backups_${n}`;
      await backupMigrations[0]!.up(db, t);
      const schedule = {
        frequency: 'daily',
        time: '03:00',
        target: 'offsite',
        keep_count: 1,
        keep_days: 0,
        enabled: true,
        created_at: '',
      };
      const [sid] = await db(t('schedules')).insert({ ...schedule, account_id: 2 }, ['id']);
      const scheduleId = typeof sid === 'object' ? sid.id : sid;
      const run = { schedule_id: scheduleId, job_id: null, started_at: '', finished_at: '2026-01-02T03:00:00.000Z' };
      await db(t('runs')).insert([
        { ...run, account_id: 2, state: 'succeeded', filename: 'bob-20260102-030000.tar.gz' },
        { ...run, account_id: 2, state: 'failed', filename: null },
        { ...run, schedule_id: 99, account_id: 3, state: 'succeeded', filename: 'ann-20260102-030000.tar.gz' },
      ]);
      for (const m of backupMigrations.slice(1)) await m.up(db, t);
      expect(await db(t('archives')).select()).toEqual([
        {
          target: 'offsite',
          filename: 'bob-20260102-030000.tar.gz',
          account_id: 2,
          identity: null,
          created_at: '2026-01-02T03:00:00.000Z',
        },
      ]);
    });
  });
}
