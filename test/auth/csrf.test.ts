import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

let probeCalls = 0;
const probe = definePlugin({
  manifest: { id: 'csrf-probe', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    ctx.route({ method: 'POST', path: '/api/csrf-probe', access: {}, handler: () => ({ calls: ++probeCalls }) });
    ctx.route({
      method: 'GET',
      path: '/api/csrf-probe/touch',
      access: { mutating: true },
      handler: () => ({ calls: ++probeCalls }),
    });
  },
});

const CSRF = /^Cross-site request refused \(CSRF protection\)/;

describe('CSRF on cookie-authenticated changes (hostile class 14)', () => {
  let panel: TestPanel;
  let cookie: string;
  beforeAll(async () => {
    panel = await startTestPanel({ plugins: ['system'], inline: [probe] });
    cookie = `velopanel_token=${panel.tokens.admin}`;
  });
  afterAll(async () => {
    await panel.stop();
  });

  const snapshot = async () => {
    const k = panel.kernel.knex;
    const [users, tokens, plugins, revoked] = await Promise.all([
      k('core_users').orderBy('id'),
      k('core_api_tokens'),
      k('core_plugin_state'),
      k('core_revoked_tokens'),
    ]);
    return JSON.stringify({ users, tokens, plugins, revoked, licence: panel.kernel.licence().tier, probeCalls });
  };

  it('refuses every mutating route ridden cross-site with the cookie, changing nothing', async () => {
    const before = await snapshot();
    const mutating = panel.kernel.http.routes.filter((r) => r.mutating);
    expect(mutating.length).toBeGreaterThan(10);
    for (const r of mutating) {
      const path = r.def.path.replace(/:(\w+)/g, (_, name: string) =>
        name === 'id' && r.pluginId === 'core' && r.def.path.startsWith('/api/plugins')
          ? 'system'
          : name === 'id' && r.def.path.startsWith('/api/jobs')
            ? '00000000-0000-4000-8000-000000000000'
            : '2',
      );
      const crossSite: Record<string, string>[] = [
        { origin: 'https://evil.example' },
        { 'sec-fetch-site': 'cross-site' },
        {},
        { origin: 'null' },
      ];
      for (const headers of crossSite) {
        const roles = r.def.access.roles;
        const as = !roles || roles.includes('admin') ? 'admin' : roles[0]!;
        const res = await panel.request(r.def.method, path, {
          as: 'anon',
          headers: { cookie: `velopanel_token=${panel.tokens[as]}`, ...headers },
          body: r.def.method === 'GET' ? undefined : {},
        });
        expect(res.status, `${r.def.method} ${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(res.body.error).toMatch(CSRF);
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it('allows the same change from the panel own origin', async () => {
    const sameOrigin = await panel.request('POST', '/api/csrf-probe', {
      as: 'anon',
      headers: { cookie, origin: panel.url },
    });
    expect(sameOrigin.status).toBe(200);
    const fetchMeta = await panel.request('POST', '/api/csrf-probe', {
      as: 'anon',
      headers: { cookie, 'sec-fetch-site': 'same-origin' },
    });
    expect(fetchMeta.status).toBe(200);
  });

  it('leaves Bearer requests alone, whatever their Origin', async () => {
    const res = await panel.request('POST', '/api/csrf-probe', {
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(res.status).toBe(200);
  });

  it('does not apply to reads with the cookie', async () => {
    const res = await panel.request('GET', '/api/auth/me', {
      as: 'anon',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(res.status).toBe(200);
  });
});
