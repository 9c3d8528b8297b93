// Linux mode with a real system user: restored files belong to the account whatever the archive
// claims, and a backup never carries a root-owned file hard-linked into the home, nor FIFOs.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { requireRoot } from '../bed/index.js';
import { useThrowawayUser } from '../bed/helpers/linux-user.js';
import { ManifestSigner } from '../../plugins/backups/signing.js';
import { craftArchive } from './craft.js';
import { standIns, type StandInState } from './stand-ins.js';
import { fillHome, snapshot } from './tree.js';

const root = requireRoot();

describe.skipIf(root.skip)('backups in linux mode', () => {
  const user = useThrowawayUser();
  let panel: TestPanel;
  let state: StandInState;
  const rootFile = path.join(os.tmpdir(), `vp-root-secret-${randomBytes(4).toString('hex')}`);

  beforeAll(async () => {
    const s = standIns();
    state = s.state;
    panel = await startTestPanel({ plugins: ['backups'], inline: s.plugins, config: { mode: 'linux' } });
    const u = user();
    const home = state.createAccount({ username: u.name, uid: u.uid, gid: u.gid }).home_dir;
    expect(home).toBe(u.home);
    fillHome(path.join(home, 'site'));
    execFileSync('chown', ['-R', `${u.uid}:${u.gid}`, '--', home]);
    fs.writeFileSync(rootFile, 'ROOT-ONLY-SECRET', { mode: 0o600 });
    fs.linkSync(rootFile, path.join(home, 'stolen'));
    execFileSync('mkfifo', ['--', path.join(home, 'pipe')]);
    execFileSync('chown', ['-h', `${u.uid}:${u.gid}`, '--', path.join(home, 'pipe')]);
  });
  afterAll(async () => {
    await panel?.stop();
    fs.rmSync(rootFile, { force: true });
  });

  it('skips a hard link to a root-owned file and a FIFO, and says so', async () => {
    const res = await panel.request('POST', '/api/backups/accounts/1');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.files.skipped).toEqual(
      expect.arrayContaining([
        { path: '/stolen', reason: 'hard link to a file the account does not own' },
        { path: '/pipe', reason: 'device, FIFO or socket' },
      ]),
    );
    const tar = gunzipSync(fs.readFileSync(path.join(panel.dataDir, 'backups', res.body.data.filename)));
    expect(tar.includes('ROOT-ONLY-SECRET')).toBe(false);
  });

  it('restores with the account as owner, keeping the home itself as it was', async () => {
    const u = user();
    const home = state.accounts.get(1)!.home_dir;
    fs.unlinkSync(path.join(home, 'stolen'));
    fs.unlinkSync(path.join(home, 'pipe'));
    const made = (await panel.request('POST', '/api/backups/accounts/1')).body.data.filename;
    const before = snapshot(home);
    const homeStat = fs.statSync(home);
    fs.rmSync(path.join(home, 'site'), { recursive: true });
    const res = await panel.request('POST', `/api/backups/accounts/1/restore/${made}`);
    expect(res.body.data?.status, JSON.stringify(res.body)).toBe('complete');
    expect(snapshot(home)).toEqual(before);
    expect(Object.values(snapshot(home)).every((e) => e.uid === u.uid)).toBe(true);
    expect(fs.statSync(home)).toMatchObject({ uid: homeStat.uid, gid: homeStat.gid, mode: homeStat.mode });
    expect(fs.readdirSync('/home').filter((n) => n.startsWith('.vp-'))).toEqual([]);
  });

  it('forces owners to the account and strips setuid whatever the archive claims', async () => {
    const u = user();
    const home = state.accounts.get(1)!.home_dir;
    const archive = craftArchive({
      account: { id: 1, username: u.name, home_dir: home },
      entries: [
        { name: 'home', type: '5', mode: 0o755, uid: 0 },
        { name: 'home/rootshell', data: '#!/bin/sh\nid\n', mode: 0o4755, uid: 0 },
        { name: 'home/dir', type: '5', mode: 0o2755, uid: 0 },
      ],
      manifest: (m) => ({ ...m, account: { ...m.account, uid: 0, gid: 0 } }),
      // Signed with the panel's key: what is under test is what a restore does with the entries.
      sign: (m) => new ManifestSigner(path.join(panel.dataDir, 'backups-secrets/manifest.key')).sign(m),
    });
    fs.writeFileSync(path.join(panel.dataDir, 'backups', `${u.name}-20250102-030405.tar.gz`), archive);
    const res = await panel.request('POST', `/api/backups/accounts/1/restore/${u.name}-20250102-030405.tar.gz`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    for (const p of ['rootshell', 'dir']) {
      const st = fs.lstatSync(path.join(home, p));
      expect([st.uid, st.gid]).toEqual([u.uid, u.gid]);
      expect(st.mode & 0o6000).toBe(0);
    }
  });
});
