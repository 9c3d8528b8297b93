// Zones follow the panel's domains on a real PowerDNS: a primary or addon gets a zone with the
// defaults, a subdomain gets records in its parent's zone, an alias gets a zone or records, and
// removing a domain or an account removes what it made and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServices } from '../bed/index.js';
import { dig, pdnsZones } from '../bed/helpers/pdns.js';
import { startDnsPanel, type DnsPanel } from './stack.js';

const bed = useServices('pdns');
const tag = process.pid.toString(36);
const site = `zs${tag}.test`;

describe.skipIf(bed.skip)('DNS zones following domains', () => {
  let s: DnsPanel;
  let account: any;
  beforeAll(async () => {
    s = await startDnsPanel(bed.pdns);
    account = await s.account(site);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("gives a primary domain a zone with SOA, NS, the server's A and AAAA, www, MX and SPF", async () => {
    expect(await pdnsZones(bed.pdns)).toContain(site);
    expect(await dig(bed.pdns, site, 'SOA')).toEqual([
      expect.stringMatching(new RegExp(`^ns1\\.dns\\.test\\. hostmaster\\.${site}\\. \\d+ `)),
    ]);
    expect(await dig(bed.pdns, site, 'NS')).toEqual(['ns1.dns.test.', 'ns2.dns.test.']);
    expect(await dig(bed.pdns, site, 'A')).toEqual(['192.0.2.1']);
    expect(await dig(bed.pdns, `www.${site}`, 'AAAA')).toEqual(['2001:db8::1']);
    expect(await dig(bed.pdns, site, 'MX')).toEqual([`10 mail.${site}.`]);
    expect(await dig(bed.pdns, `mail.${site}`, 'A')).toEqual(['192.0.2.1']);
    expect(await dig(bed.pdns, site, 'TXT')).toEqual(['"v=spf1 a mx ~all"']);
    const zones = await s.api('GET', '/api/dns/zones');
    expect(zones.body.data).toEqual([expect.objectContaining({ zone: site, account_id: account.id })]);
  });

  it('puts a subdomain into its parent zone and removes only its own records with it', async () => {
    const sub = await s.domain(account.id, `blog.${site}`, 'subdomain');
    expect(await pdnsZones(bed.pdns)).not.toContain(`blog.${site}`);
    expect(await dig(bed.pdns, `blog.${site}`, 'A')).toEqual(['192.0.2.1']);
    // the owner adds a TXT beside it: deleting the subdomain must leave that alone
    expect(
      (await s.api('PUT', `/api/dns/zones/${site}/records`, { name: 'blog', type: 'TXT', records: ['keep me'] }))
        .status,
    ).toBe(200);
    expect((await s.api('DELETE', `/api/domains/${sub.id}`)).status).toBe(200);
    expect(await dig(bed.pdns, `blog.${site}`, 'A')).toEqual([]);
    expect(await dig(bed.pdns, `blog.${site}`, 'TXT')).toEqual(['"keep me"']);
    expect(await dig(bed.pdns, site, 'A')).toEqual(['192.0.2.1']);
  });

  it('gives an addon its own zone and an alias a zone (outside) or records (inside a zone)', async () => {
    const addon = await s.domain(account.id, `shop${tag}.test`, 'addon');
    const outside = await s.domain(account.id, `other${tag}.test`, 'alias');
    const inside = await s.domain(account.id, `old.${site}`, 'alias');
    const zones = await pdnsZones(bed.pdns);
    expect(zones).toEqual(expect.arrayContaining([`shop${tag}.test`, `other${tag}.test`]));
    expect(zones).not.toContain(`old.${site}`);
    expect(await dig(bed.pdns, `www.other${tag}.test`, 'A')).toEqual(['192.0.2.1']);
    expect(await dig(bed.pdns, `old.${site}`, 'A')).toEqual(['192.0.2.1']);
    for (const d of [inside, outside, addon]) expect((await s.api('DELETE', `/api/domains/${d.id}`)).status).toBe(200);
    expect(await pdnsZones(bed.pdns)).not.toEqual(expect.arrayContaining([`shop${tag}.test`]));
    expect(await pdnsZones(bed.pdns)).not.toContain(`other${tag}.test`);
    expect(await dig(bed.pdns, `old.${site}`, 'A')).toEqual([]);
  });

  it('signs a zone with DNSSEC on request, shows the DS records to publish, and stops again', async () => {
    const on = await s.api('PUT', `/api/dns/zones/${site}/dnssec`, { enabled: true });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    expect(on.body.data).toMatchObject({ zone: site, signed: true });
    expect(on.body.data.ds.length).toBeGreaterThan(0);
    for (const ds of on.body.data.ds) expect(ds).toMatch(/^\d+ 13 [124] [0-9a-f]+$/);
    expect((await dig(bed.pdns, site, 'DNSKEY')).length).toBeGreaterThan(0);
    expect((await s.api('GET', `/api/dns/zones/${site}`)).body.data.dnssec).toEqual({
      signed: true,
      ds: on.body.data.ds,
    });
    expect((await s.api('PUT', `/api/dns/zones/${site}/dnssec`, { enabled: 'yes' })).status).toBe(400);
    const off = await s.api('PUT', `/api/dns/zones/${site}/dnssec`, { enabled: false });
    expect(off.body.data).toMatchObject({ signed: false, ds: [] });
    expect(await dig(bed.pdns, site, 'DNSKEY')).toEqual([]);
  });

  it('leaves a zone it did not make alone, and removes every zone of a deleted account', async () => {
    const other = await s.account(`gone${tag}.test`);
    await s.domain(other.id, `extra${tag}.test`, 'addon');
    await s.foreignZone(`foreign${tag}.test`);
    expect((await s.api('DELETE', `/api/accounts/${other.id}`)).status).toBe(200);
    const zones = await pdnsZones(bed.pdns);
    expect(zones).not.toContain(`gone${tag}.test`);
    expect(zones).not.toContain(`extra${tag}.test`);
    expect(zones).toContain(`foreign${tag}.test`);
    expect(zones).toContain(site);
  });
});
