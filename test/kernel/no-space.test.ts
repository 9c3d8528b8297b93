// A full disk (a real tmpfs, mounted as root, holding the panel's data dir and its SQLite store):
// a request that fails on it answers 507 — naming the device's file to administrators, to nobody
// else — and the audit entries the store refused meanwhile are kept and stored once there is
// room again, never dropped.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

const isRoot = process.getuid?.() === 0;

describe.runIf(isRoot)('no space left on the device', () => {
  let mount: string;
  let panel: TestPanel;
  const filler = () => path.join(mount, 'filler');
  /** Fill the filesystem to the last block. */
  const fill = () => {
    const st = statfsSync(mount);
    try {
      writeFileSync(filler(), Buffer.alloc(Number(st.bavail) * Number(st.bsize)));
    } catch {
      // full already, which is the point
    }
  };
  const token = (name: string, as: 'admin' | 'reseller') =>
    panel.request('POST', '/api/tokens', { body: { name, scopes: ['accounts:read'] }, as });

  beforeAll(async () => {
    mount = mkdtempSync(path.join(os.tmpdir(), 'velopanel-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m,mode=0700', 'velopanel-test', mount]);
    const writes = definePlugin({
      manifest: { id: 'disk-writer', version: '1.0.0', sdk: '^1.0.0' },
      start(ctx) {
        ctx.route({
          method: 'POST',
          path: '/api/disk-writer',
          access: { roles: ['admin', 'reseller'] },
          handler: () => {
            writeFileSync(path.join(mount, 'written'), Buffer.alloc(1024 * 1024, 1));
            return { written: true };
          },
        });
      },
    });
    panel = await startTestPanel({ inline: [writes], config: { data_dir: mount } });
  });
  afterAll(async () => {
    rmSync(filler(), { force: true });
    await panel?.stop();
    execFileSync('umount', ['-l', '--', mount]);
    rmSync(mount, { recursive: true, force: true });
  });

  it('answers 507 naming the panel database to an admin, without a path to anyone else; audit entries wait for room', async () => {
    fill();
    const admin = await token('while-full-admin', 'admin');
    expect(admin.status).toBe(507);
    expect(admin.body).toMatchObject({
      ok: false,
      code: 'NO_SPACE',
      error: `No space left on the device holding the panel database ${path.join(mount, 'velopanel.sqlite')}`,
    });
    const reseller = await token('while-full-reseller', 'reseller');
    expect(reseller.status).toBe(507);
    expect(reseller.body.error).toBe(
      "No space left on the server's disk; nothing was saved. Ask the administrator to free some space",
    );
    expect(reseller.body.error).not.toContain(mount);

    const file = await panel.request('POST', '/api/disk-writer', { as: 'admin' });
    expect(file.status).toBe(507);
    expect(file.body.error).toMatch(/^No space left on the device holding /);
    expect((await panel.request('POST', '/api/disk-writer', { as: 'reseller' })).body.error).not.toContain(mount);

    rmSync(filler());
    const audit = (await panel.request('GET', '/api/audit?limit=20')).body.data;
    const failed = audit.filter((e: any) => e.status === 507).map((e: any) => `${e.username} ${e.route}`);
    expect(failed.sort()).toEqual([
      'panel-admin /api/disk-writer',
      'panel-admin /api/tokens',
      'panel-reseller /api/disk-writer',
      'panel-reseller /api/tokens',
    ]);
  });
});
