// Start-up reconciliation between the panel's rows and PowerDNS: a lost zone is made again,
// missing subdomain records come back, the zone of a domain that is gone is removed, a zone
// nobody in the panel made is reported and kept; a second run finds nothing. And without a
// reachable server the panel starts and the DNS routes answer 503 naming what to do.
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { useServices } from '../../../test/bed/index.js';
import { dig, pdnsRequest, pdnsZones } from '../../../test/bed/helpers/pdns.js';
import { freePort } from '../../../test/bed/proc.js';
import { openTempDir } from '../../../test/webserver/helpers.js';
import { startDnsPanel, type DnsPanel } from '../../../test/dns/stack.js';

const bed = useServices('pdns');
const tag = process.pid.toString(36);

async function reconciled(s: DnsPanel): Promise<any> {
  for (let i = 0; i < 400; i++) {
    const report = (await s.api('GET', '/api/dns/status')).body.data?.reconciliation;
    if (report && report.state !== 'pending') return report;
    await sleep(25);
  }
  throw new Error('DNS reconciliation did not finish');
}

describe.skipIf(bed.skip)('DNS reconciliation', () => {
  const dataDir = openTempDir('velopanel-dns-data-');
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('reports and repairs drift at start-up, and a second run finds nothing', async () => {
    const site = `rc${tag}.test`;
    const addon = `rcadd${tag}.test`;
    const foreign = `rcforeign${tag}.test`;
    const first = await startDnsPanel(bed.pdns, { dataDir });
    const account = await first.account(site);
    await first.domain(account.id, `blog.${site}`, 'subdomain');
    const extra = await first.domain(account.id, addon, 'addon');
    const lost = await first.domain(account.id, `lost.${site}`, 'subdomain');
    // Drift made while the panel was not looking: a domain row gone, a zone lost, a record lost, a stranger.
    await first.h.panel.kernel.knex('domains_domains').whereIn('id', [extra.id, lost.id]).delete();
    await first.h.stop();
    await pdnsRequest(bed.pdns, 'DELETE', `/zones/${site}.`);
    await first.foreignZone(foreign);

    const second = await startDnsPanel(bed.pdns, { dataDir });
    try {
      const report = await reconciled(second);
      expect(report).toMatchObject({
        state: 'done',
        created_zones: [site],
        removed_zones: [addon],
        adopted_zones: [],
        failed: [],
        error: null,
        added_records: [`blog.${site} A`, `blog.${site} AAAA`],
        removed_records: [`lost.${site} A`, `lost.${site} AAAA`],
      });
      expect(report.foreign_zones).toContain(foreign);
      const zones = await pdnsZones(bed.pdns);
      expect(zones).toContain(site);
      expect(zones).not.toContain(addon);
      expect(zones).toContain(foreign);
      expect(await dig(bed.pdns, `blog.${site}`, 'A')).toEqual(['192.0.2.1']);
      expect(await dig(bed.pdns, `lost.${site}`, 'A')).toEqual([]);
      expect(await dig(bed.pdns, site, 'MX')).toEqual([`10 mail.${site}.`]);
      const again = await second.api('POST', '/api/dns/reconcile');
      expect(again.status).toBe(200);
      expect(again.body.data).toMatchObject({
        state: 'done',
        created_zones: [],
        removed_zones: [],
        adopted_zones: [],
        added_records: [],
        removed_records: [],
      });
      expect((await second.api('POST', '/api/dns/reconcile', undefined, 'user')).status).toBe(403);
    } finally {
      await second.stop();
    }
  });

  it('makes no zone for an account whose creation failed and was undone', async () => {
    const s = await startDnsPanel(bed.pdns, { accounts: { fail_at: 'login' } });
    try {
      const res = await s.api('POST', '/api/accounts', {
        username: `fa${tag}`,
        domain: `failed${tag}.test`,
        email: 'f@example.com',
        password: 'UserPass123',
        plan: 'free',
      });
      expect(res.status).toBe(500);
      expect(await pdnsZones(bed.pdns)).not.toContain(`failed${tag}.test`);
      expect((await s.api('GET', '/api/dns/zones')).body.data).toEqual([]);
    } finally {
      await s.stop();
    }
  });

  it('starts without a reachable DNS server: domains work, DNS routes answer 503 naming what to do (the API address to admins only)', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const s = await startDnsPanel(bed.pdns, { dns: { powerdns_api_url: url } });
    try {
      expect((await reconciled(s)).state).toBe('unavailable');
      const account = await s.account(`down${tag}.test`);
      expect(account.primary_domain).toBe(`down${tag}.test`);
      for (const [method, path] of [
        ['GET', '/api/dns/zones'],
        ['GET', `/api/dns/zones/down${tag}.test`],
        ['POST', '/api/dns/reconcile'],
      ]) {
        const res = await s.api(method!, path!);
        expect(res.status, path).toBe(503);
        expect(res.body.error).toMatch(
          new RegExp(`^DNS is unavailable: PowerDNS API is unreachable: start pdns_server with api=yes.*: ${url}: `),
        );
        expect(res.body.error).not.toContain(bed.pdns.apiKey);
      }
      // The account's user and its reseller read what to do, never where the internal API listens.
      for (const as of ['user', 'reseller'] as const) {
        const res = await s.api('GET', '/api/dns/zones', undefined, as);
        expect(res.status, as).toBe(503);
        expect(res.body.error).toBe(
          'DNS is unavailable: PowerDNS API is unreachable: start pdns_server with api=yes and set [plugins.dns] powerdns_api_url and powerdns_api_key',
        );
        expect(JSON.stringify(res.body)).not.toContain(url.replace('http://', ''));
      }
      expect((await s.api('GET', '/api/dns/status')).body.data.server).toMatchObject({ available: false });
    } finally {
      await s.stop();
    }
  });
});
