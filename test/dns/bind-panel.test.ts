// The dns plugin with engine = "bind": zones follow domains and the records API works the same
// on a real named, through zone files and rndc.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServices } from '../bed/index.js';
import { dig } from '../bed/helpers/pdns.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

const bed = useServices('named');
const tag = process.pid.toString(36);
const site = `bp${tag}.test`;

describe.skipIf(bed.skip)('DNS zones on BIND', () => {
  let h: HostingPanel;
  const api = (method: string, path: string, body?: unknown) => h.panel.request(method, path, { body });
  beforeAll(async () => {
    h = await startHostingPanel({
      engine: 'veloserve',
      extra: ['dns'],
      plugins: {
        dns: {
          engine: 'bind',
          bind_zone_dir: bed.named.zoneDir,
          bind_rndc_conf: bed.named.rndc[2]!,
          nameservers: ['ns1.dns.test', 'ns2.dns.test'],
          server_ipv4: '192.0.2.1',
        },
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('makes a zone for a new account, edits its records, and removes an addon zone with its domain', async () => {
    const account = (await api('POST', '/api/accounts', accountBody({ domain: site }))).body.data;
    expect(await dig(bed.named, site, 'NS')).toEqual(['ns1.dns.test.', 'ns2.dns.test.']);
    expect(await dig(bed.named, `www.${site}`, 'A')).toEqual(['192.0.2.1']);
    expect(
      (await api('PUT', `/api/dns/zones/${site}/records`, { name: 'api', type: 'TXT', records: ['hello "bind"'] }))
        .status,
    ).toBe(200);
    expect(await dig(bed.named, `api.${site}`, 'TXT')).toEqual(['"hello \\"bind\\""']);
    const bad = await api('PUT', `/api/dns/zones/${site}/records`, {
      name: 'x.other.test.',
      type: 'A',
      records: ['192.0.2.9'],
    });
    expect([bad.status, bad.body.error]).toEqual([400, `name: x.other.test. is outside the zone ${site}`]);
    const addon = (
      await api('POST', '/api/domains', {
        account_id: account.id,
        domain_name: `bpadd${tag}.test`,
        domain_type: 'addon',
      })
    ).body.data;
    expect(await dig(bed.named, `bpadd${tag}.test`, 'A')).toEqual(['192.0.2.1']);
    expect((await api('DELETE', `/api/domains/${addon.id}`)).status).toBe(200);
    expect(await dig(bed.named, `bpadd${tag}.test`, 'A')).toEqual([]);
    const status = (await api('GET', '/api/dns/status')).body.data;
    expect(status).toMatchObject({ engine: 'bind', server: { available: true } });
    expect(status.server.version).toMatch(/^BIND 9\./);
  });
});
