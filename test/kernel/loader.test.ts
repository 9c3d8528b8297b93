import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceRef, definePlugin, Type, type PluginDefinition } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

const ok = (
  id: string,
  extra: Partial<PluginDefinition['manifest']> = {},
  start: PluginDefinition['start'] = () => undefined,
) => definePlugin({ manifest: { id, version: '1.0.0', sdk: '^1.0.0', ...extra }, start });

// A consumer listed before its provider: the loader starts the provider first, and runs the
// consumer's ready tasks after the provider's have finished.
const greeting = createServiceRef<{ text: string; readied: boolean }>('greeter.greeting');
let seenAtReady: boolean | null = null;
const consumer = ok('greeted', { consumes: ['greeter.greeting'] }, (ctx) => {
  const g = ctx.services.get(greeting);
  ctx.onReady(() => void (seenAtReady = g.readied));
  ctx.route({ method: 'GET', path: '/api/greeted', access: {}, handler: () => ({ text: g.text, seenAtReady }) });
});
const provider = ok('greeter', { provides: ['greeter.greeting'] }, (ctx) => {
  const g = { text: 'hello', readied: false };
  ctx.services.provide(greeting, g);
  ctx.onReady(async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    g.readied = true;
  });
});

const plugins: PluginDefinition[] = [
  consumer,
  provider,
  ok('unserved', { consumes: ['nobody.provides-this'] }),
  ok('lenient', { consumes: ['nobody.provides-this?'] }),
  ok('loop-a', { provides: ['a.thing'], consumes: ['b.thing'] }),
  ok('loop-b', { provides: ['b.thing'], consumes: ['a.thing'] }),
  ok('healthy', {}, (ctx) =>
    ctx.route({ method: 'GET', path: '/api/healthy', access: {}, handler: () => ({ fine: true }) }),
  ),
  { manifest: { id: 'Bad Id!', version: '1', sdk: '^1.0.0' }, start: () => undefined } as PluginDefinition,
  ok('future', { sdk: '^2.0.0' }),
  ok('bad-terms', { licence: { limits: { widgets: { tiers: { community: -1, pro: 1, business: null } } } } }),
  ok('cycle-a', { dependencies: ['cycle-b'] }),
  ok('cycle-b', { dependencies: ['cycle-a'] }),
  ok('orphan', { dependencies: ['does-not-exist'] }),
  ok('thrower', {}, () => {
    throw new Error('boom at start');
  }),
  ok('hanger', {}, () => new Promise(() => undefined)),
  ok('after-thrower', { dependencies: ['thrower'] }),
  ok('optional-user', { optionalDependencies: ['not-installed', 'healthy'] }),
  ok('gated', { tier: 'business' }, (ctx) =>
    ctx.route({ method: 'GET', path: '/api/gated', access: {}, handler: () => 'yes' }),
  ),
  definePlugin({
    manifest: { id: 'configured', version: '1.0.0', sdk: '^1.0.0' },
    configSchema: Type.Object({ retries: Type.Integer({ minimum: 0, default: 3 }) }),
    start: () => undefined,
  }),
];

describe('plugin loader', () => {
  let panel: TestPanel;
  let list: Record<string, { state: string; reason: string | null }>;
  beforeAll(async () => {
    panel = await startTestPanel({
      plugins: ['system'],
      inline: plugins,
      tier: 'pro',
      config: { plugins: { configured: { retries: -1 } } } as never,
    });
    const res = await panel.request('GET', '/api/plugins');
    list = Object.fromEntries(res.body.data.map((p: any) => [p.id, p]));
  }, 30_000);
  afterAll(async () => {
    await panel?.stop();
  });

  it('keeps the panel up and the healthy plugins active', async () => {
    expect(list.healthy!.state).toBe('active');
    expect(list.system!.state).toBe('active');
    expect((await panel.request('GET', '/api/healthy')).body).toEqual({ ok: true, data: { fine: true } });
  });

  it('disables each broken plugin with its reason', () => {
    const invalid = Object.values(list).find((p: any) => p.reason?.startsWith('invalid manifest'));
    expect(invalid?.reason).toMatch(/id: must be lowercase/);
    expect(list['bad-terms']!.reason).toMatch(/^invalid manifest: licence\.limits/);
    expect(list.future).toMatchObject({
      state: 'disabled',
      reason: expect.stringMatching(/incompatible: needs SDK \^2\.0\.0/),
    });
    expect(list['cycle-a']!.reason).toMatch(/dependency cycle: cycle-a → cycle-b → cycle-a/);
    expect(list['cycle-b']!.state).toBe('disabled');
    expect(list.orphan!.reason).toBe('missing dependency: does-not-exist');
    expect(list.thrower!.reason).toBe('failed to start: boom at start');
    expect(list.hanger!.reason).toMatch(/start timed out after \d+ ms/);
    expect(list['after-thrower']!.reason).toMatch(/dependency 'thrower' is unavailable/);
    expect(list.configured!.reason).toMatch(/^misconfigured: plugins\.configured\.retries: /);
  });

  it('refuses a plugin that consumes what nobody provides, and names a cycle through consumes', () => {
    expect(list.unserved).toMatchObject({
      state: 'disabled',
      reason: "consumes 'nobody.provides-this', which no plugin provides",
    });
    expect(list.lenient!.state).toBe('active');
    expect(list['loop-a']!.reason).toBe(
      "dependency cycle: loop-a (consumes 'b.thing') → loop-b (consumes 'a.thing') → loop-a",
    );
    expect(list['loop-b']!.state).toBe('disabled');
  });

  it("starts the provider of what a plugin consumes first, and runs its ready tasks after the provider's", async () => {
    expect(list.greeted!.state).toBe('active');
    await expect
      .poll(async () => (await panel.request('GET', '/api/greeted')).body.data)
      .toEqual({ text: 'hello', seenAtReady: true });
  });

  it('starts plugins with absent optional dependencies', () => {
    expect(list['optional-user']!.state).toBe('active');
  });

  it('locks plugins above the licence tier and answers their routes with 403', async () => {
    expect(list.gated).toMatchObject({ state: 'locked', reason: 'requires a Business license' });
    const res = await panel.request('GET', '/api/gated');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatch(/requires a Business license/);
  });

  it('lets an admin disable and re-enable a plugin', async () => {
    expect((await panel.request('POST', '/api/plugins/healthy/disable')).body.data.state).toBe('disabled');
    const refused = await panel.request('GET', '/api/healthy');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/disabled by an administrator/);
    expect((await panel.request('POST', '/api/plugins/healthy/enable')).body.data.state).toBe('active');
    expect((await panel.request('GET', '/api/healthy')).status).toBe(200);
  });
});
