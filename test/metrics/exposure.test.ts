// Who may read /metrics: loopback clients freely; anyone else only with an admin login or an admin
// API token holding metrics:read. A remote client is simulated the way the kernel resolves one:
// 127.0.0.1 is a trusted proxy and X-Forwarded-For names the client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { parseExposition, scrape } from './scrape.js';

const REMOTE = '203.0.113.7';

describe('metrics exposure', () => {
  let panel: TestPanel;
  let direct: TestPanel;
  const token = async (scopes: string[]) =>
    (await panel.request('POST', '/api/tokens', { body: { name: `metrics ${scopes.join(' ')}`, scopes } })).body.data
      .token as string;
  beforeAll(async () => {
    panel = await startTestPanel({ config: { trusted_proxies: ['127.0.0.1'] } });
    direct = await startTestPanel();
  });
  afterAll(async () => {
    await panel?.stop();
    await direct?.stop();
  });

  it('serves loopback clients without a token, in the text format', async () => {
    const res = await scrape(panel.url);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(parseExposition(res.text).get('velopanel_scrape_collector_success{collector="jobs"}')).toBe(1);
  });

  it('refuses a remote client without a token with 401 and the envelope', async () => {
    const res = await scrape(panel.url, { forwardedFor: REMOTE });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toMatchObject({
      ok: false,
      code: 'UNAUTHENTICATED',
      error: 'Metrics are served to loopback clients, or to others with an admin token',
    });
  });

  it('refuses remote resellers and users, and tokens that are not valid', async () => {
    for (const role of ['reseller', 'user'] as const) {
      const res = await scrape(panel.url, { forwardedFor: REMOTE, token: panel.tokens[role] });
      expect({ role, status: res.status, error: JSON.parse(res.text).error }).toEqual({
        role,
        status: 403,
        error: `Your role (${role}) may not read metrics`,
      });
    }
    expect((await scrape(panel.url, { forwardedFor: REMOTE, token: `${panel.tokens.admin}x` })).status).toBe(401);
  });

  it('serves a remote admin session and an admin API token with metrics:read, not one without it', async () => {
    expect((await scrape(panel.url, { forwardedFor: REMOTE, token: panel.tokens.admin })).status).toBe(200);
    expect((await scrape(panel.url, { forwardedFor: REMOTE, token: await token(['metrics:read']) })).status).toBe(200);
    const narrow = await scrape(panel.url, { forwardedFor: REMOTE, token: await token(['accounts:read']) });
    expect(narrow.status).toBe(403);
    expect(JSON.parse(narrow.text).error).toBe("This API token lacks the scope 'metrics:read'");
  });

  it('cannot be fooled by a loopback address put in front of the real client', async () => {
    const res = await scrape(panel.url, { forwardedFor: `127.0.0.1, ${REMOTE}` });
    expect(res.status).toBe(401);
  });

  it('ignores X-Forwarded-For when no proxy is trusted (the peer is the client)', async () => {
    expect((await scrape(direct.url, { forwardedFor: REMOTE })).status).toBe(200);
  });
});

// Issue 16: tenants' PHP and shells run on the host in linux mode, so loopback is no trust boundary there.
describe('metrics exposure in linux mode', () => {
  const SCRAPE = 's'.repeat(20) + '-scrape-token-0123456789';
  let linux: TestPanel;
  let open: TestPanel;
  beforeAll(async () => {
    linux = await startTestPanel({ config: { mode: 'linux', metrics_token: SCRAPE } });
    open = await startTestPanel({ config: { mode: 'linux', metrics_public_on_loopback: true } });
  });
  afterAll(async () => {
    await linux?.stop();
    await open?.stop();
  });

  it('refuses a loopback client without a token (a tenant script on the host), and tenant logins', async () => {
    const res = await scrape(linux.url);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toMatchObject({
      ok: false,
      code: 'UNAUTHENTICATED',
      error: 'Metrics need an admin token or the scrape token (metrics_token)',
    });
    expect(res.text).not.toContain('velopanel_license_info');
    for (const role of ['reseller', 'user'] as const)
      expect((await scrape(linux.url, { token: linux.tokens[role] })).status).toBe(403);
    expect((await scrape(linux.url, { token: `${SCRAPE}x` })).status).toBe(401);
  });

  it('serves an admin token and the configured scrape token', async () => {
    expect((await scrape(linux.url, { token: linux.tokens.admin })).status).toBe(200);
    const res = await scrape(linux.url, { token: SCRAPE });
    expect(res.status).toBe(200);
    expect(parseExposition(res.text).get('velopanel_scrape_collector_success{collector="license"}')).toBe(1);
  });

  it('serves loopback freely only when metrics_public_on_loopback = true', async () => {
    expect((await scrape(open.url)).status).toBe(200);
  });
});
