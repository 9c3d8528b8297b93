// Around the API: deleting an account drops its databases through the `account.delete` hook (and
// is vetoed when one cannot be dropped), a third-party engine plugs into the extension point, an
// unreachable or misconfigured server is reported naming the engine, and a restart finishes a
// create that a crash interrupted.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountDatabases } from '../../sdk/index.js';
import type { TestPanel } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { serverState, startDatabasePanel } from './fixtures.js';
import { MemoryEngine, memoryEnginePlugin } from './memory-engine.js';

const bed = useServices('mariadb', 'postgres');

describe.skipIf(bed.skip)('database lifecycle around the API', () => {
  let panel: TestPanel;
  const mem = new MemoryEngine();
  let dir: string;
  const names = async (prefix: string) => {
    const state = await serverState(bed.mariadb, bed.postgres);
    return [...state.mariadb, ...state.postgres].filter((n) => n.includes(prefix));
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'velopanel-dblife-'));
    panel = await startDatabasePanel(bed.mariadb, bed.postgres, ['erin', 'frank'], {
      inline: [memoryEnginePlugin(mem)],
    });
  });
  afterAll(async () => {
    await panel?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes a third-party engine through the same API', async () => {
    const engines = (await panel.request('GET', '/api/databases/engines')).body.data;
    expect(engines).toContainEqual({ id: 'memdb', name: 'MemDB', version: '1.0-mem', available: true });
    const res = await panel.request('POST', '/api/databases', {
      body: { account_id: 1, db_name: 'cache', db_password: 'Mem-pass-123', engine: 'memdb' },
    });
    expect(res.body.data).toEqual({ engine: 'memdb', database: 'erin_cache', user: 'erin_cache', host: 'mem.local' });
    expect((await panel.request('GET', '/api/databases/1')).body.data).toEqual([
      { database: 'erin_cache', user: 'erin_cache', engine: 'memdb', size: 42, tables: 0 },
    ]);
  });

  it("tells other plugins an account's databases, and recreates one checked like the API", async () => {
    const service = panel.kernel.services.find(accountDatabases)!;
    expect(await service.forAccount(1)).toEqual([{ engine: 'memdb', database: 'erin_cache', user: 'erin_cache' }]);
    const made = await service.recreate(2, { engine: 'postgres', database: 'frank_restored', user: 'frank_restored' });
    expect(made).toEqual({ engine: 'postgresql', database: 'frank_restored', user: 'frank_restored' });
    expect(await names('frank_restored')).toContain('role:frank_restored');
    await expect(service.recreate(2, made)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(service.recreate(2, { ...made, database: 'erin_x' })).rejects.toThrow(
      'database: must be frank_<name>',
    );
    await expect(
      service.recreate(2, { ...made, database: 'frank_y' }, { password: 'a\nb-long-enough' }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('drops every database of a deleted account, on every engine', async () => {
    for (const engine of ['mysql', 'postgresql', 'memdb'])
      expect(
        (
          await panel.request('POST', '/api/databases', {
            body: { account_id: 2, db_name: `d_${engine}`, db_password: 'Frank-pass-1', engine },
          })
        ).status,
      ).toBe(200);
    expect(await names('frank')).not.toEqual([]);
    const del = await panel.request('DELETE', '/api/test-accounts/2');
    expect(del.status).toBe(200);
    expect(await names('frank')).toEqual([]);
    expect(mem.databases.has('frank_d_memdb')).toBe(false);
  });

  it('vetoes the account delete, naming the database, when a database cannot be dropped', async () => {
    mem.broken = true;
    const del = await panel.request('DELETE', '/api/test-accounts/1');
    const listed = await panel.request('GET', '/api/databases/1');
    mem.broken = false;
    expect(listed.body.data).toEqual([
      { database: 'erin_cache', user: 'erin_cache', engine: 'memdb', size: null, tables: null },
    ]);
    expect(del.status).toBe(409);
    expect(del.body.error).toBe(
      "Refused by plugin 'databases': could not drop database erin_cache: MemDB (memdb) is unreachable: switched off by the test",
    );
    expect((await panel.request('GET', '/api/databases/1')).body.data).toHaveLength(1);
    expect((await panel.request('DELETE', '/api/test-accounts/1')).status).toBe(200);
    expect(mem.databases.size).toBe(0);
  });

  it('names the engine when its server is unreachable or its password file is unsafe, and makes nothing', async () => {
    const loose = path.join(dir, 'loose.pass');
    writeFileSync(loose, 'x\n');
    chmodSync(loose, 0o644);
    for (const [mysql, message] of [
      [{ port: 1 }, 'MySQL (mysql) is unreachable: connect ECONNREFUSED 127.0.0.1:1'],
      [{ password_file: loose }, `must not be readable by group or others (chmod 600)`],
    ] as const) {
      const down = await startDatabasePanel(bed.mariadb, bed.postgres, ['gina', 'hank'], { mysql });
      try {
        const engines = (await down.request('GET', '/api/databases/engines')).body.data;
        expect(engines.find((e: { id: string }) => e.id === 'mysql')).toEqual({
          id: 'mysql',
          name: 'MySQL',
          version: null,
          available: false,
          error: expect.stringContaining(message),
        });
        expect(engines.find((e: { id: string }) => e.id === 'postgresql').available).toBe(true);
        const res = await down.request('POST', '/api/databases', {
          body: { account_id: 1, db_name: 'x', db_password: 'Gina-pass-12' },
        });
        expect(res.status).toBe(503);
        expect(res.body.error).toContain('MySQL (mysql) is unreachable');
        expect(res.body.error).toContain(message);
        expect((await down.request('GET', '/api/databases/1')).body.data).toEqual([]);
      } finally {
        await down.stop();
      }
    }
  });

  it('issue 16: tells non-admins what failed without naming the server socket; admins see it', async () => {
    const socket = '/run/velopanel-absent/mysqld.sock';
    const down = await startDatabasePanel(bed.mariadb, bed.postgres, ['ivan', 'jill'], { mysql: { host: '', socket } });
    try {
      const body = { account_id: 1, db_name: 'x', db_password: 'Ivan-pass-123' };
      for (const as of ['user', 'reseller'] as const) {
        const res = await down.request('POST', '/api/databases', { body, as });
        expect({ as, status: res.status, error: res.body.error }).toEqual({
          as,
          status: 503,
          error: 'MySQL (mysql) is unreachable',
        });
        const engines = (await down.request('GET', '/api/databases/engines', { as })).body.data;
        expect(engines.find((e: { id: string }) => e.id === 'mysql').error).toBe('MySQL (mysql) is unreachable');
      }
      const admin = await down.request('POST', '/api/databases', { body });
      expect(admin.status).toBe(503);
      expect(admin.body.error).toMatch(/^MySQL \(mysql\) is unreachable: .*\/run\/velopanel-absent\/mysqld\.sock/);
      const engines = (await down.request('GET', '/api/databases/engines')).body.data;
      expect(engines.find((e: { id: string }) => e.id === 'mysql').error).toContain(socket);
    } finally {
      await down.stop();
    }
  });

  it('refuses a bad config section at start, naming the key', async () => {
    const bad = await startDatabasePanel(bed.mariadb, bed.postgres, ['kim', 'lee'], { mysql: { port: 70000 } });
    try {
      const mysql = (await bad.request('GET', '/api/plugins')).body.data.find((p: { id: string }) => p.id === 'mysql');
      expect(mysql).toMatchObject({
        state: 'disabled',
        reason: 'misconfigured: plugins.mysql.port: must be a port number 1–65535',
      });
      expect((await bad.request('GET', '/api/databases/engines')).body.data.map((e: { id: string }) => e.id)).toEqual([
        'postgresql',
      ]);
    } finally {
      await bad.stop();
    }
  });

  it('drops, at the next start, a database whose create a crash interrupted', async () => {
    const databaseUrl = `sqlite://${path.join(dir, 'store.sqlite')}`;
    const first = await startDatabasePanel(bed.mariadb, bed.postgres, ['ivan', 'judy'], { databaseUrl });
    expect(
      (
        await first.request('POST', '/api/databases', {
          body: { account_id: 1, db_name: 'half', db_password: 'Ivan-pass-12' },
        })
      ).status,
    ).toBe(200);
    await first.stop();
    const store = knex({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'store.sqlite') },
      useNullAsDefault: true,
    });
    await store('databases_databases').where({ db_name: 'ivan_half' }).update({ state: 'creating' });
    await store.destroy();
    expect(await names('ivan')).not.toEqual([]);
    const second = await startDatabasePanel(bed.mariadb, bed.postgres, ['ivan', 'judy'], { databaseUrl });
    try {
      for (let i = 0; i < 200 && (await names('ivan')).length > 0; i++) await sleep(50);
      expect(await names('ivan')).toEqual([]);
      expect((await second.request('GET', '/api/databases/1')).body.data).toEqual([]);
    } finally {
      await second.stop();
    }
  });
});
