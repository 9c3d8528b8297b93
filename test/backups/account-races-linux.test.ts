// The account operation races of issue 21 (items 3–5) in linux mode, as root with real system
// users: a delete during a backup stops it (no archive of part of the home is kept) and removes
// the user and home; during a restore a delete and a file write (run as the account's user)
// answer 409 naming the job. A pause point holds the backup or restore; no timing is asserted.
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdAt } from '../../sdk/index.js';
import { removeLeftoverUsers } from '../accounts/linux-users.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

const prefix = `vpr${randomBytes(3).toString('hex')}`;
const hasUser = (name: string) =>
  readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .some((l) => l.startsWith(`${name}:`));

describe('account operation races in linux mode', () => {
  let h: HostingPanel;
  let n = 0;
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'veloserve', mode: 'linux', extra: ['backups', 'files'] });
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
    removeLeftoverUsers(prefix);
  });

  /** A real account whose home holds enough incompressible files, owned by its user, that a held backup is mid-walk. */
  async function account(files: number) {
    n++;
    const res = await h.panel.request('POST', '/api/accounts', {
      body: accountBody({ username: `${prefix}${n}`, domain: `${prefix}${n}.test` }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const home = res.body.data.home_dir as string;
    const { uid, gid } = statSync(path.join(home, 'tmp'));
    for (let d = 0; d < files / 100; d++) {
      mkdirSync(path.join(home, `d${d}`));
      chownSync(path.join(home, `d${d}`), uid, gid);
      for (let f = 0; f < 100; f++) {
        const file = path.join(home, `d${d}`, `f${f}.bin`);
        writeFileSync(file, randomBytes(16 * 1024));
        chownSync(file, uid, gid);
      }
    }
    return { id: res.body.data.id as number, username: res.body.data.username as string, home };
  }

  async function settled(id: string, hold: { release(): void }) {
    hold.release();
    for (;;) {
      const j = (await h.panel.request('GET', `/api/jobs/${id}`)).body.data;
      if (!['queued', 'running'].includes(j.state)) return j;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('a delete during a backup stops it, keeps no partial archive, and removes the user and home', async () => {
    const { id, username, home } = await account(600);
    const hold = holdAt('backups.create.writing');
    const started = await h.panel.request('POST', `/api/backups/accounts/${id}?async=true`);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    await hold.reached;
    const deleting = h.panel.request('DELETE', `/api/accounts/${id}`);
    const job = await settled(started.body.data.id, hold);
    expect((await deleting).status).toBe(200);
    expect([job.state, job.error]).toEqual([
      'failed',
      `Backup cancelled: account ${id} is being deleted; the unfinished archive was removed`,
    ]);
    const dir = path.join(h.panel.dataDir, 'backups');
    expect(existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(username) || f.startsWith('.')) : []).toEqual(
      [],
    );
    expect([hasUser(username), existsSync(home)]).toEqual([false, false]);
  });

  it('during a restore a delete and a file write answer 409 naming the job; the account and the later write stay', async () => {
    const { id, username, home } = await account(100);
    const made = await h.panel.request('POST', `/api/backups/accounts/${id}`);
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const hold = holdAt('backups.restore.extracting');
    const started = await h.panel.request(
      'POST',
      `/api/backups/accounts/${id}/restore/${made.body.data.filename}?async=true`,
    );
    await hold.reached;
    const busy = `Account ${id} has a restore running (job ${started.body.data.id}); try again when it has finished`;
    const write = () =>
      h.panel.request('POST', '/api/files/write', {
        body: { account_id: id, path: '/public_html/during.txt', content: 'kept' },
      });
    const refused = [await h.panel.request('DELETE', `/api/accounts/${id}`), await write()];
    expect(refused.map((r) => [r.status, r.body.error])).toEqual([
      [409, busy],
      [409, busy],
    ]);
    const job = await settled(started.body.data.id, hold);
    expect(job.result.status).toBe('complete');
    expect((await write()).status).toBe(200);
    expect(readFileSync(path.join(home, 'public_html', 'during.txt'), 'utf8')).toBe('kept');
    expect([hasUser(username), (await h.panel.request('GET', `/api/accounts/${id}`)).status]).toEqual([true, 200]);
  });
});
