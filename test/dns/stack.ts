// The DNS tests' panel: accounts + domains (veloserve engine, no web server needed) + dns,
// pointed at the bed's PowerDNS with fixed nameservers and server addresses.
import type { PluginDefinition } from '../../sdk/index.js';
import type { PdnsInfo } from '../bed/types.js';
import { pdnsRequest } from '../bed/helpers/pdns.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

export interface DnsPanel {
  h: HostingPanel;
  api(method: string, path: string, body?: unknown, as?: 'admin' | 'reseller' | 'user'): Promise<any>;
  /** A new account (admin) whose primary domain is `domain`. */
  account(domain: string, over?: Record<string, unknown>): Promise<any>;
  domain(accountId: number, name: string, type: 'addon' | 'subdomain' | 'alias'): Promise<any>;
  /** A zone made on the server behind the panel's back. */
  foreignZone(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** `[plugins.dns]` for the bed's PowerDNS; `over` merges on top. */
export function dnsConfig(pdns: PdnsInfo, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    powerdns_api_url: pdns.apiUrl,
    powerdns_api_key: pdns.apiKey,
    nameservers: ['ns1.dns.test', 'ns2.dns.test'],
    server_ipv4: '192.0.2.1',
    server_ipv6: '2001:db8::1',
    ...over,
  };
}

export async function startDnsPanel(
  pdns: PdnsInfo,
  opts: {
    dns?: Record<string, unknown>;
    inline?: PluginDefinition[];
    dataDir?: string;
    accounts?: Record<string, unknown>;
  } = {},
): Promise<DnsPanel> {
  const h = await startHostingPanel({
    engine: 'veloserve',
    extra: ['dns'],
    inline: opts.inline,
    config: opts.dataDir ? { data_dir: opts.dataDir } : undefined,
    plugins: { dns: dnsConfig(pdns, opts.dns), ...(opts.accounts ? { accounts: opts.accounts } : {}) },
  });
  const api: DnsPanel['api'] = (method, path, body, as = 'admin') => h.panel.request(method, path, { body, as });
  return {
    h,
    api,
    async account(domain, over = {}) {
      const res = await api('POST', '/api/accounts', accountBody({ domain, ...over }));
      if (res.status !== 200) throw new Error(`account for ${domain}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data;
    },
    async domain(accountId, name, type) {
      const res = await api('POST', '/api/domains', { account_id: accountId, domain_name: name, domain_type: type });
      if (res.status !== 200) throw new Error(`domain ${name}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data;
    },
    async foreignZone(name) {
      await pdnsRequest(pdns, 'POST', '/zones', { name: `${name}.`, kind: 'Native', nameservers: [`ns1.${name}.`] });
    },
    stop: () => h.stop(),
  };
}
