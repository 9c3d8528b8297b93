import { existsSync } from 'node:fs';
import {
  errors, isPanelError, type DnsRecordSet, type DnsRRsetChange, type DnsSecState, type DnsServerEngine, type DnsServerStatus, type DnsZoneCreate,
} from '../../../sdk/index.js';

/** Where to reach the PowerDNS HTTP API (`[plugins.dns] powerdns_api_url` / `powerdns_api_key`). */
export interface PowerDnsOptions {
  apiUrl: string;
  apiKey: string;
  serverId: string;
  timeoutMs: number;
  /** Where the server binary would be, to tell "not installed" from "not running". */
  binary?: string;
}

const INSTALL = 'install the Debian packages pdns-server and pdns-backend-sqlite3, run pdns_server with api=yes and webserver=yes, and set [plugins.dns] powerdns_api_url and powerdns_api_key';
const dot = (name: string) => `${name}.`;
const undot = (name: string) => name.replace(/\.$/, '').toLowerCase();

interface PdnsRRset {
  name: string;
  type: string;
  ttl: number;
  records: Array<{ content: string; disabled: boolean }>;
}

/**
 * PowerDNS Authoritative through its HTTP API (`/api/v1/servers/<id>/zones`). Zones are
 * `Native` (served from the backend, no zone transfer), with `api_rectify` on so DNSSEC data
 * follows every change and `soa_edit_api` bumping the serial. A PATCH of several RRsets is one
 * backend transaction in PowerDNS: a refused RRset leaves the zone as it was.
 */
export class PowerDnsEngine implements DnsServerEngine {
  readonly id = 'powerdns';
  readonly label = 'PowerDNS Authoritative (HTTP API)';

  constructor(private readonly o: PowerDnsOptions) {}

  private get base(): string {
    return `${this.o.apiUrl.replace(/\/+$/, '')}/api/v1/servers/${encodeURIComponent(this.o.serverId)}`;
  }

  /** Why the server cannot be reached, naming what to install when PowerDNS is not here at all. */
  private unreachable(detail: string) {
    const installed = existsSync(this.o.binary ?? '/usr/sbin/pdns_server');
    const what = this.o.apiKey ? `PowerDNS API at ${this.o.apiUrl} is unreachable` : 'PowerDNS is not configured ([plugins.dns] powerdns_api_key is empty)';
    return errors.unavailable(installed ? `${what}: start pdns_server with api=yes and set [plugins.dns] powerdns_api_url and powerdns_api_key` : `${what}: PowerDNS is not installed (${INSTALL})`)
      .withAdminDetail(detail);
  }

  private async call(method: string, path: string, body?: unknown): Promise<any> {
    if (!this.o.apiKey) throw this.unreachable('no API key');
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method, headers: { 'X-API-Key': this.o.apiKey, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(this.o.timeoutMs),
      });
    } catch (e) {
      throw this.unreachable(((e as Error).cause as Error)?.message ?? (e as Error).message);
    }
    const text = await res.text();
    if (res.ok) return text ? JSON.parse(text) : null;
    let reason = text.slice(0, 500);
    try {
      reason = String(JSON.parse(text).error ?? reason);
    } catch { /* not JSON: keep the text */ }
    if (res.status === 401 || res.status === 403) throw errors.unavailable('PowerDNS refused the API key: check [plugins.dns] powerdns_api_key');
    if (res.status === 404) throw errors.notFound(`PowerDNS: ${reason || 'not found'}`);
    if (res.status === 409) throw errors.conflict(`PowerDNS: ${reason}`);
    if (res.status === 422 || res.status === 400) throw errors.validation(`PowerDNS refused the change: ${reason}`);
    throw errors.externalCommand(`PowerDNS answered HTTP ${res.status}: ${reason}`);
  }

  async status(): Promise<DnsServerStatus> {
    try {
      const info = await this.call('GET', '');
      return { available: true, version: `PowerDNS Authoritative ${String(info?.version ?? '?')}` };
    } catch (e) {
      return { available: false, reason: isPanelError(e) ? e.message : (e as Error).message };
    }
  }

  async listZones(): Promise<string[]> {
    return ((await this.call('GET', '/zones')) as Array<{ name: string }>).map((z) => undot(z.name)).sort();
  }

  async createZone(z: DnsZoneCreate): Promise<void> {
    await this.call('POST', '/zones', {
      name: dot(z.name), kind: 'Native', nameservers: [], api_rectify: true, soa_edit_api: 'DEFAULT',
      rrsets: [
        { name: dot(z.name), type: 'SOA', ttl: 3600, records: [{ content: `${dot(z.nameservers[0]!)} ${dot(z.hostmaster)} 1 10800 3600 604800 3600`, disabled: false }] },
        { name: dot(z.name), type: 'NS', ttl: 3600, records: z.nameservers.map((ns) => ({ content: dot(ns), disabled: false })) },
        ...z.rrsets.filter((r) => r.records.length).map((r) => this.rrset(r)),
      ],
    });
  }

  async deleteZone(name: string): Promise<void> {
    try {
      await this.call('DELETE', `/zones/${encodeURIComponent(dot(name))}`);
    } catch (e) {
      if (!(isPanelError(e) && e.code === 'NOT_FOUND')) throw e;
    }
  }

  async records(name: string): Promise<DnsRecordSet[] | null> {
    let zone: { rrsets: PdnsRRset[] };
    try {
      zone = await this.call('GET', `/zones/${encodeURIComponent(dot(name))}`);
    } catch (e) {
      if (isPanelError(e) && e.code === 'NOT_FOUND') return null;
      throw e;
    }
    return zone.rrsets.map((r) => ({
      name: undot(r.name), type: r.type as DnsRecordSet['type'], ttl: r.ttl,
      records: r.records.filter((x) => !x.disabled).map((x) => x.content).sort(),
    })).filter((r) => r.records.length > 0);
  }

  private rrset(c: DnsRRsetChange) {
    return c.records.length
      ? { name: dot(c.name), type: c.type, ttl: c.ttl, changetype: 'REPLACE', records: c.records.map((content) => ({ content, disabled: false })) }
      : { name: dot(c.name), type: c.type, changetype: 'DELETE', records: [] };
  }

  async replaceRRsets(zone: string, changes: DnsRRsetChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.call('PATCH', `/zones/${encodeURIComponent(dot(zone))}`, { rrsets: changes.map((c) => this.rrset(c)) });
  }

  async notify(zone: string): Promise<void> {
    // Native zones have no secondaries to notify; rectify keeps DNSSEC ordering data right.
    await this.call('PUT', `/zones/${encodeURIComponent(dot(zone))}/rectify`);
  }

  readonly dnssec = {
    state: async (zone: string): Promise<DnsSecState> => {
      const keys = (await this.call('GET', `/zones/${encodeURIComponent(dot(zone))}/cryptokeys`)) as Array<{ active: boolean; ds?: string[] }>;
      const active = keys.filter((k) => k.active);
      return { signed: active.length > 0, ds: active.flatMap((k) => k.ds ?? []) };
    },
    enable: async (zone: string): Promise<DnsSecState> => {
      const now = await this.dnssec.state(zone);
      if (!now.signed) await this.call('POST', `/zones/${encodeURIComponent(dot(zone))}/cryptokeys`, { keytype: 'csk', active: true, algorithm: 'ecdsap256sha256' });
      await this.notify(zone);
      return this.dnssec.state(zone);
    },
    disable: async (zone: string): Promise<void> => {
      const keys = (await this.call('GET', `/zones/${encodeURIComponent(dot(zone))}/cryptokeys`)) as Array<{ id: number }>;
      for (const k of keys) await this.call('DELETE', `/zones/${encodeURIComponent(dot(zone))}/cryptokeys/${k.id}`);
      await this.notify(zone);
    },
  };
}
