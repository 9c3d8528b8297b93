import { isPanelError } from '../errors.js';
import { createExtensionPoint } from '../extension-points.js';
import type { DomainInfo } from './webserver.js';

/** Record types the panel manages (SOA is the engine's; DNSSEC records are the signer's). */
export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'SRV' | 'CAA' | 'NS';

/** The record types of {@link DnsRecordType}, in the order the API lists them. */
export const DNS_RECORD_TYPES: readonly DnsRecordType[] = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'CAA', 'NS'];

/**
 * All records of one name and type (an RRset), as the panel hands it to an engine. Every value
 * was validated by the `dns` plugin first: `name` is a lowercase ASCII FQDN without the final
 * dot, inside the zone; `records` are in zone-file presentation format with absolute names
 * (trailing dot), TXT as one or more double-quoted strings of at most 255 bytes each.
 */
export interface DnsRecordSet {
  name: string;
  type: DnsRecordType | 'SOA';
  /** Seconds, 60–604800 for panel-made records. */
  ttl: number;
  records: string[];
}

/** One change of a batch: replace the RRset by `records`, or delete it when `records` is empty. */
export interface DnsRRsetChange {
  name: string;
  type: DnsRecordType;
  ttl: number;
  records: string[];
}

/** What a new zone starts with. */
export interface DnsZoneCreate {
  /** Zone apex, lowercase FQDN without the final dot. */
  name: string;
  /** Absolute host names of the authoritative servers (the NS RRset and the SOA's primary). */
  nameservers: string[];
  /** SOA RNAME as a mailbox in DNS form, e.g. `hostmaster.example.com`. */
  hostmaster: string;
  /** Further RRsets created with the zone, in the same step. */
  rrsets: DnsRRsetChange[];
}

/** What {@link DnsServerEngine.status} answers: never throws, says what to do. */
export interface DnsServerStatus {
  available: boolean;
  /** Server software and version when reachable, e.g. `PowerDNS Authoritative 4.7.3`. */
  version?: string;
  /** Why it is unavailable, naming what to install or configure (never a secret). */
  reason?: string;
  /**
   * Admins only: the server's or tool's own words (rndc's stderr, an address, a file); the `dns`
   * plugin shows it after the reason to admins, never to anyone else.
   */
  detail?: string;
}

/**
 * The status of a server an engine could not ask, from the error that said so: a PanelError's
 * message is the `reason` and its admin detail the `detail`; any other error's text (which may
 * name hosts and files) is only the `detail`, under `fallback`.
 *
 * @example
 * ```ts
 * try { await rndc('status'); } catch (e) { return unavailableStatus(e, 'BIND (named) did not answer rndc status'); }
 * ```
 */
export function unavailableStatus(e: unknown, fallback: string): DnsServerStatus {
  const detail = isPanelError(e) ? e.adminDetail : ((e as Error)?.message ?? String(e));
  return { available: false, reason: isPanelError(e) ? e.message : fallback, ...(detail ? { detail } : {}) };
}

/** DNSSEC state of a zone, with the DS records the registrar must publish. */
export interface DnsSecState {
  signed: boolean;
  /** DS records in presentation format (`<tag> <alg> <digest-type> <digest>`); empty when unsigned. */
  ds: string[];
}

/**
 * An authoritative DNS server the panel writes zones to: PowerDNS through its HTTP API, BIND
 * through zone files and `rndc`, or any engine a third-party plugin adds.
 *
 * Contract (proven by `dnsServerSuite` from `sdk/testing`): a batch of
 * {@link DnsServerEngine.replaceRRsets} is all or nothing — when one change is refused nothing
 * is applied; `createZone` of an existing zone throws `errors.conflict`; `deleteZone` and the
 * delete of a missing RRset are idempotent; a missing zone reads as null; an unreachable server
 * throws `errors.unavailable` naming the engine and what to do (never its API key). A change is
 * served over DNS when the promise resolves.
 *
 * @example
 * ```ts
 * await engine.createZone({ name: 'example.com', nameservers: ['ns1.host.test'], hostmaster: 'hostmaster.example.com', rrsets: [] });
 * await engine.replaceRRsets('example.com', [{ name: 'www.example.com', type: 'A', ttl: 3600, records: ['192.0.2.1'] }]);
 * ```
 */
export interface DnsServerEngine {
  /** Engine id as configured (`powerdns`, `bind`, …). */
  readonly id: string;
  /** Human label, e.g. `PowerDNS Authoritative (HTTP API)`. */
  readonly label: string;
  /** Whether the server can be used now. */
  status(): Promise<DnsServerStatus>;
  /** Apex names of every zone the server holds (lowercase, no final dot). */
  listZones(): Promise<string[]>;
  /** Create a zone with its SOA, NS and the given RRsets. */
  createZone(zone: DnsZoneCreate): Promise<void>;
  /** Remove a zone and all its records; nothing happens when it does not exist. */
  deleteZone(name: string): Promise<void>;
  /** Every RRset of a zone (SOA included), or null when the zone does not exist. */
  records(name: string): Promise<DnsRecordSet[] | null>;
  /** Apply a batch of RRset replacements and deletions atomically; bumps the SOA serial. */
  replaceRRsets(zone: string, changes: DnsRRsetChange[]): Promise<void>;
  /** Tell secondaries about a change (NOTIFY) and repair derived data (rectify); may be a no-op. */
  notify(zone: string): Promise<void>;
  /** DNSSEC, when the engine can sign zones. */
  readonly dnssec?: {
    state(zone: string): Promise<DnsSecState>;
    /** Sign the zone (idempotent) and return the DS records to publish. */
    enable(zone: string): Promise<DnsSecState>;
    disable(zone: string): Promise<void>;
  };
}

/**
 * Extension point: authoritative DNS server engines, owned (consumed) by the `dns` plugin,
 * which uses the entry named by `[plugins.dns] engine`. First-party entry: `powerdns`.
 *
 * @example
 * ```ts
 * ctx.extensions.provide(dnsServerEngines, 'bind', new BindEngine({ zoneDir, rndc }));
 * ```
 */
export const dnsServerEngines = createExtensionPoint<DnsServerEngine>({ id: 'dns-servers', owner: 'dns' });

/** Hook payload of `dns.zone.created`. */
export interface DnsZoneEvent {
  zone: string;
  account_id: number;
  /** The panel domain the zone was made for. */
  domain: DomainInfo;
}

/** Hook payload of `dns.records.change` (before) and `dns.records.changed` (after). */
export interface DnsRecordsEvent {
  zone: string;
  account_id: number;
  /** The RRsets replaced (records given) or deleted (records empty), checked and normalised. */
  changes: DnsRRsetChange[];
}

declare module '../hooks.js' {
  interface HookEvents {
    /** after: the `dns` plugin made a zone for a domain (at domain creation or reconciliation). */
    'dns.zone.created': DnsZoneEvent;
    /** before: records are about to change through the records API; a veto refuses the change (409), nothing is applied. */
    'dns.records.change': DnsRecordsEvent;
    /** after: records were changed through the records API. */
    'dns.records.changed': DnsRecordsEvent;
  }
}
