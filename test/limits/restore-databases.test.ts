// A restore brings back an account's databases through the databases plugin, under its plan's
// max_databases (the bed's real MariaDB): a backup holding more databases than the plan now
// allows restores those that fit and reports the others as failed items with the seed-style
// 403, creating nothing on the server for them; files and the other items are restored.
import { writeFileSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServices } from '../bed/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

const bed = useServices('mariadb');

describe.skipIf(bed.skip)("a restore's databases stay within the plan's max_databases", () => {
  let h: HostingPanel;
  let a: any;
  let planId: number;
  let filename: string;
  type Item = { item: string; status: string; error?: string };
  const expectOneRestored = (items: Item[]) => {
    const dbs = items.filter((i) => i.item.startsWith('database:'));
    expect(dbs.filter((i) => i.status === 'restored')).toHaveLength(1);
    const refused = dbs.filter((i) => i.status === 'failed');
    expect(refused).toHaveLength(2);
    for (const r of refused)
      expect(r.error).toBe("Plan database limit reached (1/1). Upgrade the account's plan for more.");
  };
  const req = (method: string, p: string, body?: unknown) => h.panel.request(method, p, { body });
  const onServer = async (like: string) => {
    const conn = await mysql.createConnection({ socketPath: bed.mariadb.socket, user: bed.mariadb.rootUser });
    try {
      const [rows] = await conn.query('SHOW DATABASES LIKE ?', [like]);
      return (rows as Record<string, string>[]).map((r) => Object.values(r)[0]).sort();
    } finally {
      await conn.end();
    }
  };

  beforeAll(async () => {
    h = await startHostingPanel({
      engine: 'veloserve',
      extra: ['databases', 'mysql', 'backups'],
      plugins: { mysql: { socket: bed.mariadb.socket, user: bed.mariadb.rootUser } },
    });
    planId = (
      await req('POST', '/api/plans', { name: 'dbs', disk_quota_mb: 100, bandwidth_quota_mb: 100, max_databases: 3 })
    ).body.data.id;
    a = (await req('POST', '/api/accounts', accountBody({ plan: 'dbs' }))).body.data;
  });
  afterAll(async () => {
    if (a) await req('DELETE', `/api/accounts/${a.id}`);
    await h?.stop();
  });

  it('restores the databases that fit and reports the rest as failed items, making none of them', async () => {
    for (const name of ['one', 'two', 'three']) {
      const made = await req('POST', '/api/databases', {
        account_id: a.id,
        db_name: name,
        db_password: 'Db-pass-1234',
        engine: 'mysql',
      });
      expect(made.status, JSON.stringify(made.body)).toBe(200);
    }
    writeFileSync(path.join(a.home_dir, 'public_html', 'kept.txt'), 'from the backup\n');
    const backup = await req('POST', `/api/backups/accounts/${a.id}`);
    expect(backup.status, JSON.stringify(backup.body)).toBe(200);
    for (const name of ['one', 'two', 'three'])
      expect((await req('DELETE', `/api/databases/${a.id}/${a.username}_${name}`)).status).toBe(200);
    rmSync(path.join(a.home_dir, 'public_html', 'kept.txt'));
    expect((await req('PATCH', `/api/plans/${planId}`, { max_databases: 1 })).status).toBe(200);

    filename = backup.body.data.filename;
    const res = await req('POST', `/api/backups/accounts/${a.id}/restore/${filename}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const report = res.body.data;
    expect(report.status).toBe('partial');
    expectOneRestored(report.items);
    expect(report.items.find((i: Item) => i.item === 'files')?.status).toBe('restored');
    expect(readFileSync(path.join(a.home_dir, 'public_html', 'kept.txt'), 'utf8')).toBe('from the backup\n');
    expect(await onServer(`${a.username}\\_%`)).toHaveLength(1);
    expect((await req('GET', `/api/databases/${a.id}`)).body.data).toHaveLength(1);
  });

  it('does the same when the restore recreates the deleted account', async () => {
    expect((await req('DELETE', `/api/accounts/${a.id}`)).status).toBe(200);
    expect(await onServer(`${a.username}\\_%`)).toEqual([]);
    const res = await req('POST', `/api/backups/accounts/${a.id}/restore/${filename}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.status).toBe('partial');
    expectOneRestored(res.body.data.items);
    expect(await onServer(`${a.username}\\_%`)).toHaveLength(1);
    const back = (await req('GET', '/api/accounts')).body.data.find((x: any) => x.username === a.username);
    expect(back).toMatchObject({ plan: 'dbs' });
    a = back;
  });
});
