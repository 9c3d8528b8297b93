// Certificates from pebble with real HTTP-01 validation through the panel's nginx vhosts:
// provision, HTTPS serving the chain, details, renew, auto-renew, and failures that keep the old
// state. Every pebble-validated test lives in this one file: the challenge port is shared.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHALLENGE_PORT_HOOK_MS } from '../../../test/bed/helpers/pebble.js';
import { useServices } from '../../../test/bed/index.js';
import { chainsToPebbleRoot } from '../../../test/bed/helpers/pebble.js';
import { fetchVhost } from '../../../test/bed/helpers/http.js';
import { panelCertificateTests } from './panel-acme.js';
import { addDomain, challtestsrv, createAccount, customCertificate, startSslStack, type SslStack } from './stack.js';

const bed = useServices('pebble', 'nginx');
const tag = process.pid.toString(36);
const site = `shop-${tag}.test`;
const www = `www.${site}`;
const blog = `blog-${tag}.test`;

describe.skipIf(bed.skip)('SSL with pebble through nginx', () => {
  let s: SslStack;
  let account: { id: number; home_dir: string };
  let first: any;
  const api = (method: string, p: string, body?: unknown) => s.h.panel.request(method, p, { body });
  const accountKey = () => path.join(s.h.panel.dataDir, 'acme', 'account.key');
  const https = (host: string) => fetchVhost({ port: s.nginx.httpsPort, host, https: true, ca: s.pebbleRoot });
  // Custom certificates come from a throwaway CA: read what is served without verifying it.
  const servedSerial = async (host: string) =>
    (await fetchVhost({ port: s.nginx.httpsPort, host, https: true })).certificate?.serialNumber.toUpperCase();

  beforeAll(async () => {
    s = await startSslStack(bed.pebble);
    account = await createAccount(s, site);
    await addDomain(s, account.id, www, 'alias');
    await addDomain(s, account.id, blog, 'addon');
  }, CHALLENGE_PORT_HOOK_MS);
  afterAll(async () => {
    await s?.stop();
  });

  it('provisions a certificate validated through nginx, stores it and serves it over HTTPS', async () => {
    const res = await api('POST', '/api/ssl/provision', { domain: site });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    first = res.body.data;
    expect(first).toMatchObject({ domain: site, account_id: account.id, source: 'acme' });
    expect(first.sans.sort()).toEqual([site, www].sort());
    expect(await chainsToPebbleRoot(bed.pebble, readFileSync(first.files.fullchain, 'utf8'))).toBe(true);
    expect(statSync(first.files.key).mode & 0o777).toBe(0o600);
    expect(first.files.key.startsWith(path.join(s.h.panel.dataDir, 'ssl', site) + '/')).toBe(true);
    expect(statSync(accountKey()).mode & 0o777).toBe(0o600);
    // pebble really fetched the tokens through the vhost, and the files are gone again
    const fetched = s.nginx.accessLog().filter((l) => l.includes('/.well-known/acme-challenge/'));
    expect(fetched.some((l) => l.startsWith(`${site} `) && l.endsWith(' 200'))).toBe(true);
    expect(fetched.some((l) => l.startsWith(`${www} `) && l.endsWith(' 200'))).toBe(true);
    expect(existsSync(path.join(account.home_dir, 'public_html', '.well-known'))).toBe(false);
    for (const host of [site, www]) {
      const page = await https(host);
      expect(page.authorized).toBe(true);
      expect(page.certificate?.serialNumber.toUpperCase()).toBe(first.serial);
    }
  });

  it('shows the details: subject, SANs, issuer, validity, serial, days left, renewal status', async () => {
    const res = await api('GET', `/api/ssl/certificate/${site}`);
    expect(res.status).toBe(200);
    const d = res.body.data;
    expect(d.subject).toContain(`CN=${site}`);
    expect(d.issuer).toMatch(/Pebble/i);
    expect(d.serial).toBe(first.serial);
    expect(Date.parse(d.valid_from)).toBeLessThan(Date.now());
    expect(d.expiry).toBe(d.valid_to);
    expect(d.days_left).toBeGreaterThan(30);
    expect(d.renewal).toMatchObject({ auto_renew: true, due: false, last_status: 'ok', last_error: null });
    const list = await api('GET', '/api/ssl/certificates');
    expect(list.body.data.map((c: any) => [c.domain, c.issuer, c.expiry, c.files.fullchain])).toEqual([
      [site, d.issuer, d.valid_to, d.files.fullchain],
    ]);
  });

  it('renews on GET and POST: a new certificate serves, the old files are gone, the account key stays', async () => {
    const key = readFileSync(accountKey(), 'utf8');
    for (const method of ['GET', 'POST']) {
      const before = (await api('GET', `/api/ssl/certificate/${site}`)).body.data;
      const res = await api(method, `/api/ssl/renew/${site}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.data.serial).not.toBe(before.serial);
      expect((await https(site)).certificate?.serialNumber.toUpperCase()).toBe(res.body.data.serial);
      expect(existsSync(path.dirname(before.files.key))).toBe(false);
    }
    expect(readFileSync(accountKey(), 'utf8')).toBe(key);
  });

  it('still answers the challenge while the account is suspended', async () => {
    // A name pebble never validated, so it cannot reuse an authorization and must fetch the token.
    const name = `suspended-${tag}.test`;
    const owner = await createAccount(s, name);
    expect((await api('POST', `/api/accounts/${owner.id}/suspend`)).status).toBe(200);
    const res = await api('POST', '/api/ssl/provision', { domain: name });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(
      s.nginx.accessLog().some((l) => l.startsWith(`${name} "GET /.well-known/acme-challenge/`) && l.endsWith(' 200')),
    ).toBe(true);
  });

  it('auto-renew renews what expires within 30 days, skips fresh ones, and is safe to call concurrently', async () => {
    const custom = await api('POST', '/api/ssl/upload', { domain: blog, ...(await customCertificate(s.tmp, [blog])) });
    expect(custom.status, JSON.stringify(custom.body)).toBe(200);
    expect(custom.body.data).toMatchObject({ source: 'custom', days_left: expect.any(Number) });
    expect(custom.body.data.renewal.due).toBe(true);
    expect(await servedSerial(blog)).toBe(custom.body.data.serial);

    const [a, b] = await Promise.all([api('POST', '/api/ssl/auto-renew'), api('POST', '/api/ssl/auto-renew')]);
    for (const r of [a, b]) {
      expect(r.status).toBe(200);
      expect(Object.keys(r.body.data).sort()).toEqual(['errors', 'renewed', 'skipped']);
      expect(r.body.data.errors).toEqual([]);
    }
    expect([...a.body.data.renewed, ...b.body.data.renewed]).toEqual([blog]);
    expect([...a.body.data.skipped, ...b.body.data.skipped].filter((d: string) => d === blog)).toHaveLength(1);
    for (const r of [a, b])
      expect(r.body.data.skipped).toEqual(expect.arrayContaining([site, `suspended-${tag}.test`]));
    const renewed = (await api('GET', `/api/ssl/certificate/${blog}`)).body.data;
    expect(renewed).toMatchObject({ source: 'acme', renewal: { due: false } });
    expect((await https(blog)).certificate?.serialNumber.toUpperCase()).toBe(renewed.serial);
  });

  describe('a failed order keeps the old certificate and reports the reason', () => {
    const failing = async (name: string) => {
      const owner = await createAccount(s, name);
      const up = await api('POST', '/api/ssl/upload', { domain: name, ...(await customCertificate(s.tmp, [name])) });
      expect(up.status, JSON.stringify(up.body)).toBe(200);
      return { owner, before: up.body.data };
    };
    const unchanged = async (name: string, before: any, owner: { home_dir: string }) => {
      const after = (await api('GET', `/api/ssl/certificate/${name}`)).body.data;
      expect(after).toMatchObject({
        serial: before.serial,
        source: 'custom',
        files: before.files,
        renewal: { last_status: 'failed' },
      });
      expect(readdirSync(path.dirname(path.dirname(after.files.key)))).toEqual([
        path.basename(path.dirname(after.files.key)),
      ]);
      expect(await servedSerial(name)).toBe(before.serial);
      expect(existsSync(path.join(owner.home_dir, 'public_html', '.well-known'))).toBe(false);
      return after;
    };

    it('when the CA refuses (its DNS lookup fails)', async () => {
      const name = `refused-${tag}.test`;
      const { owner, before } = await failing(name);
      await challtestsrv(bed.pebble, 'set-servfail', { host: name });
      try {
        const res = await api('POST', `/api/ssl/renew/${name}`);
        expect(res.status).toBe(502);
        expect(res.body.error.startsWith(`Certificate for ${name} was not issued: ${name}: `)).toBe(true);
        expect(res.body.error).toMatch(/could not resolve|SERVFAIL/i);
        const after = await unchanged(name, before, owner);
        expect(after.renewal.last_error).toBe(res.body.error);
      } finally {
        await challtestsrv(bed.pebble, 'clear-servfail', { host: name });
      }
    });

    it('when the challenge cannot be reached', async () => {
      const name = `unreachable-${tag}.test`;
      const { owner, before } = await failing(name);
      await challtestsrv(bed.pebble, 'add-a', { host: name, addresses: ['127.0.0.2'] });
      try {
        const res = await api('POST', '/api/ssl/provision', { domain: name });
        expect(res.status).toBe(502);
        expect(res.body.error).toMatch(/was not issued: .*(connection refused|connect)/i);
        await unchanged(name, before, owner);
      } finally {
        await challtestsrv(bed.pebble, 'clear-a', { host: name });
      }
    });
  });

  describe('the panel certificate', () =>
    panelCertificateTests(() => ({ pebble: bed.pebble, s }), `panel-${tag}.test`));
});
