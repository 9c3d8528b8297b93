// A wildcard certificate by DNS-01 end to end: pebble validates the _acme-challenge TXT the dns
// plugin writes into the account's zone on a real PowerDNS, nginx serves the certificate for the
// domain and any name under it, renewal uses the same method, and the records are gone after.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHALLENGE_PORT_HOOK_MS } from '../../../test/bed/helpers/pebble.js';
import { useServices } from '../../../test/bed/index.js';
import { chainsToPebbleRoot } from '../../../test/bed/helpers/pebble.js';
import { fetchVhost } from '../../../test/bed/helpers/http.js';
import { dig } from '../../../test/bed/helpers/pdns.js';
import { dnsConfig } from '../../../test/dns/stack.js';
import { addDomain, createAccount, startSslStack, type SslStack } from './stack.js';

const bed = useServices('pebbledns', 'nginx');
const tag = process.pid.toString(36);
const site = `wild-${tag}.test`;

describe.skipIf(bed.skip)('wildcard certificates by DNS-01 through PowerDNS', () => {
  let s: SslStack;
  let first: any;
  const api = (method: string, p: string, body?: unknown) => s.h.panel.request(method, p, { body });
  const https = (host: string) => fetchVhost({ port: s.nginx.httpsPort, host, https: true, ca: s.pebbleRoot });

  beforeAll(async () => {
    s = await startSslStack(bed.pebbledns, {
      extra: ['dns'],
      plugins: { dns: dnsConfig(bed.pebbledns.pdns, { server_ipv4: '127.0.0.1', server_ipv6: '' }) },
    });
    const account = await createAccount(s, site);
    await addDomain(s, account.id, `shop.${site}`, 'alias');
  }, CHALLENGE_PORT_HOOK_MS);
  afterAll(async () => {
    await s?.stop();
  });

  it('refuses a wildcard by HTTP-01 and contradictory input with 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [
        { domain: `*.${site}`, challenge: 'http-01' },
        'challenge: a wildcard certificate can only be proven with dns-01',
      ],
      [
        { domain: site, wildcard: true, challenge: 'http-01' },
        'challenge: a wildcard certificate can only be proven with dns-01',
      ],
      [{ domain: `*.${site}`, wildcard: false }, 'wildcard: false contradicts the *. domain name'],
      [{ domain: site, challenge: 'dns-01', webroot: '/tmp/x' }, 'webroot: only http-01 uses a webroot'],
    ];
    for (const [body, error] of cases) {
      const res = await api('POST', '/api/ssl/provision', body);
      expect([res.status, res.body.error], JSON.stringify(body)).toEqual([400, error]);
    }
    expect((await api('POST', '/api/ssl/provision', { domain: '*.*.x.test' })).status).toBe(400);
    expect((await api('GET', '/api/ssl/certificates')).body.data).toEqual([]);
  });

  it('issues *.domain by DNS-01, serves it through nginx for any name under the domain', async () => {
    const res = await api('POST', '/api/ssl/provision', { domain: `*.${site}` });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    first = res.body.data;
    expect(first).toMatchObject({
      domain: site,
      source: 'acme',
      wildcard: true,
      renewal: { challenge: 'dns-01', last_status: 'ok' },
    });
    expect(first.sans.sort()).toEqual([`*.${site}`, site].sort());
    expect(await chainsToPebbleRoot(bed.pebbledns, readFileSync(first.files.fullchain, 'utf8'))).toBe(true);
    expect(await dig(bed.pebbledns.pdns, `_acme-challenge.${site}`, 'TXT')).toEqual([]);
    for (const host of [site, `www.${site}`, `shop.${site}`]) {
      const page = await https(host);
      expect(page.authorized, host).toBe(true);
      expect(page.certificate?.serialNumber.toUpperCase()).toBe(first.serial);
    }
  });

  it('keeps HTTP-01 the default for a plain certificate, with the dns plugin present', async () => {
    const plain = `plain-${tag}.test`;
    await createAccount(s, plain);
    const res = await api('POST', '/api/ssl/provision', { domain: plain });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ wildcard: false, renewal: { challenge: null } });
    expect(
      s.nginx
        .accessLog()
        .some((l) => l.startsWith(`${plain} `) && l.includes('/.well-known/acme-challenge/') && l.endsWith(' 200')),
    ).toBe(true);
  });

  it('renews with the same method: a new wildcard certificate serves', async () => {
    const res = await api('POST', `/api/ssl/renew/${site}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.serial).not.toBe(first.serial);
    expect(res.body.data).toMatchObject({ wildcard: true, renewal: { challenge: 'dns-01' } });
    expect(res.body.data.sans.sort()).toEqual([`*.${site}`, site].sort());
    expect((await https(`www.${site}`)).certificate?.serialNumber.toUpperCase()).toBe(res.body.data.serial);
    expect(await dig(bed.pebbledns.pdns, `_acme-challenge.${site}`, 'TXT')).toEqual([]);
  });
});
