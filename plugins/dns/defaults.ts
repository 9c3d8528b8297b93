import type { DnsRecordSet, DnsRRsetChange, DnsZoneCreate } from '../../sdk/index.js';
import type { DnsSettings } from './config.js';
import { encodeTxt } from './contents.js';

/** A / AAAA RRsets pointing `name` at this server (none when the address is not configured). */
export function hostRecords(name: string, s: DnsSettings): DnsRRsetChange[] {
  const out: DnsRRsetChange[] = [];
  if (s.ipv4) out.push({ name, type: 'A', ttl: s.defaultTtl, records: [s.ipv4] });
  if (s.ipv6) out.push({ name, type: 'AAAA', ttl: s.defaultTtl, records: [s.ipv6] });
  return out;
}

/**
 * What a primary or addon domain's zone starts with: SOA and NS (nameservers from config), the
 * apex and `www` on this server, and the MX and SPF placeholders of `[plugins.dns]` with
 * `{domain}` replaced by the zone. An MX host inside the zone gets this server's address too,
 * so the placeholder does not point at nothing.
 */
export function zoneDefaults(zone: string, s: DnsSettings): DnsZoneCreate {
  const rrsets = [...hostRecords(zone, s), ...hostRecords(`www.${zone}`, s)];
  const mx = s.mxTemplate.replaceAll('{domain}', zone).trim();
  if (mx) {
    rrsets.push({ name: zone, type: 'MX', ttl: s.defaultTtl, records: [mx] });
    const host = mx.split(/\s+/)[1]?.replace(/\.$/, '');
    if (host && host !== zone && host !== `www.${zone}` && host.endsWith(`.${zone}`))
      rrsets.push(...hostRecords(host, s));
  }
  const spf = s.spfTemplate.replaceAll('{domain}', zone).trim();
  if (spf) rrsets.push({ name: zone, type: 'TXT', ttl: s.defaultTtl, records: [encodeTxt(spf)] });
  return { name: zone, nameservers: s.nameservers, hostmaster: s.hostmaster(zone), rrsets };
}

/**
 * The RRsets a subdomain (or an alias inside an existing zone) adds to that zone: its A/AAAA,
 * leaving out any type the name already has and everything when it has a CNAME (a CNAME stands
 * alone). What is left is what the domain creates, and later removes.
 */
export function missingHostRecords(name: string, existing: DnsRecordSet[], s: DnsSettings): DnsRRsetChange[] {
  const at = existing.filter((r) => r.name === name);
  if (at.some((r) => r.type === 'CNAME')) return [];
  return hostRecords(name, s).filter((c) => !at.some((r) => r.type === c.type));
}
