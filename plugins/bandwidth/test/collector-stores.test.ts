// The bandwidth collector over each store the panel supports (SQLite, PostgreSQL, MariaDB): bytes
// per account, one count per line across a crash between reading and saving, across a new
// collector on the same store (a restart), and when another node advanced a log first.
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectOnce, type CollectorDeps } from '../collector.js';
import { periodOf } from '../log-reader.js';
import { migrations } from '../migrations.js';
import { BandwidthStore, StalePosition } from '../store.js';
import type { AccessLogFile, Logger, PluginDatabase } from '../../../sdk/index.js';
import { testPluginDatabase } from '../../../sdk/testing/index.js';
import { useServices } from '../../../test/bed/index.js';

const bed = useServices('mariadb', 'postgres');

const now = Math.floor(Date.now() / 1000);
const period = periodOf(now * 1000);
const line = (bytes: number) => `${now}.000 ${bytes} 200 x.test\n`;
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

type Client = PluginDatabase['client'];

/** A fresh database per store: SQLite in memory, a new PostgreSQL and MariaDB database from the bed. */
function stores(): { client: Client; open(): Promise<Knex>; drop(): Promise<void> }[] {
  const name = `vp_bw_${randomBytes(4).toString('hex')}`;
  const my = {
    host: '127.0.0.1',
    port: () => bed.mariadb.port,
    user: () => bed.mariadb.adminUser,
    password: () => bed.mariadb.adminPassword,
  };
  const connect = (client: 'pg' | 'mysql', database?: string) =>
    client === 'pg'
      ? knex({
          client: 'pg',
          connection: database ? bed.postgres.adminUrl.replace(/\/[^/]*$/, `/${database}`) : bed.postgres.adminUrl,
        })
      : knex({
          client: 'mysql2',
          connection: {
            host: my.host,
            port: my.port(),
            user: my.user(),
            password: my.password(),
            ...(database ? { database } : {}),
          },
        });
  const once = async (client: 'pg' | 'mysql', sql: string) => {
    const k = connect(client);
    try {
      await k.raw(sql);
    } finally {
      await k.destroy();
    }
  };
  const server = (client: 'pg' | 'mysql') => ({
    client,
    open: async () => {
      await once(client, `DROP DATABASE IF EXISTS ${name}`);
      await once(client, `CREATE DATABASE ${name}`);
      return connect(client, name);
    },
    drop: () => once(client, `DROP DATABASE IF EXISTS ${name}`),
  });
  return [
    {
      client: 'sqlite',
      open: async () =>
        knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true }),
      drop: async () => undefined,
    },
    server('pg'),
    server('mysql'),
  ];
}

describe.skipIf(bed.skip)('bandwidth collector', () => {
  for (const s of bed.skip ? [] : stores())
    describe(s.client, () => {
      let db: Knex;
      let pdb: PluginDatabase;
      let dir: string;
      let store: BandwidthStore;
      let files: AccessLogFile[];
      const deps = (extra: Partial<CollectorDeps> = {}): CollectorDeps => ({
        store,
        logger: quiet,
        logs: async () => files,
        accountIds: async () => new Set([1, 2]),
        ...extra,
      });
      afterAll(() => s.drop());

      beforeEach(async () => {
        db = await s.open();
        pdb = await testPluginDatabase(db, 'bandwidth');
        for (const m of migrations) await m.up(db, pdb.table);
        store = new BandwidthStore(pdb);
        dir = mkdtempSync(path.join(os.tmpdir(), 'bw-collector-'));
        files = [
          { path: path.join(dir, '1_a.test.log'), accountId: 1, domain: 'a.test' },
          { path: path.join(dir, '1_b.test.log'), accountId: 1, domain: 'b.test' },
          { path: path.join(dir, '2_c.test.log'), accountId: 2, domain: 'c.test' },
          { path: path.join(dir, '9_gone.test.log'), accountId: 9, domain: 'gone.test' },
        ];
        for (const [i, f] of files.entries()) writeFileSync(f.path, line(100 * (i + 1)));
      });
      afterEach(async () => {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      });

      it('adds bytes per account and month; an unknown account is not kept', async () => {
        const report = await collectOnce(deps());
        expect(Object.fromEntries(await store.usage(period))).toEqual({ 1: 300, 2: 300 });
        expect(report).toMatchObject({ logs: 4, bytes: 600 });
      });

      it('counts nothing twice when the process dies between reading and saving', async () => {
        await collectOnce(deps());
        appendFileSync(files[0]!.path, line(5));
        appendFileSync(files[2]!.path, line(7));
        let saves = 0;
        await expect(
          collectOnce(
            deps({
              beforeCommit: () => {
                if (++saves === 2) throw new Error('crash');
              },
            }),
          ),
        ).rejects.toThrow('crash');
        // The first log's save committed; the second rolled back with its position.
        expect(Object.fromEntries(await store.usage(period))).toEqual({ 1: 305, 2: 300 });
        await collectOnce(deps());
        expect(Object.fromEntries(await store.usage(period))).toEqual({ 1: 305, 2: 307 });
      });

      it('a new collector over the same store (a restart) goes on where the last stopped', async () => {
        await collectOnce(deps());
        const again = new BandwidthStore(await testPluginDatabase(db, 'bandwidth'));
        expect((await collectOnce({ ...deps(), store: again })).bytes).toBe(0);
        appendFileSync(files[1]!.path, line(1));
        expect((await collectOnce({ ...deps(), store: again })).bytes).toBe(1);
        expect(Object.fromEntries(await store.usage(period))).toEqual({ 1: 301, 2: 300 });
      });

      it('skips a log another node advanced after this one read its position', async () => {
        const positions = await store.positions();
        expect(positions.size).toBe(0);
        await collectOnce(deps()); // the other node
        // This node read "no position" before: its save must not count the same lines again.
        await expect(
          store.save(
            { path: files[0]!.path, account_id: 1, domain: 'a.test' },
            null,
            { inode: '1', offset: 10 },
            new Map([[period, 100]]),
          ),
        ).rejects.toBeInstanceOf(StalePosition);
        expect(Object.fromEntries(await store.usage(period))).toEqual({ 1: 300, 2: 300 });
      });
    });
});
