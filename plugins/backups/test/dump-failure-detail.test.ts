// Issue 16, item 10: a database dump or load that fails because MariaDB's socket is gone tells
// the account's user and its reseller what failed, never the socket path the tool printed (not in
// the answer, not in the job, not in a restore report); an admin reads the tool's own words, in
// the answer and as the job's `error_detail`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAccount, startTestPanel, type TestAccount, type TestPanel } from '../../../sdk/testing/index.js';
import { useServices } from '../../../test/bed/index.js';

const bed = useServices('mariadb');

describe.skipIf(bed.skip)('a backup whose database dump fails', () => {
  let panel: TestPanel;
  let dir: string;
  let socket: string;
  let accountId: number;
  let archive: string;
  let user: TestAccount['user'];
  const jobOf = async (id: string, as: 'admin' | 'reseller' | TestAccount['user']) =>
    (await panel.request('GET', `/api/jobs/${id}`, { as })).body.data;

  beforeAll(async () => {
    // The engine reaches the bed's MariaDB through a link of its own: removing the link takes the socket away.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-socket-dir-'));
    socket = path.join(dir, 'mysqld.sock');
    fs.symlinkSync(bed.mariadb.socket, socket);
    panel = await startTestPanel({
      plugins: ['accounts', 'domains', 'veloserve', 'backups', 'files', 'databases', 'mysql'],
      config: { plugins: { mysql: { socket, host: '', user: 'root' } } },
    });
    ({ id: accountId, user } = await createTestAccount(panel, 'sockgone'));
    const db = await panel.request('POST', '/api/databases', {
      body: { account_id: accountId, db_name: 'shop', db_password: 'Shop-pass-1234', engine: 'mariadb' },
    });
    expect(db.status, JSON.stringify(db.body)).toBe(200);
    const good = await panel.request('POST', `/api/backups/accounts/${accountId}`, { as: user, body: {} });
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    archive = good.body.data.filename;
    fs.rmSync(socket);
  }, 60_000);
  afterAll(async () => {
    await panel?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('tells the user and the reseller which dump failed, and an admin why', async () => {
    for (const as of [user, 'reseller'] as const) {
      const res = await panel.request('POST', `/api/backups/accounts/${accountId}`, { as, body: {} });
      expect(res.status, JSON.stringify(res.body)).toBe(502);
      expect(res.body.error).toBe('Dump of database sockgone_shop (MariaDB) failed: mariadb-dump failed (exit 2)');
      const listed = await panel.request('GET', '/api/jobs', { as });
      const job = await jobOf(listed.body.data[0].id, as);
      expect(job).toMatchObject({ kind: 'backup.create', state: 'failed', error: res.body.error });
      expect(job).not.toHaveProperty('error_detail');
      for (const shown of [res.body, job, listed.body]) expect(JSON.stringify(shown)).not.toContain(dir);
      // the admin reads the same job with the tool's own words
      const seen = await jobOf(job.id, 'admin');
      expect(seen.error).toBe(job.error);
      expect(seen.error_detail).toContain(`Can't connect to local server through socket '${socket}'`);
      expect(
        (await panel.request('GET', '/api/jobs')).body.data.find((j: { id: string }) => j.id === job.id).error_detail,
      ).toBe(seen.error_detail);
    }
    const admin = await panel.request('POST', `/api/backups/accounts/${accountId}`, { body: {} });
    expect(admin.body.error).toMatch(
      /^Dump of database sockgone_shop \(MariaDB\) failed: mariadb-dump failed \(exit 2\): mariadb-dump: Got error: 2002/,
    );
    expect(admin.body.error).toContain(socket);
  });

  it("reports a restore's failed database load to the user and the reseller without the socket", async () => {
    for (const as of [user, 'reseller'] as const) {
      const res = await panel.request('POST', `/api/backups/accounts/${accountId}/restore/${archive}`, { as });
      expect(JSON.stringify(res.body)).not.toContain(dir);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.data.items.find((i: { item: string }) => i.item === 'database:sockgone_shop')).toMatchObject({
        status: 'failed',
        error: 'mariadb failed (exit 1)',
      });
    }
  });

  it('streams the job to the user without the detail, to an admin with it', async () => {
    const res = await panel.request('POST', `/api/backups/accounts/${accountId}?async=true`, { as: user, body: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const events = async (token?: string) => {
      const r = await fetch(`${panel.url}/api/jobs/${res.body.data.id}/events`, {
        headers: { authorization: `Bearer ${token ?? panel.tokens.admin}` },
      });
      return r.text();
    };
    const asUser = await events(user.token);
    expect(asUser).toContain('event: end');
    expect(asUser).toContain('"state":"failed"');
    expect(asUser).not.toContain(dir);
    expect(asUser).not.toContain('error_detail');
    expect(await events()).toContain(`socket '${socket}'`);
  });
});
