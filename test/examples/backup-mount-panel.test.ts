// The example plugin's whole path in a running panel with the real backups plugin: loaded from
// the third-party plugin directory (plugins_dir), locked on Community, on Pro a target kind the
// backups plugin stores real archives with, and enabled by the admin for one reseller only.
import { readdirSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signLicence } from '../../core/licence/sign.js';
import { backupTargets } from '../../sdk/index.js';
import { buildOnce, tempHome, velopanel } from '../cli/cli.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { accountBody, openTempDir, startHostingPanel, waitReconciled } from '../webserver/helpers.js';
import { installExample } from './install-example.js';

const DIR = `vp-example-${process.pid}`;

describe('third-party example plugin in the panel', () => {
  let panel: TestPanel;
  let otherReseller: string;
  const homes = openTempDir('vp-example-homes-');
  const home = tempHome();
  const cli = (token: string, args: string[]) => velopanel(['--url', panel.url, '--token', token, ...args], { home });
  const request = (
    method: string,
    route: string,
    as: 'admin' | 'reseller' | { token: string } = 'admin',
    body?: unknown,
  ) => panel.request(method, route, { as, body });
  const disks = (as: 'admin' | 'reseller' | { token: string }) => request('GET', '/api/backup-mount/disks', as);
  const diskTarget = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    type: 'mounted-disk',
    config: { mount_point: '/dev/shm', directory: DIR, keep: 2, min_free_mb: 1 },
    ...extra,
  });
  beforeAll(async () => {
    const { pluginsDir } = installExample();
    buildOnce();
    panel = await startTestPanel({
      plugins: ['accounts', 'domains', 'veloserve', 'backups'],
      tier: 'none',
      config: {
        plugins_dir: pluginsDir,
        home_base: homes,
        plugins: { domains: { engine: 'veloserve' }, 'backup-mount': { mounts: ['/dev/shm'] } },
      },
    });
    await waitReconciled(panel);
    expect(
      (await request('POST', '/api/resellers', 'admin', { username: 'other-reseller', password: 'Other-Reseller-1' }))
        .status,
    ).toBe(200);
    otherReseller = (
      await panel.request('POST', '/api/auth/login', {
        as: 'anon',
        body: { username: 'other-reseller', password: 'Other-Reseller-1' },
      })
    ).body.data.token;
  }, 300_000);
  afterAll(async () => {
    await panel?.stop();
    rmSync(homes, { recursive: true, force: true });
    for (const name of readdirSync('/dev/shm'))
      if (name === DIR) rmSync(`/dev/shm/${name}`, { recursive: true, force: true });
  });

  it('is loaded from plugins_dir and locked on Community: its route, its target kind and enabling are refused', async () => {
    const listed = (await request('GET', '/api/plugins')).body.data.find((p: any) => p.id === 'backup-mount');
    expect(listed).toEqual({
      id: 'backup-mount',
      name: 'Backups to a mounted disk',
      version: '1.0.0',
      source: 'third-party',
      tier: 'pro',
      feature: null,
      dependencies: [],
      state: 'locked',
      reason: 'requires a Pro or Business license',
    });
    const route = await disks('admin');
    expect({ status: route.status, error: route.body.error }).toEqual({
      status: 403,
      error: "Plugin 'backup-mount' is not active: requires a Pro or Business license",
    });
    const target = await request('POST', '/api/backups/targets', 'admin', diskTarget('disk'));
    expect({ status: target.status, error: target.body.error }).toEqual({
      status: 403,
      error: "Backup target type 'mounted-disk' requires a Pro or Business license",
    });
    const enable = await request('POST', '/api/plugins/backup-mount/enable');
    expect({ status: enable.status, error: enable.body.error }).toEqual({
      status: 403,
      error: "Plugin 'backup-mount' requires a Pro or Business license",
    });
  });

  it('on Pro, is a backup target the backups plugin stores real archives on, with rotation', async () => {
    expect(
      (await request('POST', '/api/license', 'admin', { license_key: await signLicence({ tier: 'pro' }) })).body.data
        .tier,
    ).toBe('pro');
    expect((await disks('admin')).body.data).toEqual([
      { mount_point: '/dev/shm', mounted: true, free_mb: expect.any(Number), total_mb: expect.any(Number) },
    ]);
    expect((await request('POST', '/api/backups/targets', 'admin', diskTarget('disk'))).status).toBe(201);
    expect((await request('POST', '/api/backups/targets/disk/test')).body.data).toEqual({ id: 'disk', ok: true });
    const off = await request(
      'POST',
      '/api/backups/targets',
      'admin',
      diskTarget('elsewhere', { config: { mount_point: '/var/lib', directory: 'x' } }),
    );
    expect(off.body.error).toMatch(
      /mount_point: must be one of the disks the administrator listed in \[plugins\.backup-mount\] mounts \(\/dev\/shm\)/,
    );
    const account = (await request('POST', '/api/accounts', 'admin', accountBody({ username: 'diskacct' }))).body.data;
    for (let i = 0; i < 3; i++) {
      const run = await cli(panel.tokens.admin, ['backup', 'create', 'diskacct', '--target', 'disk', '--quiet']);
      expect(run.code, run.stdout + run.stderr).toBe(0);
    }
    const onDisk = readdirSync(`/dev/shm/${DIR}`).filter((n) => n.startsWith(`${account.username}-`));
    expect(onDisk.length).toBe(2);
    const listed = JSON.parse(
      (await cli(panel.tokens.admin, ['--json', 'backup', 'list', 'diskacct', '--target', 'disk'])).stdout,
    );
    expect(listed.map((b: any) => b.filename).sort()).toEqual(onDisk.sort());
  });

  it('stays closed to resellers until the admin allows it, then only to that reseller', async () => {
    for (const as of ['reseller', { token: otherReseller }] as const) {
      const res = await disks(as);
      expect({ status: res.status, error: res.body.error }).toEqual({
        status: 403,
        error: "Plugin 'backup-mount' is not active: the administrator has not allowed it for your reseller",
      });
    }
    const allow = await cli(panel.tokens.admin, ['plugins', 'allow', 'backup-mount', '--reseller', '2']);
    expect(allow).toMatchObject({
      code: 0,
      stdout: 'Plugin backup-mount is allowed for reseller 2 (not yet enabled by the reseller).\n',
    });
    expect((await disks('reseller')).body.error).toBe(
      "Plugin 'backup-mount' is not active: your reseller has not enabled it for its accounts",
    );
    expect((await request('POST', '/api/plugins/backup-mount/reseller/enable', 'reseller')).body.data).toMatchObject({
      allowed: true,
      enabled: true,
    });
    expect((await disks('reseller')).status).toBe(200);
    expect((await disks({ token: otherReseller })).body.error).toBe(
      "Plugin 'backup-mount' is not active: the administrator has not allowed it for your reseller",
    );
    const sneak = await request('POST', '/api/plugins/backup-mount/reseller/enable', { token: otherReseller });
    expect({ status: sneak.status, error: sneak.body.error }).toEqual({
      status: 403,
      error: "The administrator has not allowed plugin 'backup-mount' for your accounts",
    });
    const grants = (await request('GET', '/api/plugins/grants')).body.data.filter(
      (g: any) => g.plugin_id === 'backup-mount',
    );
    expect(grants).toEqual([{ reseller_id: 2, plugin_id: 'backup-mount', allowed: true, enabled: true }]);
  });

  it("backs up the allowed reseller's account to its own disk target", async () => {
    expect(
      (
        await request(
          'POST',
          '/api/backups/targets',
          'admin',
          diskTarget('disk-r2', { scope: 'reseller', owner_id: 2 }),
        )
      ).status,
    ).toBe(201);
    expect((await request('POST', '/api/accounts', 'reseller', accountBody({ username: 'resacct' }))).status).toBe(200);
    const run = await cli(panel.tokens.reseller, ['backup', 'create', 'resacct', '--target', 'disk-r2', '--quiet']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(readdirSync(`/dev/shm/${DIR}`).some((n) => n.startsWith('resacct-'))).toBe(true);
  });

  it('refuses a target on a disk the administrator did not list', async () => {
    const entry = panel.kernel.extensions.entries(backupTargets).find((e) => e.entryId === 'mounted-disk')!;
    expect(() =>
      entry.value.create({
        id: 'x',
        scope: 'reseller',
        ownerId: 2,
        dataDir: panel.dataDir,
        config: { mount_point: '/var/lib', directory: 'x', keep: 1, min_free_mb: 1 },
      }),
    ).toThrow(
      'mount_point: must be one of the disks the administrator listed in [plugins.backup-mount] mounts (/dev/shm)',
    );
  });
});

describe("the example plugin's hook", () => {
  it('runs after an account is deleted, naming it and the disks its archives stay on', async () => {
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any, ...rest: any[]) =>
      String(chunk).startsWith('{"time"') ? (lines.push(String(chunk)), true) : write(chunk, ...rest),
    );
    const h = await startHostingPanel({
      engine: 'veloserve',
      tier: 'pro',
      plugins: { 'backup-mount': { mounts: ['/dev/shm'] } },
      config: { plugins_dir: installExample().pluginsDir, log_level: 'info', log_format: 'json' },
    });
    try {
      const account = (await h.panel.request('POST', '/api/accounts', { body: accountBody({ username: 'hooked' }) }))
        .body.data;
      expect((await h.panel.request('DELETE', `/api/accounts/${account.id}`)).status).toBe(200);
      const logged = lines
        .map((l) => JSON.parse(l))
        .find((r) => r.plugin === 'backup-mount' && /deleted account/.test(r.msg));
      expect(logged).toMatchObject({
        level: 'info',
        msg: 'archives of a deleted account stay on the backup disks until removed by hand',
        account: 'hooked',
        mounts: ['/dev/shm'],
      });
    } finally {
      vi.restoreAllMocks();
      await h.stop();
    }
  });
});
