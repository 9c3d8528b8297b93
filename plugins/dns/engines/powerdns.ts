import {
  isPanelError,
  type DnsRecordSet,
  type DnsRRsetChange,
  type DnsSecState,
  type DnsServerEngine,
  type DnsServerStatus,
  unavailableStatus,
  type DnsZoneCreate,
} from '../../../sdk/index.js';
import { PowerDnsApi, type PowerDnsOptions } from './powerdns-api.js';

export type { PowerDnsOptions } from './powerdns-api.js';

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

  private readonly api: PowerDnsApi;

  constructor(o: PowerDnsOptions) {
    this.api = new PowerDnsApi(o);
  }

  private call(method: string, path: string, body?: unknown): Promise<any> {
    return this.api.call(method, path, body);
  }

  async status(): Promise<DnsServerStatus> {
    try {
      const info = await this.call('GET', '');
      return { available: true, version: `PowerDNS Authoritative ${String(info?.version ?? '?')}` };
    } catch (e) {
      return unavailableStatus(e, 'PowerDNS did not answer');
    }
  }

  async listZones(): Promise<string[]> {
    return ((await this.call('GET', '/zones')) as Array<{ name: string }>).map((z) => undot(z.name)).sort();
  }

  async createZone(z: DnsZoneCreate): Promise<void> {
    await this.call('POST', '/zones', {
      name: dot(z.name),
      kind: 'Native',
      nameservers: [],
      api_rectify: true,
      soa_edit_api: 'DEFAULT',
      rrsets: [
        {
          name: dot(z.name),
          type: 'SOA',
          ttl: 3600,
          records: [
            { content: `${dot(z.nameservers[0]!)} ${dot(z.hostmaster)} 1 10800 3600 604800 3600`, disabled: false },
          ],
        },
        {
          name: dot(z.name),
          type: 'NS',
          ttl: 3600,
          records: z.nameservers.map((ns) => ({ content: dot(ns), disabled: false })),
        },
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
    return zone.rrsets
      .map((r) => ({
        name: undot(r.name),
        type: r.type as DnsRecordSet['type'],
        ttl: r.ttl,
        records: r.records
          .filter((x) => !x.disabled)
          .map((x) => x.content)
          .sort(),
      }))
      .filter((r) => r.records.length > 0);
  }

  private rrset(c: DnsRRsetChange) {
    return c.records.length
      ? {
          name: dot(c.name),
          type: c.type,
          ttl: c.ttl,
          changetype: 'REPLACE',
          records: c.records.map((content) => ({ content, disabled: false })),
        }
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
      const keys = (await this.call('GET', `/zones/${encodeURIComponent(dot(zone))}/cryptokeys`)) as Array<{
        active: boolean;
        ds?: string[];
      }>;
      const active = keys.filter((k) => k.active);
      return { signed: active.length > 0, ds: active.flatMap((k) => k.ds ?? []) };
    },
    enable: async (zone: string): Promise<DnsSecState> => {
      const now = await this.dnssec.state(zone);
      if (!now.signed)
        await this.call('POST', `/zones/${encodeURIComponent(dot(zone))}/cryptokeys`, {
          keytype: 'csk',
          active: true,
          algorithm: 'ecdsap256sha256',
        });
      await this.notify(zone);
      return this.dnssec.state(zone);
    },
    disable: async (zone: string): Promise<void> => {
      const keys = (await this.call('GET', `/zones/${encodeURIComponent(dot(zone))}/cryptokeys`)) as Array<{
        id: number;
      }>;
      for (const k of keys) await this.call('DELETE', `/zones/${encodeURIComponent(dot(zone))}/cryptokeys/${k.id}`);
      await this.notify(zone);
    },
  };
}
