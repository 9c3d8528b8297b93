// Suspending an account closes every way in and stops what already runs (linux mode, root, the
// test bed's real sshd with PAM as Debian ships it): a key login, which a locked password alone
// does not stop under PAM, is refused while suspended and works again after unsuspend; a process
// the tenant left running (even in another root) is stopped.
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireRoot, useServices } from '../bed/index.js';
import { withSftp } from '../bed/helpers/sftp.js';
import { systemIds, useLinuxPanel } from './linux-panel.js';
import { SLEEP, tenantProcess } from './tenant-procs.js';

const bed = useServices('sshd');
const root = requireRoot();
// The bed's sshd lets in `vpt*` users only.
const prefix = `vpt${randomBytes(3).toString('hex')}`;
const shadow = (name: string) =>
  readFileSync('/etc/shadow', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))!
    .split(':');

describe.skipIf(bed.skip || root.skip)('suspend in linux mode', () => {
  const { request, create } = useLinuxPanel(prefix);

  it('refuses key logins and stops running processes while suspended; unsuspend lets the key in again', async () => {
    const a = await create('k');
    const own = systemIds(a.username);
    const ssh = path.join(a.home_dir, '.ssh');
    mkdirSync(ssh, { mode: 0o700 });
    writeFileSync(path.join(ssh, 'authorized_keys'), `${bed.sshd.publicKey}\n`, { mode: 0o600 });
    for (const p of [ssh, path.join(ssh, 'authorized_keys')]) chownSync(p, own.uid, own.gid);
    const login = () =>
      withSftp(bed.sshd, async (sftp) => sftp.realPath('.'), { username: a.username, privateKey: bed.sshd.privateKey });
    expect(await login()).toBe(a.home_dir);

    const daemon = tenantProcess(SLEEP, '/', own);
    try {
      await daemon.ready;
      expect((await request('POST', `/api/accounts/${a.id}/suspend`)).status).toBe(200);
      expect(daemon.running()).toBe(false);
      expect(await daemon.exited).toBe('SIGKILL');
    } finally {
      await daemon.stop();
    }
    // PAM's account check refuses the expired account after the key was accepted: sshd hangs up.
    await expect(login()).rejects.toThrow(/authentication|unexpected end/i);
    expect(shadow(a.username)[7]).toBe('1');

    expect((await request('POST', `/api/accounts/${a.id}/unsuspend`)).status).toBe(200);
    expect(shadow(a.username)[7]).toBe('');
    expect(await login()).toBe(a.home_dir);
    expect((await request('DELETE', `/api/accounts/${a.id}`)).status).toBe(200);
  });
});
