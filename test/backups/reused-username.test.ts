// Backups follow the account, not its username (issue 16, item 1): bob makes two backups and is
// deleted; a reseller creates a new bob. The new bob — its reseller, its own login — cannot list,
// delete, prune (schedule retention) or restore the old bob's archives; the admin still sees
// them under the deleted account. Real accounts plugin, so identities come from account creation.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

describe('a username reused after its account was deleted', () => {
  let panel: TestPanel;
  let dir: string;
  let oldId: number;
  let newId: number;
  let old: string[];
  let bobToken: string;
  const bob = { as: { token: '' } };
  const names = (res: { body: { data: { filename: string }[] } }) => res.body.data.map((b) => b.filename);

  beforeAll(async () => {
    panel = await startTestPanel({ plugins: ['accounts', 'domains', 'veloserve', 'backups', 'files'] });
    dir = path.join(panel.dataDir, 'backups');
    const made = await panel.request('POST', '/api/accounts', {
      body: { username: 'bob', domain: 'bob.test', email: 'bob@bob.test', password: 'OldBob12345!', plan: 'free' },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    oldId = made.body.data.id;
    old = [];
    for (let i = 0; i < 2; i++) {
      const b = await panel.request('POST', `/api/backups/accounts/${oldId}`);
      expect(b.status, JSON.stringify(b.body)).toBe(200);
      old.push(b.body.data.filename);
    }
    expect((await panel.request('DELETE', `/api/accounts/${oldId}`)).status).toBe(200);
    const again = await panel.request('POST', '/api/accounts', {
      as: 'reseller',
      body: {
        username: 'bob',
        domain: 'newbob.test',
        email: 'bob@newbob.test',
        password: 'NewBob12345!',
        plan: 'free',
      },
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    newId = again.body.data.id;
    expect(newId).not.toBe(oldId);
    bobToken = (
      await panel.request('POST', '/api/auth/login', {
        as: 'anon',
        body: { username: 'bob', password: 'NewBob12345!' },
      })
    ).body.data.token;
    bob.as.token = bobToken;
  }, 120_000);
  afterAll(async () => {
    await panel?.stop();
  });

  const stillThere = () => old.forEach((f) => expect(fs.existsSync(path.join(dir, f)), f).toBe(true));

  it('does not list the old archives to the new account, its reseller or the admin looking at it', async () => {
    for (const as of ['reseller', bob.as, 'admin'] as const) {
      const res = await panel.request('GET', `/api/backups/accounts/${newId}`, { as });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(names(res)).toEqual([]);
    }
  });

  it('lists them to the admin under the deleted account, with the account that made them', async () => {
    const res = await panel.request('GET', `/api/backups/accounts/${oldId}`);
    expect(res.status).toBe(200);
    expect(names(res).sort()).toEqual([...old].sort());
    expect(res.body.data.every((b: { account_id: number }) => b.account_id === oldId)).toBe(true);
    // The reseller never owned the old bob: the deleted account is not theirs to look at.
    expect([403, 404]).toContain(
      (await panel.request('GET', `/api/backups/accounts/${oldId}`, { as: 'reseller' })).status,
    );
  });

  it("keeps a deleted account's archives visible to the reseller who owned it", async () => {
    const carol = (
      await panel.request('POST', '/api/accounts', {
        as: 'reseller',
        body: { username: 'carol', domain: 'carol.test', email: 'c@carol.test', password: 'Carol12345!', plan: 'free' },
      })
    ).body.data;
    const made = await panel.request('POST', `/api/backups/accounts/${carol.id}`, { as: 'reseller' });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect((await panel.request('DELETE', `/api/accounts/${carol.id}`, { as: 'reseller' })).status).toBe(200);
    const res = await panel.request('GET', `/api/backups/accounts/${carol.id}`, { as: 'reseller' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(names(res)).toEqual([made.body.data.filename]);
  });

  it('does not let the new account delete them', async () => {
    for (const as of ['reseller', bob.as] as const) {
      const res = await panel.request('DELETE', `/api/backups/accounts/${newId}/${old[0]}`, { as });
      expect(res.status, JSON.stringify(res.body)).toBe(404);
    }
    stillThere();
  });

  it('does not let the new account restore them, and the admin only by asking', async () => {
    const page = await panel.request('POST', '/api/files/write', {
      body: { account_id: newId, path: '/public_html/index.html', content: 'new bob' },
    });
    expect(page.status).toBe(200);
    for (const as of ['reseller', bob.as] as const) {
      const res = await panel.request('POST', `/api/backups/accounts/${newId}/restore/${old[0]}`, { as });
      expect(res.status, JSON.stringify(res.body)).toBe(404);
      expect(
        (
          await panel.request('POST', `/api/backups/accounts/${newId}/restore/${old[0]}?allow_other_account=true`, {
            as,
          })
        ).status,
      ).toBe(403);
    }
    const admin = await panel.request('POST', `/api/backups/accounts/${newId}/restore/${old[0]}`);
    expect(admin.status, JSON.stringify(admin.body)).toBe(403);
    expect(admin.body.error).toMatch(
      new RegExp(`made by account ${oldId}, not account ${newId}.*allow_other_account=true`),
    );
    const read = await panel.request('GET', `/api/files/read?account_id=${newId}&path=/public_html/index.html`);
    expect(read.body.data.content).toBe('new bob');
  });

  it("never prunes them in the new account's schedule retention", async () => {
    const own = await panel.request('POST', `/api/backups/accounts/${newId}`, { as: 'reseller' });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    const s = await panel.request('POST', '/api/backups/schedules', {
      as: 'reseller',
      body: { account_id: newId, frequency: 'daily', time: '03:00', keep_count: 1, keep_days: 0 },
    });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    const run = await panel.request('POST', `/api/backups/schedules/${s.body.data.id}/run`, { as: 'reseller' });
    expect(run.body.data.runs, JSON.stringify(run.body)).toMatchObject([{ state: 'succeeded', error: null }]);
    const mine = names(await panel.request('GET', `/api/backups/accounts/${newId}`, bob));
    expect(mine).toEqual([run.body.data.runs[0].filename]);
    expect(fs.existsSync(path.join(dir, own.body.data.filename))).toBe(false);
    stillThere();
  });

  it('shows an archive nobody is known to have made (a pre-identity file of a reused name) to admins only', async () => {
    const legacy = 'bob-20200101-000000.tar.gz';
    fs.copyFileSync(path.join(dir, old[0]!), path.join(dir, legacy));
    expect(names(await panel.request('GET', `/api/backups/accounts/${newId}`, bob))).not.toContain(legacy);
    expect(names(await panel.request('GET', `/api/backups/accounts/${newId}`, { as: 'reseller' }))).not.toContain(
      legacy,
    );
    expect((await panel.request('DELETE', `/api/backups/accounts/${newId}/${legacy}`, bob)).status).toBe(404);
    const admin = await panel.request('GET', `/api/backups/accounts/${newId}`);
    expect(admin.body.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ filename: legacy, account_id: null })]),
    );
  });

  it('lets the admin restore the old account as itself, keeping its archives its own', async () => {
    // The name is taken by the new bob, so the old one comes back only after the new one goes.
    expect((await panel.request('DELETE', `/api/accounts/${newId}`)).status).toBe(200);
    const res = await panel.request('POST', `/api/backups/accounts/${oldId}/restore/${old[1]}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ account_created: true, status: 'complete' });
    const back = res.body.data.account_id;
    const listed = (await panel.request('GET', `/api/backups/accounts/${back}`)).body.data;
    expect(
      listed
        .filter((b: { account_id: number | null }) => b.account_id === oldId)
        .map((b: { filename: string }) => b.filename)
        .sort(),
    ).toEqual([...old].sort());
  });
});
