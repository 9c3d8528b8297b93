// The records API on a real PowerDNS: every managed type answered over DNS, strict validation
// (400 naming the field, nothing applied), CNAME and delegation rules, owner checks, the plan's
// record limit, and the before-hook's veto.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, type DnsRecordsEvent, type DnsZoneEvent } from '../../sdk/index.js';
import { useServices } from '../bed/index.js';
import { dig } from '../bed/helpers/pdns.js';
import { startDnsPanel, type DnsPanel } from './stack.js';

const bed = useServices('pdns');
const tag = process.pid.toString(36);
const zone = `rec${tag}.test`;
const changed: DnsRecordsEvent[] = [];
const created: DnsZoneEvent[] = [];
const watcher = definePlugin({
  manifest: { id: 'dns-watcher', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    ctx.hooks.before('dns.records.change', (e) =>
      e.changes.some((c) => c.records.some((r) => r.includes('forbidden'))) ? { veto: 'forbidden content' } : undefined,
    );
    ctx.hooks.after('dns.records.changed', (e) => void changed.push(e));
    ctx.hooks.after('dns.zone.created', (e) => void created.push(e));
  },
});

describe.skipIf(bed.skip)('DNS records API', () => {
  let s: DnsPanel;
  const put = (body: unknown, as: 'admin' | 'user' | 'reseller' = 'admin', z = zone) =>
    s.api('PUT', `/api/dns/zones/${z}/records`, body, as);
  const rrsets = async (z = zone) => (await s.api('GET', `/api/dns/zones/${z}`)).body.data.rrsets;
  beforeAll(async () => {
    s = await startDnsPanel(bed.pdns, {
      inline: [watcher],
      dns: { record_limits: { free: 1000, pro: 12, business: 25 } },
    });
    const first = await s.account(zone);
    expect(first.id).toBe(1); // the harness's user login is bound to account 1
    expect(created).toEqual([
      expect.objectContaining({
        zone,
        account_id: 1,
        domain: expect.objectContaining({ domain_name: zone, domain_type: 'primary' }),
      }),
    ]);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('replaces RRsets of every type and serves them at once', async () => {
    const long = 'k='.concat('x'.repeat(600));
    const cases: Array<[unknown, string, string, string[]]> = [
      [
        { name: 'app', type: 'A', ttl: 300, records: ['198.51.100.7', '198.51.100.8'] },
        `app.${zone}`,
        'A',
        ['198.51.100.7', '198.51.100.8'],
      ],
      [{ name: `v6.${zone}.`, type: 'AAAA', records: ['2001:DB8:0:0::5'] }, `v6.${zone}`, 'AAAA', ['2001:db8::5']],
      [
        { name: '@', type: 'MX', records: ['5 mx1.example.net', '10 mx2.example.net.'] },
        zone,
        'MX',
        ['10 mx2.example.net.', '5 mx1.example.net.'],
      ],
      [
        { name: 'dkim._domainkey', type: 'TXT', records: [long, 'say "hi" \\ there'] },
        `dkim._domainkey.${zone}`,
        'TXT',
        [`"${long.slice(0, 255)}" "${long.slice(255, 510)}" "${long.slice(510)}"`, '"say \\"hi\\" \\\\ there"'].sort(),
      ],
      [
        { name: '_sip._tcp', type: 'SRV', records: ['10 5 5060 sip.example.net'] },
        `_sip._tcp.${zone}`,
        'SRV',
        ['10 5 5060 sip.example.net.'],
      ],
      [{ name: '', type: 'CAA', records: ['0 issue letsencrypt.org'] }, zone, 'CAA', ['0 issue "letsencrypt.org"']],
      [{ name: 'docs', type: 'CNAME', records: ['app'.concat('.', zone)] }, `docs.${zone}`, 'CNAME', [`app.${zone}.`]],
      [{ name: 'lab', type: 'NS', records: ['ns1.elsewhere.test'] }, `lab.${zone}`, 'NS', ['ns1.elsewhere.test.']],
      [{ name: '*.apps', type: 'A', records: ['198.51.100.9'] }, `anything.apps.${zone}`, 'A', ['198.51.100.9']],
    ];
    for (const [body, name, type, answers] of cases) {
      const res = await put(body);
      expect(res.status, JSON.stringify([body, res.body])).toBe(200);
      if (type !== 'NS') expect(await dig(bed.pdns, name, type)).toEqual(answers);
    }
    const txt = (await rrsets()).find((r: any) => r.type === 'TXT' && r.relative === 'dkim._domainkey');
    expect(txt.records.sort()).toEqual([long, 'say "hi" \\ there'].sort());
    expect((await rrsets()).find((r: any) => r.relative === 'app' && r.type === 'A')).toMatchObject({
      ttl: 300,
      name: `app.${zone}`,
    });
    expect(changed.at(-1)).toMatchObject({ zone, account_id: 1, changes: [{ name: `*.apps.${zone}`, type: 'A' }] });
  });

  it('answers 400 naming the field for bad input, and changes nothing', async () => {
    const before = await rrsets();
    const cases: Array<[unknown, RegExp]> = [
      [{ name: 'x.other.test.', type: 'A', records: ['192.0.2.5'] }, /^name: x\.other\.test\. is outside the zone/],
      [{ name: 'bad name', type: 'A', records: ['192.0.2.5'] }, /^name: /],
      [{ name: 'a..b', type: 'A', records: ['192.0.2.5'] }, /^name: /],
      [{ name: `${'l'.repeat(64)}`, type: 'A', records: ['192.0.2.5'] }, /^name: .*63 characters/],
      [{ name: 'x', type: 'SOA', records: ['x'] }, /type/],
      [{ name: 'x', type: 'A', ttl: 10, records: ['192.0.2.5'] }, /ttl/],
      [{ name: 'x', type: 'A', ttl: 10_000_000, records: ['192.0.2.5'] }, /ttl/],
      [{ name: 'x', type: 'A', records: [] }, /records/],
      [{ name: 'x', type: 'A', records: ['999.1.1.1'] }, /^records\[0\]: 999\.1\.1\.1 is not an IPv4 address/],
      [{ name: 'x', type: 'A', records: ['192.0.2.5', '192.0.2.5'] }, /^records\[1\]: repeats records\[0\]/],
      [{ name: 'x', type: 'AAAA', records: ['fe80::1%eth0'] }, /^records\[0\]: /],
      [{ name: 'x', type: 'MX', records: ['10'] }, /^records\[0\]: an MX record is/],
      [{ name: 'x', type: 'MX', records: ['70000 mx.example.net'] }, /^records\[0\]: the preference/],
      [{ name: 'x', type: 'TXT', records: ['line\nbreak'] }, /^records\[0\]: must be printable ASCII/],
      [{ name: 'x', type: 'TXT', records: ['y'.repeat(4001)] }, /records/],
      [{ name: 'x', type: 'SRV', records: ['10 5 sip.example.net'] }, /^records\[0\]: an SRV record is/],
      [{ name: 'x', type: 'CAA', records: ['0 bogus "x"'] }, /^records\[0\]: the tag must be/],
      [
        { name: 'x', type: 'CNAME', records: ['a.example.net', 'b.example.net'] },
        /^records: a CNAME RRset holds exactly one record/,
      ],
      [
        { name: 'x', type: 'CNAME', records: ['localhost'] },
        /^records\[0\]: localhost must be a fully qualified host name/,
      ],
      [
        { name: 'www', type: 'CNAME', records: ['app.example.net'] },
        /^type: a CNAME cannot sit beside other records: www\./,
      ],
      [{ name: 'docs', type: 'TXT', records: ['beside a cname'] }, /^type: docs\..* has a CNAME, which stands alone/],
      [{ name: '@', type: 'CNAME', records: ['app.example.net'] }, /^type: a CNAME cannot sit at the zone apex/],
      [{ name: '@', type: 'NS', records: ['ns.evil.test'] }, /^type: the NS records of the zone apex/],
      [{ name: 'host.lab', type: 'A', records: ['192.0.2.5'] }, /^name: host\.lab\..* is inside the delegation lab\./],
      [
        { name: 'www', type: 'NS', records: ['ns.elsewhere.test'] },
        /^type: a delegation of www\..* would hide its records \(www\..* A/,
      ],
      [
        { name: '_tcp', type: 'NS', records: ['ns.elsewhere.test'] },
        /^type: a delegation of _tcp\..* would hide its records \(_sip\._tcp\./,
      ],
      [{ name: 'x', type: 'A', records: ['192.0.2.5'], extra: 1 }, /extra|additional|unknown/i],
    ];
    for (const [body, message] of cases) {
      const res = await put(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error, JSON.stringify(body)).toMatch(message);
    }
    expect(await rrsets()).toEqual(before);
  });

  it('deletes an RRset, 404 for one that is not there, and keeps the apex NS and SOA', async () => {
    expect((await s.api('DELETE', `/api/dns/zones/${zone}/records/app/A`)).status).toBe(200);
    expect(await dig(bed.pdns, `app.${zone}`, 'A')).toEqual([]);
    expect((await s.api('DELETE', `/api/dns/zones/${zone}/records/app/A`)).status).toBe(404);
    expect((await s.api('DELETE', `/api/dns/zones/${zone}/records/@/NS`)).body.error).toMatch(
      /^type: the NS records of the zone apex/,
    );
    expect((await s.api('DELETE', `/api/dns/zones/${zone}/records/@/SOA`)).status).toBe(400);
    for (const as of ['admin', 'user'] as const) {
      const none = await s.api('GET', '/api/dns/zones/nope.test', undefined, as);
      expect([none.status, none.body.error]).toEqual([
        404,
        "No DNS zone nope.test in the panel (a subdomain's records are in its parent's zone)",
      ]);
    }
  });

  it('checks the owner like domains: the user of account 1 only, resellers their accounts', async () => {
    const other = await s.account(`oth${tag}.test`);
    expect((await put({ name: 'u', type: 'A', records: ['192.0.2.20'] }, 'user')).status).toBe(200);
    expect((await s.api('GET', '/api/dns/zones', undefined, 'user')).body.data.map((z: any) => z.zone)).toEqual([zone]);
    for (const as of ['user', 'reseller'] as const) {
      expect((await put({ name: 'u', type: 'A', records: ['192.0.2.20'] }, as, other.primary_domain)).status).toBe(403);
      expect((await s.api('GET', `/api/dns/zones/${other.primary_domain}`, undefined, as)).status).toBe(403);
      expect(
        (await s.api('DELETE', `/api/dns/zones/${other.primary_domain}/records/www/A`, undefined, as)).status,
      ).toBe(403);
    }
    expect(await dig(bed.pdns, `u.${other.primary_domain}`, 'A')).toEqual([]);
    expect(await dig(bed.pdns, `www.${other.primary_domain}`, 'A')).toEqual(['192.0.2.1']);
  });

  it("enforces the plan's record limit across the account's zones", async () => {
    const pro = await s.account(`pro${tag}.test`, { plan: 'pro' }); // 10 records to start with; pro allows 12
    const z = pro.primary_domain;
    expect((await put({ name: 'a', type: 'A', records: ['192.0.2.30', '192.0.2.31'] }, 'admin', z)).status).toBe(200);
    const over = await put({ name: 'b', type: 'A', records: ['192.0.2.32'] }, 'admin', z);
    expect(over.status).toBe(403);
    expect(over.body.error).toMatch(/^records: the pro plan allows 12 DNS records/);
    expect(await dig(bed.pdns, `b.${z}`, 'A')).toEqual([]);
    expect((await put({ name: 'a', type: 'A', records: ['192.0.2.40', '192.0.2.41'] }, 'admin', z)).status).toBe(200);
  });

  it('holds the limit across zones when changes race: exactly what fits is applied', async () => {
    const biz = await s.account(`biz${tag}.test`, { plan: 'business' }); // 10 records; business allows 25
    const addon = await s.domain(biz.id, `bizadd${tag}.test`, 'addon'); // 10 more: 5 left
    const zones = [biz.primary_domain, addon.domain_name];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        put({ name: `r${i}`, type: 'A', records: ['192.0.2.70'] }, 'admin', zones[i % 2]),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(results.filter((r) => r.status === 403)).toHaveLength(7);
    let made = 0;
    for (const [i] of results.entries()) made += (await dig(bed.pdns, `r${i}.${zones[i % 2]}`, 'A')).length;
    expect(made).toBe(5);
  });

  it('lets a before-hook veto a change: 409, nothing applied', async () => {
    const res = await put({ name: 'v', type: 'TXT', records: ['forbidden'] });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe("Refused by plugin 'dns-watcher': forbidden content");
    expect(await dig(bed.pdns, `v.${zone}`, 'TXT')).toEqual([]);
  });
});
