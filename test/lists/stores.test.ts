// The list helper on every store the panel runs on (SQLite, PostgreSQL, MariaDB): case-insensitive
// search with `%`, `_` and `!` taken literally, sort, page and total in SQL — and the list-index
// migrations of the kernel and the accounts plugin apply on each.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountDirectory, definePlugin, listParams, listQuerySchema, pageOf, type ListSpec } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { scratchDatabase } from '../bed/helpers/scratch-db.js';
import { useServices } from '../bed/index.js';
import { insertAccounts } from './rows.js';

const bed = useServices('mariadb', 'postgres');
const SPEC: ListSpec = { sort: ['id', 'name'], search: ['name', 'note'], order: { column: 'id' } };

const probe = definePlugin({
  manifest: { id: 'list-probe', version: '1.0.0', sdk: '^1.0.0' },
  migrations: [
    {
      name: '001_items',
      up: (db, t) =>
        db.schema.createTable(t('items'), (c) => {
          c.increments('id');
          c.string('name', 64).notNullable();
          c.string('note', 64);
          c.integer('owner').notNullable();
        }),
    },
  ],
  start(ctx) {
    ctx.route({
      method: 'GET',
      path: '/api/list-probe',
      access: {},
      schema: { query: listQuerySchema(SPEC) },
      handler: (req) => {
        const scoped = ctx.db.knex(ctx.db.table('items')).where({ owner: 1 }).select('id', 'name');
        const p = listParams(req.query);
        return p ? pageOf(scoped, SPEC, p) : scoped.orderBy('id');
      },
    });
  },
});

const NAMES = ['Alpha%One', 'alpha_two', 'ALPHAthree', 'beta!four', 'Beta', 'gamma'];

describe.skipIf(bed.skip)('list paging on every store', () => {
  const sqliteDir = mkdtempSync(path.join(os.tmpdir(), 'vp-lists-'));
  const servers = {
    postgresql: scratchDatabase(bed, 'pg', 'vp_lists'),
    mariadb: scratchDatabase(bed, 'mysql', 'vp_lists'),
  };
  const urls: Record<string, () => Promise<string>> = {
    sqlite: async () => `sqlite:${path.join(sqliteDir, 'panel.sqlite')}`,
    ...Object.fromEntries(
      Object.entries(servers).map(([name, db]) => [
        name,
        async () => {
          await db.create();
          return db.url();
        },
      ]),
    ),
  };
  afterAll(async () => {
    rmSync(sqliteDir, { recursive: true, force: true });
    if (!bed.skip) for (const db of Object.values(servers)) await db.drop();
  });

  for (const [store, url] of Object.entries(urls)) {
    describe(store, () => {
      let panel: TestPanel;
      const get = async (q: string) => (await panel.request('GET', `/api/list-probe${q}`)).body;
      beforeAll(async () => {
        panel = await startTestPanel({ inline: [probe], plugins: ['accounts'], databaseUrl: await url() });
        await panel.kernel
          .knex('list_probe_items')
          .insert([
            ...NAMES.map((name, i) => ({ name, note: i === 5 ? 'Has 100% Coverage' : null, owner: 1 })),
            { name: 'alpha-hidden', note: null, owner: 2 },
          ]);
      }, 60_000);
      afterAll(async () => {
        await panel?.stop();
      });

      it('searches case-insensitively, taking % _ ! literally, and counts only the scoped rows', async () => {
        const names = async (q: string) =>
          (await get(`?q=${encodeURIComponent(q)}&sort=id`)).data.map((r: any) => r.name);
        expect(await names('alpha')).toEqual(['Alpha%One', 'alpha_two', 'ALPHAthree']);
        expect(await names('%')).toEqual(['Alpha%One', 'gamma']);
        expect(await names('A_T')).toEqual(['alpha_two']);
        expect(await names('!F')).toEqual(['beta!four']);
        expect(await names('100% c')).toEqual(['gamma']);
        expect((await get('?q=ALPHA')).total).toBe(3);
      });

      it('takes quotes, backslashes and SQL as plain text, and refuses control characters (PostgreSQL cannot store NUL) with a 400', async () => {
        await panel.kernel.knex('list_probe_items').insert([{ name: "o'neil \\ back", note: null, owner: 1 }]);
        const names = async (q: string) => (await get(`?q=${encodeURIComponent(q)}`)).data?.map((r: any) => r.name);
        expect(await names("' OR '1'='1")).toEqual([]);
        expect(await names("o'NEIL \\")).toEqual(["o'neil \\ back"]);
        expect(await names('\\')).toEqual(["o'neil \\ back"]);
        await panel.kernel.knex('list_probe_items').where({ name: "o'neil \\ back" }).delete();
        for (const q of ['\0', 'a\nb', '\x7f']) {
          const res = await panel.request('GET', `/api/list-probe?q=${encodeURIComponent(q)}`);
          expect({ status: res.status, error: res.body.error }).toEqual({
            status: 400,
            error: 'q: must be text of at most 200 characters, without control characters',
          });
        }
      });

      it('sorts, pages and totals in SQL; without parameters answers the plain list', async () => {
        expect(await get('')).toEqual({ ok: true, data: NAMES.map((name, i) => ({ id: i + 1, name })) });
        const page = await get('?sort=-id&limit=2&offset=1');
        expect(page).toEqual({
          ok: true,
          data: [
            { id: 5, name: 'Beta' },
            { id: 4, name: 'beta!four' },
          ],
          total: 6,
        });
        expect((await get('?offset=4')).data.map((r: any) => r.id)).toEqual([5, 6]);
      });

      it("pages by the accounts directory's id subquery (a reseller's accounts) in one query", async () => {
        const k = panel.kernel.knex;
        await insertAccounts(k, 6, { prefix: 'sub', resellerId: 2, everyNth: 2 });
        const ids = (await k('accounts_accounts').where({ reseller_id: 2 }).orderBy('id')).map((a: any) => a.id);
        // Items owned by account ids this time (the route's items are done with).
        await k('list_probe_items').delete();
        await k('list_probe_items').insert(
          [...ids, 2, 4].map((id: number) => ({ name: `of-${id}`, note: null, owner: id })),
        );
        const sub = panel.kernel.services.find(accountDirectory)!.idsQuery!({ resellerId: 2 });
        const page = await pageOf<any>(k('list_probe_items').whereIn('owner', sub), SPEC, {
          offset: 1,
          limit: 5,
          sort: { column: 'name', desc: false },
        });
        expect({ total: page.total, names: page.items.map((r) => r.name) }).toEqual({
          total: 3,
          names: ids
            .slice(1)
            .map((id: number) => `of-${id}`)
            .sort(),
        });
      });

      it('seeds the default plans and pages GET /api/plans, with the accounts on each, in SQL', async () => {
        const page = (await panel.request('GET', '/api/plans?sort=-name&limit=2&q=r')).body;
        expect({ total: page.total, names: page.data.map((p: any) => p.name) }).toEqual({
          total: 2,
          names: ['pro', 'free'],
        });
        expect(page.data[0].accounts).toBeGreaterThanOrEqual(0);
      });

      it('applies the list-index migrations of the kernel and the accounts plugin', async () => {
        const k = panel.kernel.knex;
        expect((await k('core_migrations').where({ name: '090_list_indexes' })).length).toBe(1);
        expect((await k('accounts_migrations').where({ name: '004_list_indexes' })).length).toBe(1);
      });
    });
  }
});
