// A domain deleted on its own (DELETE /api/domains/:id) takes its certificate with it at once
// (domain.deleted hook): row, files (key included), listing, details and renewal. A certificate of another domain naming it as a
// SAN, and other accounts' certificates, keep serving. Custom certificates: no CA needed.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../bed/proc.js';
import { fetchVhost } from '../bed/helpers/http.js';
import { accountBody, openTempDir, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { customCertificate } from './stack.js';

const tag = process.pid.toString(36);
const site = `site-${tag}.test`;
const alias = `alias-${tag}.test`;
const shop = `shop-${tag}.test`;
const later = `later-${tag}.test`;
const moved = `moved-${tag}.test`;
const other = `other-${tag}.test`;

describe('SSL: deleting a single domain', () => {
  let h: HostingPanel;
  let httpsPort: number;
  const tmp = openTempDir('velopanel-ssl-domain-removal-');
  const api = (method: string, p: string, body?: unknown) => h.panel.request(method, p, { body });
  const ssl = (...parts: string[]) => path.join(h.panel.dataDir, 'ssl', ...parts);
  const served = async (host: string) =>
    (await fetchVhost({ port: httpsPort, host, https: true })).certificate?.serialNumber.toUpperCase();
  const domainIds: Record<string, number> = {};
  const certs: Record<string, any> = {};
  let otherAccount: number;

  const upload = async (domain: string, names: string[]) => {
    const res = await api('POST', '/api/ssl/upload', { domain, ...(await customCertificate(tmp, names)) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    certs[domain] = res.body.data;
  };
  const addDomain = async (account_id: number, domain_name: string, domain_type: string) => {
    const res = await api('POST', '/api/domains', { account_id, domain_name, domain_type });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    domainIds[domain_name] = res.body.data.id;
  };

  beforeAll(async () => {
    httpsPort = await freePort();
    h = await startHostingPanel({
      engine: 'nginx',
      extra: ['ssl'],
      plugins: { nginx: { listen_ssl: `127.0.0.1:${httpsPort}` }, ssl: { directory_url: 'https://127.0.0.1:9/dir' } },
    });
    const mine = (await api('POST', '/api/accounts', accountBody({ domain: site }))).body.data;
    otherAccount = (await api('POST', '/api/accounts', accountBody({ domain: other }))).body.data.id;
    await addDomain(mine.id, alias, 'alias');
    await addDomain(mine.id, shop, 'addon');
    await addDomain(mine.id, later, 'addon');
    await addDomain(mine.id, moved, 'addon');
    await upload(site, [site, alias]);
    await upload(shop, [shop]);
    await upload(later, [later]);
    await upload(moved, [moved]);
    await upload(other, [other]);
    expect(await served(shop)).toBe(certs[shop].serial);
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('forgets the certificate of the deleted addon domain: files, key, listing, details', async () => {
    expect(existsSync(certs[shop].files.key)).toBe(true);
    expect((await api('DELETE', `/api/domains/${domainIds[shop]}`)).status).toBe(200);
    // At once, through the domain.deleted hook: no listing or renewal pass needed.
    expect(existsSync(certs[shop].files.key)).toBe(false);
    const list = (await api('GET', '/api/ssl/certificates')).body.data.map((c: any) => c.domain);
    expect(list.sort()).toEqual([later, moved, other, site].sort());
    expect(existsSync(certs[shop].files.key)).toBe(false);
    expect(existsSync(ssl(shop))).toBe(false);
    expect((await api('GET', `/api/ssl/certificate/${shop}`)).status).toBe(404);
    const audit = (await api('GET', '/api/audit')).body.data as any[];
    expect(audit).toContainEqual(
      expect.objectContaining({
        method: 'TASK',
        route: 'ssl.certificate.forget',
        target: `domain:${shop}`,
        ok: true,
        plugin: 'ssl',
      }),
    );
  });

  it("keeps a certificate that only lists the deleted alias as a SAN, and other accounts' certificates", async () => {
    expect((await api('DELETE', `/api/domains/${domainIds[alias]}`)).status).toBe(200);
    const kept = await api('GET', `/api/ssl/certificate/${site}`);
    expect(kept.status).toBe(200);
    expect(kept.body.data).toMatchObject({ serial: certs[site].serial, files: certs[site].files });
    expect(kept.body.data.sans).toContain(alias);
    expect((await api('GET', `/api/ssl/certificate/${other}`)).body.data).toMatchObject({
      serial: certs[other].serial,
      files: certs[other].files,
    });
    for (const d of [site, other]) {
      expect(existsSync(certs[d].files.key)).toBe(true);
      expect(await served(d)).toBe(certs[d].serial);
    }
  });

  it('does not try to renew the certificate of a deleted domain', async () => {
    expect((await api('DELETE', `/api/domains/${domainIds[later]}`)).status).toBe(200);
    const res = await api('POST', '/api/ssl/auto-renew');
    // The custom certificates left are due (3 days) and fail to renew without acme_email; the deleted one is not tried.
    expect(res.status).toBe(200);
    expect(res.body.data.errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body.data)).not.toContain(later);
    expect(existsSync(ssl(later))).toBe(false);
    expect((await api('GET', `/api/ssl/certificate/${later}`)).status).toBe(404);
  });

  it('forgets a certificate whose domain was deleted and added again to another account', async () => {
    // No listing in between: the new owner's first look must not show the previous owner's certificate.
    expect((await api('DELETE', `/api/domains/${domainIds[moved]}`)).status).toBe(200);
    await addDomain(otherAccount, moved, 'addon');
    expect(await served(moved).catch(() => null)).not.toBe(certs[moved].serial);
    const res = await api('GET', `/api/ssl/certificate/${moved}`);
    expect(res).toMatchObject({ status: 404, body: { error: `No certificate for ${moved}` } });
    expect(existsSync(ssl(moved))).toBe(false);
  });
});
