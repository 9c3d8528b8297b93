// The container is the kernel's wiring: kernel modules register what they provide under typed
// tokens and the kernel resolves it; each plugin's services live in the plugin's child container.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { container } from 'tsyringe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KernelModule } from '../../core/kernel.js';
import { provide, provided, serviceToken, Tokens } from '../../core/tokens.js';
import { createServiceRef, definePlugin } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

const greeting = createServiceRef<{ hello(): string }>('probe.greeting');
const observed: string[] = [];

/** A module of the test that adds a gate and an observer the way the auth and metrics modules do. */
const probe: KernelModule = {
  name: 'probe',
  migrations: [],
  install(k) {
    k.provide(Tokens.ResponseObserver, (e) => void observed.push(`${e.method} ${e.route} ${e.status}`));
    k.provide(Tokens.PluginGate, (slot, p) =>
      slot.id === 'fenced' && p?.role === 'user' ? 'the probe fences it off' : null,
    );
  },
};

const fenced = definePlugin({
  manifest: { id: 'fenced', version: '1.0.0', sdk: '^1.0.0', provides: ['probe.greeting'] },
  start(ctx) {
    ctx.services.provide(greeting, { hello: () => 'hi' });
    ctx.route({
      method: 'GET',
      path: '/api/fenced',
      summary: 'probe',
      access: { roles: ['admin', 'user'] },
      handler: () => ({ users: typeof ctx.users.findByUsername }),
    });
  },
});

describe('the kernel container', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel({ inline: [fenced], modules: [probe] });
  });
  afterAll(async () => {
    if (panel) await panel.stop();
  });

  it('attaches the gates and observers modules register', async () => {
    const user = await panel.request('GET', '/api/fenced', { as: 'user' });
    expect(user.status).toBe(403);
    expect(user.body.error).toMatch(/the probe fences it off/);
    const admin = await panel.request('GET', '/api/fenced', { as: 'admin' });
    expect(admin.body).toEqual({ ok: true, data: { users: 'function' } });
    expect(observed).toContain('GET /api/fenced 200');
  });

  it("resolves the auth module's providers through the container", () => {
    const c = panel.kernel.container;
    expect(c.resolve(Tokens.Users)).toBe(panel.kernel.users);
    expect(c.isRegistered(Tokens.Authenticator)).toBe(true);
    expect(c.resolveAll(Tokens.PluginGate)).toHaveLength(2);
    expect(provided(c, Tokens.Licence)!().tier).toBe('business');
  });

  it("keeps a plugin's services in its own child container", () => {
    expect(panel.kernel.container.isRegistered(serviceToken(greeting), true)).toBe(false);
    expect(panel.kernel.services.find(greeting)?.hello()).toBe('hi');
  });

  it('refuses a second provider of a one-provider token, and takes many gates', () => {
    const c = container.createChildContainer();
    provide(c, Tokens.AuditSink, { record: () => undefined });
    expect(() => provide(c, Tokens.AuditSink, { record: () => undefined })).toThrow(
      'velopanel.audit-sink is already provided',
    );
    provide(c, Tokens.PluginGate, () => null);
    provide(c, Tokens.PluginGate, () => null);
    expect(c.resolveAll(Tokens.PluginGate)).toHaveLength(2);
  });

  it('every token is resolved by the kernel', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const core = ['core/kernel.ts', 'core/plugins/context.ts']
      .map((f) => readFileSync(path.join(root, f), 'utf8'))
      .join('\n');
    const unused = Object.keys(Tokens).filter(
      (name) => !new RegExp(`(provided|providedAll|inject)\\((?:[\\w.]+, )?Tokens\\.${name}\\)`).test(core),
    );
    expect(unused).toEqual([]);
  });
});
