// Jobs, concurrency, listing, deletion, cleanup, deleted-account restore and access rules of
// the seed's backup endpoints (local target; stand-ins for the other plugins).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { standIns, type StandInState } from './stand-ins.js';
import { fillHome, snapshot } from './tree.js';

describe('backup operations', () => {
  let panel: TestPanel;
  let state: StandInState;
  let dir: string;

  beforeAll(async () => {
    const s = standIns();
    state = s.state;
    panel = await startTestPanel({ plugins: ['backups'], inline: s.plugins });
    fillHome(state.createAccount({ username: 'alice', reseller_id: 2 }).home_dir);
    fillHome(state.createAccount({ username: 'bob' }).home_dir);
    dir = path.join(panel.dataDir, 'backups');
  });
  afterAll(async () => {
    await panel?.stop();
  });

  it('serialises two backups of one account sent at once: both complete, distinct and verified', async () => {
    const [a, b] = await Promise.all([
      panel.request('POST', '/api/backups/accounts/1'),
      panel.request('POST', '/api/backups/accounts/1'),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.data.filename).not.toBe(b.body.data.filename);
    expect([a.body.data.verified, b.body.data.verified]).toEqual([true, true]);
    const jobs = await Promise.all([a, b].map((r) => panel.request('GET', `/api/jobs/${r.body.data.job_id}`)));
    const [first, second] = jobs.map((j) => j.body.data).sort((x, y) => x.finished_at.localeCompare(y.finished_at));
    expect(first.state).toBe('succeeded');
    expect(second.updated_at >= first.finished_at).toBe(true);
  });

  it('answers the job at once with ?async=true, progress in bytes, result when done', async () => {
    const res = await panel.request('POST', '/api/backups/accounts/2?async=true');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ kind: 'backup.create', target: 'account:2' });
    let job = res.body.data;
    for (let i = 0; i < 600 && !['succeeded', 'failed'].includes(job.state); i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await panel.request('GET', `/api/jobs/${job.id}`)).body.data;
    }
    expect(job.state).toBe('succeeded');
    expect(job.result.filename).toMatch(/^bob-\d{8}-\d{6}\.tar\.gz$/);
    expect(job.message).toMatch(/^\d+ of about \d+ bytes written|verifying/);
  });

  it('restores twice at once without a half-made home', async () => {
    const made = await panel.request('POST', '/api/backups/accounts/2');
    const home = state.accounts.get(2)!.home_dir;
    const before = snapshot(home);
    fs.writeFileSync(path.join(home, 'later.txt'), 'x');
    const url = `/api/backups/accounts/2/restore/${made.body.data.filename}`;
    const [r1, r2] = await Promise.all([panel.request('POST', url), panel.request('POST', url)]);
    expect([r1.body.data?.status, r2.body.data?.status]).toEqual(['complete', 'complete']);
    expect(snapshot(home)).toEqual(before);
  });

  it('lists newest first, deletes, and refuses names of other accounts', async () => {
    const list = await panel.request('GET', '/api/backups/accounts/1');
    expect(list.body.data.length).toBeGreaterThanOrEqual(2);
    expect(list.body.data[0].created_at >= list.body.data[1].created_at).toBe(true);
    const name = list.body.data[0].filename;
    expect(await panel.request('DELETE', `/api/backups/accounts/1/${name}`)).toMatchObject({
      status: 200,
      body: { data: { filename: name, deleted_from: ['local'] } },
    });
    expect((await panel.request('DELETE', `/api/backups/accounts/1/${name}`)).status).toBe(404);
    const bobs = (await panel.request('GET', '/api/backups/accounts/2')).body.data[0].filename;
    expect((await panel.request('DELETE', `/api/backups/accounts/1/${bobs}`)).body.error).toMatch(
      /filename: .* is not a backup of account alice/,
    );
    for (const bad of ['..%2F..%2Fetc%2Fpasswd', 'alice-2026.tar.gz', 'alice-20260101-000000.tar.gz%00'])
      expect((await panel.request('DELETE', `/api/backups/accounts/1/${bad}`)).status).toBe(400);
  });

  it('keeps tenants apart', async () => {
    expect((await panel.request('GET', '/api/backups/accounts/2', { as: 'user' })).status).toBe(403);
    expect((await panel.request('POST', '/api/backups/accounts/2', { as: 'reseller' })).status).toBe(403);
    expect((await panel.request('GET', '/api/backups/accounts/1', { as: 'user' })).status).toBe(200);
    expect((await panel.request('GET', '/api/backups/accounts/1', { as: 'anon' })).status).toBe(401);
    expect((await panel.request('POST', '/api/backups/cleanup', { as: 'reseller' })).status).toBe(403);
    expect((await panel.request('POST', '/api/backups/accounts/1', { body: { target: '../etc' } })).status).toBe(400);
    expect((await panel.request('POST', '/api/backups/accounts/1', { body: { target: 'nope' } })).status).toBe(404);
  });

  it('cleans up backups older than retention_days (default 30) and nothing else', async () => {
    const made = (await panel.request('POST', '/api/backups/accounts/1')).body.data.filename;
    for (const old of ['alice-20200101-000000.tar.gz', 'bob-20210615-120000.tar.gz'])
      fs.copyFileSync(path.join(dir, made), path.join(dir, old));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a backup');
    expect((await panel.request('POST', '/api/backups/cleanup', { body: { retention_days: 0 } })).body.error).toMatch(
      /retention_days: must be a whole number/,
    );
    expect((await panel.request('POST', '/api/backups/cleanup', { body: { retention_days: 'x' } })).status).toBe(400);
    const res = await panel.request('POST', '/api/backups/cleanup');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ retention_days: 30, deleted: 2, errors: [] });
    expect(res.body.data.files.map((f: { filename: string }) => f.filename).sort()).toEqual([
      'alice-20200101-000000.tar.gz',
      'bob-20210615-120000.tar.gz',
    ]);
    expect(fs.existsSync(path.join(dir, made))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'notes.txt'))).toBe(true);
  });

  it('recreates a deleted account from its backup, within the account limit', async () => {
    const made = (await panel.request('POST', '/api/backups/accounts/2')).body.data.filename;
    const before = snapshot(state.accounts.get(2)!.home_dir);
    await state
      .ctx()
      .services.get((await import('../../sdk/index.js')).accountProvisioner)
      .remove(2);
    expect(
      (await panel.request('GET', '/api/backups/accounts/2')).body.data.map((b: { filename: string }) => b.filename),
    ).toContain(made);
    expect((await panel.request('POST', `/api/backups/accounts/2/restore/${made}`, { as: 'user' })).status).toBe(403);
    const full = state.maxAccounts;
    state.maxAccounts = state.accounts.size;
    const limited = await panel.request('POST', `/api/backups/accounts/2/restore/${made}`);
    expect(limited.status).toBe(403);
    expect(limited.body.error).toMatch(/^Account limit reached \(\d+\/\d+\)\. Upgrade your license for more\.$/);
    state.maxAccounts = full;
    const res = await panel.request('POST', `/api/backups/accounts/2/restore/${made}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ account_created: true, status: 'complete' });
    const account = state.accounts.get(res.body.data.account_id)!;
    expect(account.username).toBe('bob');
    expect(snapshot(account.home_dir)).toEqual(before);
  });
});
