// Two API nodes started at the same moment on a fresh store (issue 24, two nodes): migrations run
// once, under a lock the store holds for both, so neither node fails creating a table the other
// just made nor disables a plugin whose migration "failed" that way.
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';

const bed = useServices('postgres', 'mariadb');
const PLUGINS = ['accounts', 'domains', 'veloserve', 'databases', 'backups', 'files', 'php', 'ssl', 'dns', 'access'];

async function once(config: Knex.Config, sql: string): Promise<void> {
  const k = knexFactory(config);
  await k.raw(sql).finally(() => k.destroy());
}

describe.skipIf(bed.skip)('two nodes starting at once on a fresh store', () => {
  const panels: TestPanel[] = [];
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const p of panels) await p.stop().catch(() => undefined);
    for (const d of drops) await d().catch(() => undefined);
  });

  const stores = bed.skip
    ? []
    : [
        (db: string) => {
          const admin = { client: 'pg', connection: bed.postgres.adminUrl };
          drops.push(() => once(admin, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
          return {
            name: 'PostgreSQL',
            create: () => once(admin, `CREATE DATABASE ${db}`),
            url: bed.postgres.adminUrl.replace(/\/[^/]*$/, `/${db}`),
          };
        },
        (db: string) => {
          const m = bed.mariadb;
          const admin = {
            client: 'mysql2',
            connection: { host: '127.0.0.1', port: m.port, user: m.adminUser, password: m.adminPassword },
          };
          drops.push(() => once(admin, `DROP DATABASE IF EXISTS ${db}`));
          return {
            name: 'MariaDB',
            create: () => once(admin, `CREATE DATABASE ${db}`),
            url: `mysql://${encodeURIComponent(m.adminUser)}:${encodeURIComponent(m.adminPassword)}@127.0.0.1:${m.port}/${db}`,
          };
        },
      ];

  for (const make of stores) {
    const store = make(`vp_start_${randomBytes(4).toString('hex')}`);
    it(`${store.name}: both nodes come up with every plugin migrated once`, async () => {
      await store.create();
      const config = { jwt_secret: randomBytes(32).toString('hex') };
      const started = await Promise.allSettled(
        [0, 1].map(() => startTestPanel({ databaseUrl: store.url, config, plugins: PLUGINS })),
      );
      for (const s of started) if (s.status === 'fulfilled') panels.push(s.value);
      expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'up'))).toEqual(['up', 'up']);
      for (const p of panels.slice(-2)) {
        const list = (await p.request('GET', '/api/plugins')).body.data as {
          id: string;
          state: string;
          reason: string | null;
        }[];
        const broken = list.filter((x) => PLUGINS.includes(x.id) && /migration|exists|duplicate/i.test(x.reason ?? ''));
        expect(broken).toEqual([]);
      }
    }, 120_000);
  }
});
