// What /metrics reports, from real plugins where they exist: requests per route, jobs by state,
// accounts and domains against the licence limits, plugin states, certificate expiry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateExpiries, definePlugin, errors } from '../../sdk/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { parseExposition, scrape } from './scrape.js';

// Stand-in for the ssl plugin's side of the `certificate-expiries` service.
const certificates = definePlugin({
  manifest: { id: 'cert-stand-in', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    ctx.services.provide(certificateExpiries, {
      list: async () => [
        { name: 'shop.test', notAfter: '2026-09-01T12:00:00.000Z', source: 'acme' },
        { name: 'panel.test', notAfter: '2027-01-01T00:00:00Z', source: 'panel' },
      ],
    });
  },
});

const jobs = definePlugin({
  manifest: { id: 'job-maker', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    ctx.route({
      method: 'POST',
      path: '/api/job-maker/run',
      access: { roles: ['admin'] },
      handler: async () => {
        const ok = await ctx.jobs.start({ kind: 'demo.ok' }, async () => 'done');
        const bad = await ctx.jobs.start({ kind: 'demo.bad' }, async () => {
          throw errors.conflict('nope');
        });
        return [(await ctx.jobs.wait(ok.id)).state, (await ctx.jobs.wait(bad.id)).state];
      },
    });
  },
});

const locked = definePlugin({
  manifest: { id: 'biz-only', version: '2.1.0', sdk: '^1.0.0', tier: 'business' },
  start() {},
});

describe('metrics content', () => {
  let h: HostingPanel;
  let m: Map<string, number>;
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'veloserve', tier: 'pro', inline: [certificates, jobs, locked] });
    const p = h.panel;
    for (let i = 0; i < 2; i++)
      expect((await p.request('POST', '/api/accounts', { body: accountBody() })).status).toBe(200);
    const first = (await p.request('GET', '/api/accounts')).body.data[0];
    expect(
      (
        await p.request('POST', '/api/domains', {
          body: { account_id: first.id, domain_name: `addon${first.id}.test`, domain_type: 'addon' },
        })
      ).status,
    ).toBe(200);
    expect((await p.request('GET', '/api/accounts/999999')).status).toBe(404);
    for (const path of ['/api/no-such-thing/123', '/wp-login.php?probe=1'])
      expect((await p.request('GET', path)).status).toBe(404);
    expect((await p.request('PATCH', '/api/accounts')).status).toBe(405);
    expect((await p.request('POST', '/api/job-maker/run')).body.data).toEqual(['succeeded', 'failed']);
    const res = await scrape(p.url);
    expect(res.status).toBe(200);
    m = parseExposition(res.text);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('counts requests per route pattern and status, with a latency histogram', () => {
    expect(m.get('velopanel_http_requests_total{method="POST",route="/api/accounts",status="200"}')).toBe(2);
    expect(m.get('velopanel_http_requests_total{method="GET",route="/api/accounts/:id",status="404"}')).toBe(1);
    expect(m.get('velopanel_http_request_duration_seconds_count{method="POST",route="/api/accounts"}')).toBe(2);
    expect(m.get('velopanel_http_request_duration_seconds_bucket{method="POST",route="/api/accounts",le="+Inf"}')).toBe(
      2,
    );
    expect([...m.keys()].some((k) => k.includes('route="/api/accounts/999999"'))).toBe(false);
  });

  it('counts requests that match no route under one fixed route label, never their path', () => {
    expect(m.get('velopanel_http_requests_total{method="GET",route="(unmatched)",status="404"}')).toBe(2);
    expect(m.get('velopanel_http_requests_total{method="PATCH",route="(unmatched)",status="405"}')).toBe(1);
    expect(m.get('velopanel_http_request_duration_seconds_count{method="GET",route="(unmatched)"}')).toBe(2);
    expect(m.get('velopanel_http_request_duration_seconds_bucket{method="GET",route="(unmatched)",le="+Inf"}')).toBe(2);
    expect([...m.keys()].filter((k) => /no-such-thing|wp-login|probe/.test(k))).toEqual([]);
  });

  it('reports jobs by state, every state listed', () => {
    expect(m.get('velopanel_jobs{state="succeeded"}')).toBe(1);
    expect(m.get('velopanel_jobs{state="failed"}')).toBe(1);
    expect(m.get('velopanel_jobs{state="running"}')).toBe(0);
    expect(m.get('velopanel_jobs{state="cancelled"}')).toBe(0);
  });

  it('reports accounts and domains beside the licence limits', () => {
    expect(m.get('velopanel_license_info{tier="pro",state="valid"}')).toBe(1);
    expect(m.get('velopanel_usage{resource="accounts"}')).toBe(2);
    expect(m.get('velopanel_usage{resource="domains"}')).toBe(3);
    expect(m.get('velopanel_license_limit{resource="accounts"}')).toBe(50);
    expect(m.get('velopanel_license_limit{resource="domains"}')).toBe(Infinity);
    expect(m.get('velopanel_license_expiry_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000);
  });

  it('reports each plugin state as an enum, with versions', () => {
    expect(m.get('velopanel_plugin_state{plugin="accounts",state="active"}')).toBe(1);
    expect(m.get('velopanel_plugin_state{plugin="accounts",state="locked"}')).toBe(0);
    expect(m.get('velopanel_plugin_state{plugin="biz-only",state="locked"}')).toBe(1);
    expect(m.get('velopanel_plugin_state{plugin="biz-only",state="active"}')).toBe(0);
    expect(m.get('velopanel_plugin_info{plugin="biz-only",version="2.1.0",source="inline",tier="business"}')).toBe(1);
  });

  it('reports certificate expiry from the certificate-expiries service', () => {
    expect(m.get('velopanel_certificate_expiry_timestamp_seconds{name="shop.test",source="acme"}')).toBe(
      Date.parse('2026-09-01T12:00:00Z') / 1000,
    );
    expect(m.get('velopanel_certificate_expiry_timestamp_seconds{name="panel.test",source="panel"}')).toBe(
      Date.parse('2027-01-01T00:00:00Z') / 1000,
    );
  });

  it('describes the process and every collector succeeded', () => {
    expect([...m.keys()].find((k) => k.startsWith('velopanel_build_info{'))).toMatch(/version="\d+\.\d+\.\d+"/);
    expect(m.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    for (const c of ['http', 'jobs', 'license', 'plugins', 'certificates', 'process'])
      expect(m.get(`velopanel_scrape_collector_success{collector="${c}"}`)).toBe(1);
  });
});
