import knexFactory from 'knex';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, errors, type Migration, type PluginContext } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';

const bed = useServices('mariadb', 'postgres');

const migrations: Migration[] = [
  {
    name: '001_items',
    up: (db, t) =>
      db.schema.createTable(t('items'), (c) => {
        c.increments('id');
        c.string('name', 64).notNullable().unique();
      }),
  },
  {
    name: '002_items_note',
    up: (db, t) =>
      db.schema.alterTable(t('items'), (c) => {
        c.text('note');
      }),
  },
];

let ctxRef: PluginContext;
const repo = definePlugin({
  manifest: { id: 'store-probe', version: '1.0.0', sdk: '^1.0.0' },
  migrations,
  start(ctx) {
    ctxRef = ctx;
  },
});

/** Insert unless the limit is reached: the check and the insert share one locked transaction. */
async function reserve(ctx: PluginContext, name: string, limit: number): Promise<number> {
  return ctx.db.withLock('items-limit', async (trx) => {
    const { n } = (await trx(ctx.db.table('items')).count({ n: '*' }).first()) as { n: number | string };
    if (Number(n) >= limit) throw errors.limitReached(`Item limit reached (${n}/${limit}).`);
    const [row] = await trx(ctx.db.table('items')).insert({ name }, ['id']);
    return typeof row === 'object' ? row.id : row;
  });
}

type Store = { name: string; url: () => Promise<string>; drop: () => Promise<void> };

function stores(): Store[] {
  const suffix = randomBytes(4).toString('hex');
  const sqliteFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'vp-matrix-')), 'panel.sqlite');
  const pgDb = `vp_matrix_${suffix}`;
  const myDb = `vp_matrix_${suffix}`;
  const pgAdmin = () => knexFactory({ client: 'pg', connection: bed.postgres.adminUrl });
  const myAdmin = () =>
    knexFactory({
      client: 'mysql2',
      connection: {
        host: '127.0.0.1',
        port: bed.mariadb.port,
        user: bed.mariadb.adminUser,
        password: bed.mariadb.adminPassword,
      },
    });
  const once = async (make: () => ReturnType<typeof pgAdmin>, sql: string) => {
    const k = make();
    try {
      await k.raw(sql);
    } finally {
      await k.destroy();
    }
  };
  const pgUrl = () => bed.postgres.adminUrl.replace(/\/[^/]*$/, `/${pgDb}`);
  const myUrl = () =>
    `mysql://${encodeURIComponent(bed.mariadb.adminUser)}:${encodeURIComponent(bed.mariadb.adminPassword)}@127.0.0.1:${bed.mariadb.port}/${myDb}`;
  return [
    {
      name: 'sqlite',
      url: async () => `sqlite:${sqliteFile}`,
      drop: async () => rmSync(path.dirname(sqliteFile), { recursive: true, force: true }),
    },
    {
      name: 'postgresql',
      url: async () => {
        await once(pgAdmin, `CREATE DATABASE ${pgDb}`);
        return pgUrl();
      },
      drop: () => once(pgAdmin, `DROP DATABASE IF EXISTS ${pgDb}`),
    },
    {
      name: 'mariadb',
      url: async () => {
        await once(myAdmin, `CREATE DATABASE ${myDb}`);
        return myUrl();
      },
      drop: () => once(myAdmin, `DROP DATABASE IF EXISTS ${myDb}`),
    },
  ];
}

describe.skipIf(bed.skip)('kernel store matrix', () => {
  for (const store of bed.skip ? [] : stores()) {
    describe(store.name, () => {
      let panel: TestPanel;
      let url: string;
      beforeAll(async () => {
        url = await store.url();
        panel = await startTestPanel({ inline: [repo], databaseUrl: url });
      }, 60_000);
      afterAll(async () => {
        await panel?.stop();
        await store.drop();
      });

      it('runs plugin migrations into prefixed tables and records them', async () => {
        const k = panel.kernel.knex;
        expect(await k.schema.hasTable('store_probe_items')).toBe(true);
        expect(await k.schema.hasColumn('store_probe_items', 'note')).toBe(true);
        expect((await k('store_probe_migrations').select('name').orderBy('name')).map((r) => r.name)).toEqual([
          '001_items',
          '002_items_note',
        ]);
        expect(await k.schema.hasTable('core_jobs')).toBe(true);
      });

      it('holds a limit under 20 concurrent check-and-insert attempts', async () => {
        const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => reserve(ctxRef, `item-${i}`, 5)));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
        expect(
          results
            .filter((r) => r.status === 'rejected')
            .every((r) => (r as PromiseRejectedResult).reason.code === 'LIMIT_REACHED'),
        ).toBe(true);
        expect(Number((await panel.kernel.knex('store_probe_items').count({ n: '*' }).first())!.n)).toBe(5);
      });

      it('persists jobs in the store', async () => {
        const job = await ctxRef.jobs.start({ kind: 'matrix' }, async (h) => {
          h.progress(40);
          return { store: store.name };
        });
        await ctxRef.jobs.wait(job.id);
        const row = await panel.kernel.knex('core_jobs').where({ id: job.id }).first();
        expect(row.state).toBe('succeeded');
        expect(JSON.parse(row.result)).toEqual({ store: store.name });
      });

      it('disables a plugin whose tables are ahead of the code', async () => {
        await panel.kernel
          .knex('store_probe_migrations')
          .insert({ name: '999_from_the_future', run_at: new Date().toISOString() });
        const again = await startTestPanel({ inline: [repo], databaseUrl: url });
        try {
          const res = await again.request('GET', '/api/plugins');
          const probe = res.body.data.find((p: { id: string }) => p.id === 'store-probe');
          expect(probe).toMatchObject({
            state: 'disabled',
            reason: 'database is ahead of the code (unknown migrations: 999_from_the_future)',
          });
        } finally {
          await again.stop();
        }
      });
    });
  }
});
