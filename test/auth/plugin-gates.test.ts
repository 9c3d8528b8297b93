import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtensionPoint, definePlugin } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

const tools = createExtensionPoint<string>({ id: 'gate-tools', owner: 'gate-host' });
const hookCalls: string[] = [];

const plugins = [
  definePlugin({
    manifest: { id: 'pro-tool', version: '1.0.0', sdk: '^1.0.0', tier: 'pro' },
    start(ctx) {
      ctx.route({ method: 'GET', path: '/api/pro-tool', access: {}, handler: () => 'pro' });
      ctx.hooks.after('gate.ping', () => void hookCalls.push('pro-tool'));
    },
  }),
  definePlugin({
    manifest: { id: 'biz-tool', version: '1.0.0', sdk: '^1.0.0', tier: 'business' },
    start(ctx) {
      ctx.route({ method: 'GET', path: '/api/biz-tool', access: {}, handler: () => 'biz' });
    },
  }),
  definePlugin({
    // A feature is granted by the tiers its declaring plugin names (the php plugin declares php.lsapi for Pro).
    manifest: { id: 'gate-host', version: '1.0.0', sdk: '^1.0.0', licence: { features: { 'php.lsapi': 'pro' } } },
    start(ctx) {
      ctx.extensions.provide(tools, 'basic', 'b');
      ctx.extensions.provide(tools, 'fancy', 'f', { tier: 'business' });
      ctx.route({
        method: 'GET',
        path: '/api/gate-host/business-route',
        access: { tier: 'business' },
        handler: () => 'x',
      });
      ctx.route({
        method: 'GET',
        path: '/api/gate-host/lsapi',
        access: { feature: 'php.lsapi' },
        handler: () => 'lsapi',
      });
      ctx.route({
        method: 'GET',
        path: '/api/gate-host/tools',
        access: {},
        handler: () =>
          ctx.extensions
            .entries(tools)
            .map((e) => ({ id: e.entryId, available: e.available, reason: e.reason ?? null })),
      });
      ctx.route({
        method: 'POST',
        path: '/api/gate-host/ping',
        access: { roles: ['admin'] },
        handler: () => ctx.hooks.runAfter('gate.ping', {}),
      });
    },
  }),
];

describe('tier-gated plugins', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel({ tier: 'pro', inline: plugins });
  });
  afterAll(async () => {
    await panel.stop();
  });

  it('refuses manifests, routes and extension entries above the licence with the seed-style message', async () => {
    expect((await panel.request('GET', '/api/pro-tool')).status).toBe(200);
    const biz = await panel.request('GET', '/api/biz-tool');
    expect(biz.status).toBe(403);
    expect(biz.body.error).toBe("Plugin 'biz-tool' is not active: requires a Business license");
    const route = await panel.request('GET', '/api/gate-host/business-route');
    expect(route.status).toBe(403);
    expect(route.body.error).toBe('GET /api/gate-host/business-route requires a Business license');
    expect((await panel.request('GET', '/api/gate-host/lsapi')).status).toBe(200);
    expect((await panel.request('GET', '/api/gate-host/tools')).body.data).toEqual([
      { id: 'basic', available: true, reason: null },
      { id: 'fancy', available: false, reason: 'requires a Business license' },
    ]);
  });

  it('lets the admin enable only what the licence allows', async () => {
    const res = await panel.request('POST', '/api/plugins/biz-tool/enable');
    expect(res.status).toBe(403);
    expect(res.body.error).toBe("Plugin 'biz-tool' requires a Business license");
    expect((await panel.request('POST', '/api/plugins/pro-tool/enable')).status).toBe(200);
  });

  it('keeps a tier-gated plugin from a reseller and its users until the admin allows and the reseller enables it', async () => {
    const blocked = await panel.request('GET', '/api/pro-tool', { as: 'reseller' });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error).toBe(
      "Plugin 'pro-tool' is not active: the administrator has not allowed it for your reseller",
    );
    expect((await panel.request('GET', '/api/pro-tool', { as: 'user' })).status).toBe(403);
    const early = await panel.request('POST', '/api/plugins/pro-tool/reseller/enable', { as: 'reseller' });
    expect(early.status).toBe(403);
    expect(early.body.error).toBe("The administrator has not allowed plugin 'pro-tool' for your accounts");

    expect((await panel.request('POST', '/api/plugins/pro-tool/resellers/2/allow')).body.data).toMatchObject({
      allowed: true,
      enabled: false,
    });
    expect((await panel.request('GET', '/api/pro-tool', { as: 'user' })).body.error).toBe(
      "Plugin 'pro-tool' is not active: your reseller has not enabled it for its accounts",
    );
    expect(
      (await panel.request('POST', '/api/plugins/pro-tool/reseller/enable', { as: 'reseller' })).body.data,
    ).toMatchObject({ allowed: true, enabled: true });
    expect((await panel.request('GET', '/api/pro-tool', { as: 'reseller' })).status).toBe(200);
    expect((await panel.request('GET', '/api/pro-tool', { as: 'user' })).status).toBe(200);
    const listed = (await panel.request('GET', '/api/plugins/grants', { as: 'reseller' })).body.data;
    expect(listed).toEqual([
      expect.objectContaining({ plugin_id: 'biz-tool', tier: 'business', state: 'locked', allowed: false }),
      expect.objectContaining({ plugin_id: 'pro-tool', tier: 'pro', state: 'active', allowed: true, enabled: true }),
    ]);

    await panel.request('POST', '/api/plugins/pro-tool/resellers/2/deny');
    expect((await panel.request('GET', '/api/pro-tool', { as: 'user' })).status).toBe(403);
    expect((await panel.request('GET', '/api/pro-tool')).status).toBe(200);
  });

  it('leaves users of admin-owned accounts alone and names bad grant requests', async () => {
    await panel.kernel.users!.create({
      username: 'direct-user',
      password: 'DirectUser123',
      role: 'user',
      subject: 'account:50',
    });
    const token = (
      await panel.request('POST', '/api/auth/login', {
        as: 'anon',
        body: { username: 'direct-user', password: 'DirectUser123' },
      })
    ).body.data.token;
    expect((await panel.request('GET', '/api/pro-tool', { as: { token } })).status).toBe(200);
    expect((await panel.request('POST', '/api/plugins/gate-host/resellers/2/allow')).status).toBe(409);
    expect((await panel.request('POST', '/api/plugins/biz-tool/resellers/2/allow')).body.error).toBe(
      "Plugin 'biz-tool' requires a Business license",
    );
    expect((await panel.request('POST', '/api/plugins/pro-tool/resellers/1/allow')).status).toBe(404);
    expect((await panel.request('POST', '/api/plugins/nope/resellers/2/allow')).status).toBe(404);
    expect((await panel.request('POST', '/api/plugins/pro-tool/resellers/2/allow', { as: 'reseller' })).status).toBe(
      403,
    );
    expect((await panel.request('POST', '/api/plugins/pro-tool/reseller/enable', { as: 'user' })).status).toBe(403);
  });

  it('does not run the hooks of a plugin the admin disabled', async () => {
    await panel.request('POST', '/api/gate-host/ping');
    expect(hookCalls).toEqual(['pro-tool']);
    await panel.request('POST', '/api/plugins/pro-tool/disable');
    await panel.request('POST', '/api/gate-host/ping');
    expect(hookCalls).toEqual(['pro-tool']);
    const res = await panel.request('GET', '/api/pro-tool');
    expect(res.body.error).toBe("Plugin 'pro-tool' is not active: disabled by an administrator");
  });
});
