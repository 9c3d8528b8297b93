import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { forgedTokens, jwtSecretOf } from './helpers.js';

// Hostile classes 1 and 18 here; 10 in roles/api-tokens/plugin-gates, 12 and 13 in throttle/api-tokens/setup-login, 14 in csrf.
describe('hostile inputs against the kernel routes', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel({ plugins: ['system'] });
  });
  afterAll(async () => {
    await panel.stop();
  });

  /** A reseller's session and API token, both taken before the reseller changed its password. */
  const staleAfterPasswordChange = async (): Promise<Record<string, string>> => {
    const who = { username: 'hostile-stale', password: 'Stale-Pass-123' };
    expect((await panel.request('POST', '/api/resellers', { body: who })).status).toBe(200);
    const session = (await panel.request('POST', '/api/auth/login', { as: 'anon', body: who })).body.data
      .token as string;
    const apiToken = (
      await panel.request('POST', '/api/tokens', {
        as: { token: session },
        body: { name: 'everything', scopes: ['*'] },
      })
    ).body.data.token as string;
    const changed = await panel.request('POST', '/api/auth/password', {
      as: { token: session },
      body: { current_password: who.password, new_password: 'Stale-Pass-456' },
    });
    expect(changed.status).toBe(200);
    return { 'session before a password change': session, 'api token after a password change': apiToken };
  };

  const sample = (path: string) =>
    path.replace(/:(\w+)/g, (_, n: string) =>
      n === 'id' && path.startsWith('/api/jobs')
        ? '00000000-0000-4000-8000-000000000000'
        : n === 'id' && path.startsWith('/api/plugins')
          ? 'system'
          : '2',
    );

  it('class 1: every protected route refuses missing and bad tokens, for every method and body type', async () => {
    const forged = await forgedTokens(panel.tokens.admin, jwtSecretOf(panel.dataDir));
    const credentials: Record<string, Record<string, string>> = { none: {} };
    for (const [kind, token] of Object.entries(forged)) {
      credentials[`bearer ${kind}`] = { authorization: `Bearer ${token}` };
      credentials[`cookie ${kind}`] = { cookie: `velopanel_token=${token}` };
    }
    // Issue 16: what a login held before its password changed (a session, an API token) is dead everywhere.
    for (const [kind, token] of Object.entries(await staleAfterPasswordChange())) {
      credentials[`bearer ${kind}`] = { authorization: `Bearer ${token}` };
      if (kind === 'session before a password change')
        credentials[`cookie ${kind}`] = { cookie: `velopanel_token=${token}` };
    }
    credentials['basic auth'] = { authorization: 'Basic YWRtaW46YWRtaW4=' };
    credentials['api-token-looking junk'] = { authorization: 'Bearer vpt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    const bodies: Record<string, { raw?: string; headers: Record<string, string> }> = {
      json: { raw: '{"username":"x"}', headers: { 'content-type': 'application/json' } },
      form: { raw: 'username=x&password=y', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      multipart: {
        raw: '--b\r\nContent-Disposition: form-data; name="f"\r\n\r\nv\r\n--b--\r\n',
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
      },
    };
    const protectedRoutes = panel.kernel.http.routes.filter((r) => !r.def.access.public);
    expect(protectedRoutes.length).toBeGreaterThan(20);
    const paths = [...new Set(protectedRoutes.map((r) => sample(r.def.path)))];
    for (const path of paths) {
      const owners = protectedRoutes.filter((r) => sample(r.def.path) === path);
      const answered = new Set(owners.map((r) => r.def.method).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])));
      const creds = Object.entries(credentials);
      let turn = paths.indexOf(path);
      for (const method of ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE']) {
        // Answered methods meet the named bad tokens and two more; each path meets every credential across its methods.
        const named = creds.filter(
          ([n]) =>
            n === 'none' ||
            /^(bearer|cookie) (tampered|alg:none|expired|wrong key)$/.test(n) ||
            / (before|after) a password change$/.test(n),
        );
        const picked = [...(answered.has(method) ? named : []), ...[0, 1].map(() => creds[turn++ % creds.length]!)];
        for (const [credName, headers] of picked) {
          const body =
            method === 'GET' || method === 'HEAD'
              ? { headers: {} }
              : bodies[['json', 'form', 'multipart'][path.length % 3]!]!;
          const res = await panel.request(method, path, {
            as: 'anon',
            raw: body.raw,
            headers: { ...headers, ...body.headers },
          });
          const where = `${method} ${path} with ${credName}`;
          if (answered.has(method)) expect(res.status, where).toBe(401);
          else expect([404, 405], where).toContain(res.status);
          if (method !== 'HEAD') expect(res.body, where).toMatchObject({ ok: false, error: expect.any(String) });
        }
      }
    }
  });

  it('class 1: a token of the wrong role gets 403 on every admin-only route', async () => {
    const adminOnly = panel.kernel.http.routes.filter(
      (r) => r.def.access.roles && !r.def.access.roles.includes('user'),
    );
    expect(adminOnly.length).toBeGreaterThan(8);
    for (const r of adminOnly) {
      const res = await panel.request(r.def.method, sample(r.def.path), {
        as: 'user',
        body: r.def.method === 'GET' ? undefined : {},
      });
      expect(res.status, `${r.def.method} ${r.def.path}`).toBe(403);
      expect(res.body.error).toBe('Your role (user) may not do this');
    }
  });

  it('class 18: type confusion, huge values and invalid UTF-8 get a 400 naming the field', async () => {
    const notString = [['admin'], { $gt: '' }, 12345, null, true, 1e308, 'x'.repeat(100_000)];
    const notCount = ['5', ['5'], { n: 5 }, true, 1e308, 1.5, -1];
    const routes: [string, string, Record<string, unknown>, string][] = [
      ['POST', '/api/auth/login', { username: 'a', password: 'b' }, 'username'],
      ['POST', '/api/auth/login', { username: 'a', password: 'b' }, 'password'],
      ['POST', '/api/auth/setup', { username: 'abc', password: 'longenough' }, 'username'],
      ['POST', '/api/tokens', { name: 'n', scopes: ['plugins:read'] }, 'name'],
      ['POST', '/api/tokens', { name: 'n', scopes: ['plugins:read'] }, 'expires_at'],
      ['POST', '/api/resellers', { username: 'typed', password: 'longenough' }, 'password'],
      ['POST', '/api/resellers', { username: 'typed', password: 'longenough' }, 'max_accounts'],
      ['PATCH', '/api/resellers/2', { email: 'a@b.example' }, 'email'],
      ['POST', '/api/license', { license_key: 'x' }, 'license_key'],
      ['POST', '/api/auth/password', { current_password: 'x', new_password: 'longenough' }, 'new_password'],
    ];
    const before = await panel.kernel.knex('core_users').count({ n: '*' }).first();
    for (const [method, path, valid, field] of routes) {
      for (const value of field === 'max_accounts' ? notCount : notString) {
        // These fields take null on purpose (no cap, no expiry, no email).
        if (value === null && ['expires_at', 'email'].includes(field)) continue;
        const res = await panel.request(method, path, { body: { ...valid, [field]: value } });
        const where = `${method} ${path} ${field}=${JSON.stringify(value).slice(0, 20)}`;
        expect(res.status, where).toBe(400);
        expect(res.body.error, where).toMatch(new RegExp(`^${field}: |^body: `));
      }
    }
    for (const raw of [
      Buffer.from([0x7b, 0x22, 0x75, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
      Buffer.from('{"username":"\xc0\xaf"}', 'latin1'),
    ]) {
      const res = await panel.request('POST', '/api/auth/login', {
        as: 'anon',
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('body: is not valid UTF-8');
    }
    const big = await panel.request('POST', '/api/tokens', {
      raw: JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024), scopes: ['*'] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
    for (const id of ['abc', '0', '-1', '1e3', '99999999999999999999', '2%00', '..%2f1']) {
      const res = await panel.request('GET', `/api/resellers/${id}`);
      expect([400, 404], id).toContain(res.status);
      if (res.status === 400) expect(res.body.error).toMatch(/^id: /);
    }
    expect(await panel.kernel.knex('core_users').count({ n: '*' }).first()).toEqual(before);
  });

  it('class 10 (issue 16): in linux mode loopback is no trust boundary — no public route serves panel state to it', async () => {
    const linux = await startTestPanel({ plugins: ['system'], config: { mode: 'linux' } });
    try {
      const open = linux.kernel.http.routes
        .filter((r) => r.def.access.public)
        .map((r) => `${r.def.method} ${r.def.path}`)
        .sort();
      // A new public route is a decision: add it here only when it tells an anonymous local process nothing.
      const allowed = [
        'GET /api/auth/setup',
        'GET /api/health',
        'GET /api/openapi.json',
        'GET /metrics',
        'POST /api/auth/login',
        'POST /api/auth/login/2fa',
        'POST /api/auth/logout',
        'POST /api/auth/setup',
      ];
      for (const route of open) expect(allowed, route).toContain(route);
      const metrics = await linux.request('GET', '/metrics', { as: 'anon' });
      expect(metrics.status).toBe(401);
      expect(JSON.stringify(metrics.body)).not.toMatch(/velopanel_/);
      expect((await linux.request('GET', '/metrics', { as: 'user' })).status).toBe(403);
    } finally {
      await linux.stop();
    }
  });
});
