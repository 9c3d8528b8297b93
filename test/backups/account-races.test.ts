// Races of account-level operations (issue 21, items 3–5), with the real accounts, domains,
// backups and files plugins in local mode. A pause point holds the backup (its walk begun) or
// the restore (about to extract) while the competing request goes in; the outcome is asserted,
// never how long anything took.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdAt } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

describe('account operations racing each other', () => {
  let panel: TestPanel;
  let n = 0;

  beforeAll(async () => {
    panel = await startTestPanel({ plugins: ['accounts', 'domains', 'veloserve', 'backups', 'files'] });
  }, 120_000);
  afterAll(async () => {
    await panel?.stop();
  });

  /** An account whose home holds enough incompressible files that its backup walk is still going when held. */
  async function account(files = 600): Promise<{ id: number; home: string }> {
    n++;
    const res = await panel.request('POST', '/api/accounts', {
      body: {
        username: `race${n}`,
        domain: `race${n}.test`,
        email: `r${n}@race.test`,
        password: 'RaceRace123!',
        plan: 'free',
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const home = res.body.data.home_dir as string;
    for (let d = 0; d < files / 100; d++) {
      mkdirSync(path.join(home, `d${d}`), { recursive: true });
      for (let f = 0; f < 100; f++) writeFileSync(path.join(home, `d${d}`, `f${f}.bin`), randomBytes(16 * 1024));
    }
    return { id: res.body.data.id, home };
  }

  const backupsDir = () => path.join(panel.dataDir, 'backups');
  const archivesOf = (username: string) =>
    existsSync(backupsDir()) ? readdirSync(backupsDir()).filter((f) => f.includes(username)) : [];
  const job = async (id: string) => (await panel.request('GET', `/api/jobs/${id}`)).body.data;
  async function settled(id: string) {
    for (;;) {
      const j = await job(id);
      if (!['queued', 'running'].includes(j.state)) return j;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('a delete during a backup stops it: the job fails saying why, no partial archive is left, the delete completes', async () => {
    const { id } = await account();
    const hold = holdAt('backups.create.writing');
    const started = await panel.request('POST', `/api/backups/accounts/${id}?async=true`);
    expect(started.status).toBe(200);
    await hold.reached;
    const deleting = panel.request('DELETE', `/api/accounts/${id}`);
    // The delete stops the backup at once; the held backup goes on only to find itself stopped.
    const stopped = await settledOrHeld(started.body.data.id, hold);
    const deleted = await deleting;
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(stopped.state).toBe('failed');
    expect(stopped.error).toBe(`Backup cancelled: account ${id} is being deleted; the unfinished archive was removed`);
    expect(archivesOf(`race${n}-`)).toEqual([]);
    expect(readdirSync(backupsDir()).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  /** Release the held job and wait for it to end. */
  async function settledOrHeld(jobId: string, hold: { release(): void }) {
    hold.release();
    return settled(jobId);
  }

  it("a backup whose home is removed under it fails and leaves no archive (never a 'verified' part of the home)", async () => {
    const { id, home } = await account();
    const hold = holdAt('backups.create.writing');
    const started = await panel.request('POST', `/api/backups/accounts/${id}?async=true`);
    await hold.reached;
    rmSync(home, { recursive: true, force: true });
    const done = await settledOrHeld(started.body.data.id, hold);
    expect(done.state, JSON.stringify(done.result)).toBe('failed');
    expect(done.error).toMatch(
      /the account home was removed while it was being backed up; the incomplete archive was removed/,
    );
    expect(archivesOf(`race${n}-`)).toEqual([]);
    mkdirSync(home); // the account is still there; its delete below needs no home
    expect((await panel.request('DELETE', `/api/accounts/${id}`)).status).toBe(200);
  });

  it('a backup of a home some of which vanishes under it succeeds saying so: a count and a warning', async () => {
    const { id, home } = await account();
    const hold = holdAt('backups.create.writing');
    const started = await panel.request('POST', `/api/backups/accounts/${id}?async=true`);
    await hold.reached;
    rmSync(path.join(home, 'd5'), { recursive: true }); // listed by the walk, not yet reached
    const done = await settledOrHeld(started.body.data.id, hold);
    expect(done.state).toBe('succeeded');
    expect(done.result.changed_during_backup).toBe(1);
    expect(done.result.files.skipped).toContainEqual({ path: '/d5', reason: 'could not be opened (ENOENT)' });
    expect(done.result.warnings).toContain(
      '1 home entry vanished while the backup read them (listed in files.skipped); the archive holds the home as it was while it changed',
    );
  });

  it('a delete during a restore answers 409 naming the restore job; the restored account keeps its row and home', async () => {
    const { id, home } = await account(100);
    const made = await panel.request('POST', `/api/backups/accounts/${id}`);
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const hold = holdAt('backups.restore.extracting');
    const started = await panel.request(
      'POST',
      `/api/backups/accounts/${id}/restore/${made.body.data.filename}?async=true`,
    );
    await hold.reached;
    const refused = await panel.request('DELETE', `/api/accounts/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe(
      `Account ${id} has a restore running (job ${started.body.data.id}); try again when it has finished`,
    );
    const done = await settledOrHeld(started.body.data.id, hold);
    expect(done.state).toBe('succeeded');
    expect(done.result.status).toBe('complete');
    expect((await panel.request('GET', `/api/accounts/${id}`)).status).toBe(200);
    expect(existsSync(path.join(home, 'd0', 'f0.bin'))).toBe(true);
    expect((await panel.request('DELETE', `/api/accounts/${id}`)).status).toBe(200);
    expect(existsSync(home)).toBe(false);
  });

  it('a delete of the account a restore recreated, while that restore runs, answers 409 naming it', async () => {
    const { id } = await account(100);
    const made = await panel.request('POST', `/api/backups/accounts/${id}`);
    expect((await panel.request('DELETE', `/api/accounts/${id}`)).status).toBe(200);
    const hold = holdAt('backups.restore.extracting');
    const started = await panel.request(
      'POST',
      `/api/backups/accounts/${id}/restore/${made.body.data.filename}?async=true`,
    );
    await hold.reached;
    const again = (await panel.request('GET', '/api/accounts')).body.data.find(
      (a: { username: string }) => a.username === `race${n}`,
    );
    expect(again.id).not.toBe(id);
    const refused = await panel.request('DELETE', `/api/accounts/${again.id}`);
    expect([refused.status, refused.body.error]).toEqual([
      409,
      `Account ${again.id} has a restore running (job ${started.body.data.id}); try again when it has finished`,
    ]);
    const done = await settledOrHeld(started.body.data.id, hold);
    expect(done.result).toMatchObject({ status: 'complete', account_created: true, account_id: again.id });
    expect((await panel.request('DELETE', `/api/accounts/${again.id}`)).status).toBe(200);
  });

  it('file changes during a restore answer 409 naming the restore job; afterwards they are kept', async () => {
    const { id } = await account(100);
    const made = await panel.request('POST', `/api/backups/accounts/${id}`);
    const hold = holdAt('backups.restore.extracting');
    const started = await panel.request(
      'POST',
      `/api/backups/accounts/${id}/restore/${made.body.data.filename}?async=true`,
    );
    await hold.reached;
    const busy = `Account ${id} has a restore running (job ${started.body.data.id}); try again when it has finished`;
    const write = () =>
      panel.request('POST', '/api/files/write', {
        body: { account_id: id, path: '/public_html/during.txt', content: 'keep me' },
      });
    const refused = [
      await write(),
      await panel.request('POST', '/api/files/rename', {
        body: { account_id: id, from: '/d0/f0.bin', to: '/d0/moved.bin' },
      }),
      await panel.request('DELETE', '/api/files/delete', { body: { account_id: id, path: '/d0/f1.bin' } }),
      await panel.request('POST', '/api/files/mkdir', { body: { account_id: id, path: '/new' } }),
    ];
    expect(refused.map((r) => [r.status, r.body.error])).toEqual(refused.map(() => [409, busy]));
    expect((await panel.request('GET', `/api/files/list?account_id=${id}&path=/d0`)).status).toBe(200);
    const done = await settledOrHeld(started.body.data.id, hold);
    expect(done.result.status).toBe('complete');
    expect((await write()).status).toBe(200);
    const read = await panel.request('GET', `/api/files/read?account_id=${id}&path=/public_html/during.txt`);
    expect(read.body.data.content).toBe('keep me');
  });
});
