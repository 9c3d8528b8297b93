import {
  errors,
  settingsPlan,
  type AccountDirectory,
  type DnsRecordSet,
  type DnsRecordType,
  type DnsRRsetChange,
  type DnsServerEngine,
  type HookBus,
  type KeyedLock,
} from '../../sdk/index.js';
import type { DnsSettings } from './config.js';
import { displayContent, recordContent } from './contents.js';
import { recordName, relativeName } from './names.js';
import type { DnsStore, ZoneRow } from './store.js';

/** An RRset as the API shows it (TXT as plain text: what PUT accepts back). */
export interface RRsetView {
  name: string;
  /** The name relative to the zone, `@` for the apex. */
  relative: string;
  type: string;
  ttl: number;
  records: string[];
}

/** The body of `PUT /api/dns/zones/:domain/records` after schema validation. */
export interface RRsetInput {
  name: string;
  type: DnsRecordType;
  ttl?: number;
  records: string[];
}

/** Parts {@link RecordEditor} works with. */
export interface RecordEditorDeps {
  engine: () => DnsServerEngine;
  store: DnsStore;
  accounts: () => AccountDirectory;
  settings: DnsSettings;
  hooks: HookBus;
  locks: KeyedLock;
}

function bad(field: string, message: string): never {
  throw errors.validation(`${field}: ${message}`, { field });
}

/**
 * Changes to one zone's records through the API, one zone at a time. Everything is checked
 * before anything is written — names inside the zone (and not inside a nested panel zone or a
 * delegation), contents per type, CNAME alone at its name, the apex NS and SOA left to the
 * panel, the plan's record limit, the before-hook's veto — and the engine applies the change as
 * one batch, so a refusal leaves the zone exactly as it was.
 */
export class RecordEditor {
  constructor(private readonly d: RecordEditorDeps) {}

  async view(zone: ZoneRow): Promise<RRsetView[]> {
    return (await this.current(zone)).map((r) => ({
      name: r.name,
      relative: relativeName(r.name, zone.zone),
      type: r.type,
      ttl: r.ttl,
      records: r.records.map((c) => displayContent(r.type, c)),
    }));
  }

  private async current(zone: ZoneRow): Promise<DnsRecordSet[]> {
    const sets = await this.d.engine().records(zone.zone);
    if (!sets)
      throw errors.conflict(
        `The zone ${zone.zone} is missing on the DNS server; POST /api/dns/reconcile (admin) makes it again`,
      );
    return sets;
  }

  /** Replace one RRset; returns the zone's records afterwards. */
  async replace(zone: ZoneRow, input: RRsetInput): Promise<RRsetView[]> {
    const name = await this.checkName(zone, input.name, input.type);
    const ttl = input.ttl ?? this.d.settings.defaultTtl;
    if (input.type === 'CNAME' && input.records.length !== 1) bad('records', 'a CNAME RRset holds exactly one record');
    const records = input.records.map((r, i) => recordContent(input.type, r, `records[${i}]`));
    records.forEach((r, i) => {
      if (records.indexOf(r) !== i) bad(`records[${i}]`, `repeats records[${records.indexOf(r)}]`);
    });
    return this.apply(zone, { name, type: input.type, ttl, records }, (sets) => {
      const others = sets.filter((s) => s.name === name && s.type !== input.type && s.type !== 'SOA');
      if (input.type === 'CNAME' && others.length)
        bad('type', `a CNAME cannot sit beside other records: ${name} has ${others.map((s) => s.type).join(', ')}`);
      if (input.type !== 'CNAME' && others.some((s) => s.type === 'CNAME'))
        bad('type', `${name} has a CNAME, which stands alone: delete it first`);
      // Below a delegation the zone no longer answers: a cut must not hide records already there.
      const hidden = sets.filter((s) => (s.name === name && s.type !== 'NS') || s.name.endsWith(`.${name}`));
      if (input.type === 'NS' && hidden.length)
        bad(
          'type',
          `a delegation of ${name} would hide its records (${hidden
            .slice(0, 3)
            .map((s) => `${s.name} ${s.type}`)
            .join(', ')})`,
        );
    });
  }

  /** Delete one RRset (404 when there is none). */
  async remove(zone: ZoneRow, nameInput: string, type: DnsRecordType): Promise<RRsetView[]> {
    const name = await this.checkName(zone, nameInput, type);
    return this.apply(zone, { name, type, ttl: this.d.settings.defaultTtl, records: [] }, (sets) => {
      if (!sets.some((s) => s.name === name && s.type === type)) throw errors.notFound(`No ${type} records at ${name}`);
    });
  }

  private async checkName(zone: ZoneRow, input: string, type: DnsRecordType): Promise<string> {
    const name = recordName(input, zone.zone);
    if (type === 'NS' && name === zone.zone)
      bad(
        'type',
        'the NS records of the zone apex follow [plugins.dns] nameservers; NS is for delegations below the apex',
      );
    if (type === 'CNAME' && name === zone.zone)
      bad('type', 'a CNAME cannot sit at the zone apex (it has SOA and NS records)');
    const holder = await this.d.store.containing(name);
    if (holder && holder.zone !== zone.zone) bad('name', `${name} belongs to the zone ${holder.zone}`);
    return name;
  }

  /**
   * Under the account's lock (the record limit spans its zones, so two zones' changes must not
   * both pass it), then the zone's (which domain events take too).
   */
  private apply(zone: ZoneRow, change: DnsRRsetChange, check: (sets: DnsRecordSet[]) => void): Promise<RRsetView[]> {
    return this.d.locks.run(`account:${zone.account_id}`, () =>
      this.d.locks.run(zone.zone, async () => {
        const sets = await this.current(zone);
        check(sets);
        const cut = sets.find(
          (s) =>
            s.type === 'NS' &&
            s.name !== zone.zone &&
            (change.name.endsWith(`.${s.name}`) || (change.name === s.name && change.type !== 'NS')),
        );
        if (cut)
          bad('name', `${change.name} is inside the delegation ${cut.name} (its NS records hand it to another server)`);
        await this.checkLimit(zone, sets, change);
        const event = { zone: zone.zone, account_id: zone.account_id, changes: [change] };
        await this.d.hooks.runBefore('dns.records.change', event);
        await this.d.engine().replaceRRsets(zone.zone, [change]);
        await this.d
          .engine()
          .notify(zone.zone)
          .catch(() => undefined);
        await this.d.hooks.runAfter('dns.records.changed', event);
        return this.view(zone);
      }),
    );
  }

  /** The plan's cap on records across the account's zones (SOA not counted). */
  private async checkLimit(zone: ZoneRow, sets: DnsRecordSet[], change: DnsRRsetChange): Promise<void> {
    const before = sets.find((s) => s.name === change.name && s.type === change.type)?.records.length ?? 0;
    if (change.records.length <= before) return;
    const account = await this.d.accounts().get(zone.account_id);
    const limit = this.d.settings.recordLimits[settingsPlan(account?.plan ?? 'free')];
    let total = 0;
    for (const z of await this.d.store.zones([zone.account_id])) {
      const zs = z.zone === zone.zone ? sets : ((await this.d.engine().records(z.zone)) ?? []);
      total += zs.filter((s) => s.type !== 'SOA').reduce((n, s) => n + s.records.length, 0);
    }
    if (total - before + change.records.length > limit)
      throw errors.limitReached(
        `records: the ${account?.plan ?? 'free'} plan allows ${limit} DNS records across the account's zones (it has ${total})`,
      );
  }
}
