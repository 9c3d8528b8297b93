import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { normalizeDomainName, Type, type PanelSettings, type Static } from '../../sdk/index.js';

const Host = Type.String({ maxLength: 253, 'x-error': 'must be a host name like ns1.example.com' });
const Ip = (v: 4 | 6) => Type.String({ maxLength: 45, default: '', 'x-error': `must be an IPv${v} address or empty` });
const Limit = Type.Integer({ minimum: 0, maximum: 1_000_000 });

/** `[plugins.dns]` section. */
export const DnsConfig = Type.Object({
  /** Entry id of the DNS-server engine (`powerdns`, or a third-party one). */
  engine: Type.String({
    default: 'powerdns',
    pattern: '^[a-z0-9][a-z0-9_-]{0,63}$',
    'x-error': 'must be an engine id such as "powerdns"',
  }),
  powerdns_api_url: Type.String({
    default: 'http://127.0.0.1:8081',
    pattern: '^https?://[A-Za-z0-9.:\\[\\]_-]+(/[A-Za-z0-9._~%/-]*)?$',
    'x-error': 'must be an http:// or https:// URL',
  }),
  powerdns_api_key: Type.String({ default: '', maxLength: 512 }),
  /** Or: a file (mode 0600 or stricter) whose first line is the key, kept out of the config. */
  powerdns_api_key_file: Type.String({
    default: '',
    maxLength: 1024,
    'x-error': 'must be the path of a file readable only by the panel (0600)',
  }),
  powerdns_server_id: Type.String({ default: 'localhost', pattern: '^[A-Za-z0-9._-]{1,64}$' }),
  powerdns_timeout_ms: Type.Integer({ default: 10_000, minimum: 100, maximum: 120_000 }),
  /** engine = "bind": where the zone files go (named must read them); empty: <data_dir>/bind-zones or /var/lib/velopanel/bind-zones. */
  bind_zone_dir: Type.String({
    default: '',
    maxLength: 1024,
    pattern: '^(|(/[A-Za-z0-9._+@=,~-]+)+)$',
    'x-error': 'must be an absolute path or empty',
  }),
  /** rndc's config (key, server, port); empty: rndc's own default (/etc/bind/rndc.conf or rndc.key). */
  bind_rndc_conf: Type.String({
    default: '',
    maxLength: 1024,
    pattern: '^(|(/[A-Za-z0-9._+@=,~-]+)+)$',
    'x-error': 'must be an absolute path or empty',
  }),
  /** Authoritative servers of every zone; empty: ns1. and ns2.<server_hostname>. */
  nameservers: Type.Array(Host, { default: [], maxItems: 13 }),
  /** SOA contact mailbox in DNS form; empty: hostmaster.<zone>. */
  hostmaster: Type.String({ default: '', maxLength: 253 }),
  /** Address of this server for the A/AAAA defaults; empty: no such record. */
  server_ipv4: Ip(4),
  server_ipv6: Ip(6),
  /** TTL of the records a zone starts with. */
  default_ttl: Type.Integer({ default: 3600, minimum: 60, maximum: 604_800 }),
  /** MX placeholder of a new zone (`{domain}` is the zone); empty: none. */
  mx_template: Type.String({ default: '10 mail.{domain}.', maxLength: 300 }),
  /** SPF TXT placeholder of a new zone; empty: none. */
  spf_template: Type.String({ default: 'v=spf1 a mx ~all', maxLength: 1000 }),
  /** Most records (SOA excluded) the zones of one account may hold, by plan. */
  record_limits: Type.Object(
    { free: Limit, pro: Limit, business: Limit },
    { default: { free: 200, pro: 2000, business: 10_000 } },
  ),
});
export type DnsConfig = Static<typeof DnsConfig>;

/** Settings resolved against the panel settings; {@link dnsSettings} throws naming a bad key. */
export interface DnsSettings {
  engine: string;
  powerdns: { apiUrl: string; apiKey: string; serverId: string; timeoutMs: number };
  bind: { zoneDir: string; rndc: string[] };
  nameservers: string[];
  hostmaster: (zone: string) => string;
  ipv4: string | null;
  ipv6: string | null;
  defaultTtl: number;
  mxTemplate: string;
  spfTemplate: string;
  recordLimits: DnsConfig['record_limits'];
}

/** The API key: inline, or the first line of a file no one else may read. */
function apiKey(c: DnsConfig): string {
  if (!c.powerdns_api_key_file) return c.powerdns_api_key;
  if (c.powerdns_api_key)
    throw new Error('plugins.dns: set either powerdns_api_key or powerdns_api_key_file, not both');
  let mode: number;
  try {
    mode = statSync(c.powerdns_api_key_file).mode;
  } catch {
    throw new Error(`plugins.dns.powerdns_api_key_file: ${c.powerdns_api_key_file} cannot be read`);
  }
  if (mode & 0o077)
    throw new Error(
      `plugins.dns.powerdns_api_key_file: ${c.powerdns_api_key_file} must not be readable by group or others (chmod 600)`,
    );
  return readFileSync(c.powerdns_api_key_file, 'utf8').split(/\r?\n/)[0] ?? '';
}

/** Resolve defaults (nameservers under the server's host name) and check what the schema cannot. */
export function dnsSettings(c: DnsConfig, s: PanelSettings): DnsSettings {
  const host = normalizeDomainName(s.serverHostname);
  const nameservers = c.nameservers.length
    ? c.nameservers
    : host
      ? [`ns1.${host}`, `ns2.${host}`]
      : ['ns1.localhost.localdomain'];
  for (const ns of c.nameservers)
    if (!normalizeDomainName(ns)) throw new Error(`plugins.dns.nameservers: ${JSON.stringify(ns)} is not a host name`);
  if (c.server_ipv4 && isIP(c.server_ipv4) !== 4)
    throw new Error('plugins.dns.server_ipv4: must be an IPv4 address or empty');
  if (c.server_ipv6 && isIP(c.server_ipv6) !== 6)
    throw new Error('plugins.dns.server_ipv6: must be an IPv6 address or empty');
  if (c.hostmaster && !normalizeDomainName(c.hostmaster))
    throw new Error('plugins.dns.hostmaster: must be a mailbox in DNS form like hostmaster.example.com');
  return {
    engine: c.engine,
    powerdns: {
      apiUrl: c.powerdns_api_url,
      apiKey: apiKey(c),
      serverId: c.powerdns_server_id,
      timeoutMs: c.powerdns_timeout_ms,
    },
    bind: {
      zoneDir:
        c.bind_zone_dir || (s.mode === 'linux' ? '/var/lib/velopanel/bind-zones' : path.join(s.dataDir, 'bind-zones')),
      rndc: c.bind_rndc_conf ? ['rndc', '-c', c.bind_rndc_conf] : ['rndc'],
    },
    nameservers: nameservers.map((n) => n.toLowerCase().replace(/\.$/, '')),
    hostmaster: (zone) => (c.hostmaster ? c.hostmaster.toLowerCase() : `hostmaster.${zone}`),
    ipv4: c.server_ipv4 || null,
    ipv6: c.server_ipv6 || null,
    defaultTtl: c.default_ttl,
    mxTemplate: c.mx_template,
    spfTemplate: c.spf_template,
    recordLimits: c.record_limits,
  };
}
