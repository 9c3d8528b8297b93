// The example plugin's whole path in a running panel: loaded from the third-party plugin
// directory (plugins_dir), locked on Community, active on Pro, its `mounted-disk` kind offered to
// the backups side through the extension point, and enabled by the admin for one reseller only.
import { readdirSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signLicence } from '../../core/licence/sign.js';
import { backupTargets, definePlugin } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { buildOnce, tempHome, velopanel } from '../cli/cli.js';
import { accountBody, startHostingPanel } from '../webserver/helpers.js';
import { installExample } from './install-example.js';

// Stand-in for the backups plugin's side of the point: the target kinds it would offer.
const consumer = definePlugin({
  manifest: { id: 'target-kinds', version: '1.0.0', sdk: '^1.0.0', consumes: ['backup-targets'] },
  start(ctx) {
    ctx.route({
      method: 'GET', path: '/api/target-kinds', access: { roles: ['admin'] },
      handler: async () => Promise.all(ctx.extensions.entries(backupTargets).map(async (e) => {
        const made = e.available ? e.value.create({ id: 'probe', scope: 'server', ownerId: null, dataDir: ctx.settings.dataDir, config: { mount_point: '/dev/shm', directory: `vp-kind-${process.pid}`, keep: 1, min_free_mb: 1 } }) : null;
        return { kind: e.entryId, plugin: e.pluginId, available: e.available, reason: e.reason ?? null, health: made ? await made.test() : null };
      })),
    });
  },
});

describe('third-party example plugin in the panel', () => {
  let panel: TestPanel;
  let otherReseller: string;
  beforeAll(async () => {
    const { pluginsDir } = installExample();
    buildOnce();
    panel = await startTestPanel({ tier: 'none', inline: [consumer], config: { plugins_dir: pluginsDir, plugins: { 'backup-mount': { mounts: ['/dev/shm'] } } } });
    expect((await panel.request('POST', '/api/resellers', { body: { username: 'other-reseller', password: 'Other-Reseller-1' } })).status).toBe(200);
    otherReseller = (await panel.request('POST', '/api/auth/login', { as: 'anon', body: { username: 'other-reseller', password: 'Other-Reseller-1' } })).body.data.token;
  }, 300_000);
  afterAll(async () => {
    await panel?.stop();
    for (const name of readdirSync('/dev/shm')) if (name === `vp-kind-${process.pid}`) rmSync(`/dev/shm/${name}`, { recursive: true, force: true });
  });

  const disks = (as: 'admin' | 'reseller' | { token: string }) => panel.request('GET', '/api/backup-mount/disks', { as });

  it('is loaded from plugins_dir and locked on Community: its route, its target kind and enabling are refused', async () => {
    const listed = (await panel.request('GET', '/api/plugins')).body.data.find((p: any) => p.id === 'backup-mount');
    expect(listed).toEqual({ id: 'backup-mount', name: 'Backups to a mounted disk', version: '1.0.0', source: 'third-party', tier: 'pro', feature: null, dependencies: [], state: 'locked', reason: 'requires a Pro or Business license' });
    const route = await disks('admin');
    expect({ status: route.status, error: route.body.error }).toEqual({ status: 403, error: "Plugin 'backup-mount' is not active: requires a Pro or Business license" });
    expect((await panel.request('GET', '/api/target-kinds')).body.data).toEqual([
      { kind: 'mounted-disk', plugin: 'backup-mount', available: false, reason: 'requires a Pro or Business license', health: null },
    ]);
    const enable = await panel.request('POST', '/api/plugins/backup-mount/enable');
    expect({ status: enable.status, error: enable.body.error }).toEqual({ status: 403, error: "Plugin 'backup-mount' requires a Pro or Business license" });
  });

  it('becomes active with a Pro licence, and its target kind works for the backups side', async () => {
    expect((await panel.request('POST', '/api/license', { body: { license_key: await signLicence({ tier: 'pro' }) } })).body.data.tier).toBe('pro');
    const res = await disks('admin');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([{ mount_point: '/dev/shm', mounted: true, free_mb: expect.any(Number), total_mb: expect.any(Number) }]);
    expect((await panel.request('GET', '/api/target-kinds')).body.data).toEqual([
      { kind: 'mounted-disk', plugin: 'backup-mount', available: true, reason: null, health: { ok: true } },
    ]);
  });

  it('stays closed to resellers until the admin allows it, then only to that reseller', async () => {
    for (const as of ['reseller', { token: otherReseller }] as const) {
      const res = await disks(as);
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 403, error: "Plugin 'backup-mount' is not active: the administrator has not allowed it for your reseller" });
    }
    const allow = await velopanel(['--url', panel.url, '--token', panel.tokens.admin, 'plugins', 'allow', 'backup-mount', '--reseller', '2'], { home: tempHome() });
    expect(allow).toMatchObject({ code: 0, stdout: 'Plugin backup-mount is allowed for reseller 2 (not yet enabled by the reseller).\n' });
    expect((await disks('reseller')).body.error).toBe("Plugin 'backup-mount' is not active: your reseller has not enabled it for its accounts");
    expect((await panel.request('POST', '/api/plugins/backup-mount/reseller/enable', { as: 'reseller' })).body.data).toMatchObject({ allowed: true, enabled: true });
    expect((await disks('reseller')).status).toBe(200);
    const other = await disks({ token: otherReseller });
    expect(other.body.error).toBe("Plugin 'backup-mount' is not active: the administrator has not allowed it for your reseller");
    const sneak = await panel.request('POST', '/api/plugins/backup-mount/reseller/enable', { as: { token: otherReseller } });
    expect({ status: sneak.status, error: sneak.body.error }).toEqual({ status: 403, error: "The administrator has not allowed plugin 'backup-mount' for your accounts" });
    const grants = (await panel.request('GET', '/api/plugins/grants')).body.data.filter((g: any) => g.plugin_id === 'backup-mount');
    expect(grants).toEqual([{ reseller_id: 2, plugin_id: 'backup-mount', allowed: true, enabled: true }]);
  });

  it('refuses a target on a disk the administrator did not list', async () => {
    const entry = panel.kernel.extensions.entries(backupTargets).find((e) => e.entryId === 'mounted-disk')!;
    expect(() => entry.value.create({ id: 'x', scope: 'reseller', ownerId: 2, dataDir: panel.dataDir, config: { mount_point: '/var/lib', directory: 'x', keep: 1, min_free_mb: 1 } }))
      .toThrow('mount_point: must be one of the disks the administrator listed in [plugins.backup-mount] mounts (/dev/shm)');
  });
});

describe('the example plugin\'s hook', () => {
  it('runs after an account is deleted, naming it and the disks its archives stay on', async () => {
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any, ...rest: any[]) => (String(chunk).startsWith('{"time"') ? (lines.push(String(chunk)), true) : write(chunk, ...rest)));
    const h = await startHostingPanel({
      engine: 'veloserve', tier: 'pro', plugins: { 'backup-mount': { mounts: ['/dev/shm'] } },
      config: { plugins_dir: installExample().pluginsDir, log_level: 'info', log_format: 'json' },
    });
    try {
      const account = (await h.panel.request('POST', '/api/accounts', { body: accountBody({ username: 'hooked' }) })).body.data;
      expect((await h.panel.request('DELETE', `/api/accounts/${account.id}`)).status).toBe(200);
      const logged = lines.map((l) => JSON.parse(l)).find((r) => r.plugin === 'backup-mount' && /deleted account/.test(r.msg));
      expect(logged).toMatchObject({ level: 'info', msg: 'archives of a deleted account stay on the backup disks until removed by hand', account: 'hooked', mounts: ['/dev/shm'] });
    } finally {
      vi.restoreAllMocks();
      await h.stop();
    }
  });
});
