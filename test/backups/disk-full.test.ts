// A backup target on a full disk (a real 2 MB tmpfs, root only): the backup fails with 507
// NO_SPACE naming the target (not a path), and nothing — no archive, no `.part-*` — is left on it.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { standIns } from './stand-ins.js';

describe.runIf(process.getuid?.() === 0)('a backup onto a full disk', () => {
  let panel: TestPanel;
  let mount: string;
  beforeAll(async () => {
    mount = mkdtempSync(path.join(os.tmpdir(), 'velopanel-full-target-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'velopanel-test', mount]);
    const s = standIns();
    panel = await startTestPanel({ plugins: ['backups'], inline: s.plugins });
    const home = s.state.createAccount({ username: 'fuller' }).home_dir;
    writeFileSync(path.join(home, 'random.bin'), randomBytes(4 * 1024 * 1024));
  });
  afterAll(async () => {
    await panel?.stop();
    execFileSync('umount', ['-l', '--', mount]);
    rmSync(mount, { recursive: true, force: true });
  });

  it('answers 507 naming the target and leaves nothing on it', async () => {
    expect(
      (
        await panel.request('POST', '/api/backups/targets', {
          body: { id: 'small', type: 'local', config: { path: mount } },
        })
      ).status,
    ).toBe(201);
    const res = await panel.request('POST', '/api/backups/accounts/1', { body: { target: 'small' } });
    expect(res.status).toBe(507);
    expect(res.body).toMatchObject({
      code: 'NO_SPACE',
      error: "Backup of fuller failed: no space left on the device holding backup target 'small'",
    });
    expect(readdirSync(mount)).toEqual([]);
  });
});
